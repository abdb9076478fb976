import { randomBytes } from 'node:crypto';
import { NangoFake, startNangoFake } from '../fakes/nango';
import { QueueService } from '../../src/core/queue/queue.module';
import { registerTenant, startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * Passport keeps one global 'jwt' strategy per process, so the last app booted decides how
 * every app in this test file verifies tokens: give them all the same secret.
 */
const SHARED_JWT_SECRET = randomBytes(32).toString('hex');

export interface MarketplaceEnv {
  t: TestApp;
  nango: NangoFake;
  close(): Promise<void>;
}

/** The real app pointed at a fresh Nango fake (real @nangohq/node client in between). */
export async function startMarketplace(
  env: Record<string, string | undefined> = {},
  fakeOpts: Parameters<typeof startNangoFake>[0] = {},
): Promise<MarketplaceEnv> {
  const nango = await startNangoFake(fakeOpts);
  nango.addIntegration('quickbooks', 'quickbooks');
  nango.addIntegration('hubspot', 'hubspot');
  const t = await startTestApp({
    NANGO_HOST: nango.url,
    NANGO_SECRET_KEY: nango.secretKey,
    NANGO_WEBHOOK_SECRET: nango.webhookSecret,
    RATE_LIMIT_REQUESTS: '100000',
    JWT_SECRET: SHARED_JWT_SECRET,
    ...env,
  });
  return {
    t,
    nango,
    close: async () => {
      await t.close();
      await nango.close();
    },
  };
}

/**
 * Registers a tenant and connects one company through the whole flow: connect session, the
 * customer finishing Nango's Connect UI (Nango picks the connection id), then the callback.
 */
export async function connectCompany(
  m: MarketplaceEnv,
  tenant: Awaited<ReturnType<typeof registerTenant>>,
  integration: 'quickbooks' | 'hubspot',
  opts: { connectionConfig?: Record<string, unknown>; metadata?: Record<string, unknown> } = {},
) {
  const url = await m.t.http.get('/api/auth/oauth-url', { token: tenant.token, query: { integration_id: integration } });
  if (url.status !== 200) throw new Error(`oauth-url: ${url.status} ${url.text}`);
  const conn = m.nango.completeConnect(url.body.sessionToken, { connectionConfig: opts.connectionConfig, metadata: opts.metadata });
  const cb = await m.t.http.get('/api/auth/callback', { query: { state: url.body.state } });
  if (cb.status !== 200) throw new Error(`callback: ${cb.status} ${cb.text}`);
  return { company: cb.body.company as { id: string; connectionId: string; status: string }, connection: conn };
}

/**
 * Until the token-refresh queue has nothing left to run: no waiting or active job and no
 * refresh waiting as delayed (a retry, or a job waiting for its company's refresh lock). The
 * schedulers' next sweep and cleanup wait as delayed jobs too; those do not count.
 */
export function tokenRefreshDrained(queues: QueueService, timeoutMs = 30_000) {
  return waitFor(
    async () => {
      const q = queues.queue('tokenRefresh');
      const c = await q.getJobCounts('waiting', 'active', 'prioritized');
      const delayedRefreshes = (await q.getDelayed()).filter((j) => j.name === 'refresh');
      return c.waiting + c.active + c.prioritized === 0 && delayedRefreshes.length === 0;
    },
    'token-refresh queue to drain',
    timeoutMs,
  );
}
