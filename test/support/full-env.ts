import { randomBytes } from 'node:crypto';
import { startEchoFake } from '../fakes/echo.fake';
import { FakeServer } from '../fakes/fake-server';
import { KongFake, startKongFake } from '../fakes/kong-admin.fake';
import { NangoFake, startNangoFake } from '../fakes/nango';
import { HttpClient } from './http-client';
import { registerTenant, startTestApp, TestApp } from './test-app';
import { waitForExecution } from './workflow-helpers';

export const ADMIN_TOKEN = `admin-${randomBytes(12).toString('hex')}`;
export const KONG_USAGE_SECRET = `usage-${randomBytes(12).toString('hex')}`;

/** The whole product at once: Flowgate with Nango, Kong and an HTTP sink, all local fakes. */
export interface FullEnv {
  t: TestApp;
  nango: NangoFake;
  kong: KongFake;
  sink: FakeServer;
  close(): Promise<void>;
}

export async function startFullEnv(env: Record<string, string> = {}): Promise<FullEnv> {
  const [nango, kong, sink] = await Promise.all([startNangoFake(), startKongFake(), startEchoFake()]);
  nango.addIntegration('quickbooks', 'quickbooks');
  nango.addIntegration('hubspot', 'hubspot');
  const t = await startTestApp({
    OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1',
    NANGO_HOST: nango.url,
    NANGO_SECRET_KEY: nango.secretKey,
    NANGO_WEBHOOK_SECRET: nango.webhookSecret,
    RATE_LIMIT_REQUESTS: '1000000',
    KONG_ADMIN_URL: kong.url,
    KONG_MODE: 'db',
    KONG_USAGE_SECRET,
    ADMIN_TOKEN,
    ...env,
  });
  return {
    t,
    nango,
    kong,
    sink,
    async close() {
      await t.close();
      await Promise.all([nango.close(), kong.close(), sink.close()]);
    },
  };
}

export interface TenantResources {
  tenant: Awaited<ReturnType<typeof registerTenant>>;
  memberId: string;
  credentialId: string;
  credentialSecret: string;
  workflowId: string;
  webhookSecret?: string;
  executionId: string;
  companyId: string;
  deploymentId: string;
  kongKey?: string;
  invitationId: string;
}

async function ok(res: Promise<{ status: number; text: string; body: any }>, what: string, expected: number[] = [200, 201, 202]) {
  const r = await res;
  if (!expected.includes(r.status)) throw new Error(`${what}: ${r.status} ${r.text.slice(0, 400)}`);
  return r.body;
}

/** One of every tenant-owned resource, made through the public API as a user would. */
export async function createTenantResources(e: FullEnv, name: string): Promise<TenantResources> {
  const http: HttpClient = e.t.http;
  const tenant = await registerTenant(http, name);
  const token = tenant.token;
  const member = await ok(
    http.post(
      '/api/tenants/current/members',
      { email: `m-${randomBytes(4).toString('hex')}@example.test`, password: 'member-password-1', role: 'member' },
      { token },
    ),
    'add member',
  );
  const credentialSecret = `bearer-${randomBytes(16).toString('hex')}`;
  const cred = await ok(
    http.post(
      '/api/credentials',
      { name: `${name} sink`, connectorKey: 'http', authKind: 'bearer', secrets: { token: credentialSecret }, allowedHosts: ['127.0.0.1'] },
      { token },
    ),
    'credential',
  );
  const wf = await ok(
    http.post(
      '/api/workflows',
      {
        name: `${name} flow`,
        trigger: { type: 'webhook' },
        steps: [
          { name: 'shape', type: 'transform', params: { who: '{{trigger.user.name}}' } },
          {
            name: 'call',
            connector: 'http',
            action: 'request',
            credentialId: cred.id,
            params: { method: 'POST', url: `${e.sink.url}/hook`, body: { who: '{{steps.shape.who}}' } },
          },
        ],
        settings: { retries: 0 },
      },
      { token },
    ),
    'workflow',
  );
  const run = await ok(http.post(`/api/workflows/${wf.id}/run`, { payload: { user: { name: 'Ada' } } }, { token }), 'manual run');
  await waitForExecution(http, token, run.executionId);
  const url = await ok(http.get('/api/auth/oauth-url', { token, query: { integration_id: 'hubspot' } }), 'oauth-url');
  e.nango.completeConnect(url.sessionToken);
  const cb = await ok(http.get('/api/auth/callback', { query: { state: url.state } }), 'oauth callback');
  const dep = await ok(http.post('/api/kong/templates', { workflow_id: wf.id, use_case: 'webhook_handler' }, { token }), 'kong template');
  const invitation = await ok(
    http.post('/api/tenants/current/invitations', { email: `i-${randomBytes(4).toString('hex')}@example.test`, role: 'member' }, { token }),
    'invitation',
  );
  return {
    tenant,
    memberId: member.id,
    credentialId: cred.id,
    credentialSecret,
    workflowId: wf.id,
    webhookSecret: wf.webhookSecret,
    executionId: run.executionId,
    companyId: cb.company.id,
    deploymentId: dep.id ?? dep.deployment?.id,
    invitationId: invitation.id,
  };
}
