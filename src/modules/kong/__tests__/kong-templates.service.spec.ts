import { Logger } from '@nestjs/common';
import { loadConfig } from '../../../core/config/load-config';
import { AppException } from '../../../core/errors/app-exception';
import { AuthUser } from '../../../core/security/auth-user';
import { EncryptionService } from '../../../core/security/encryption.service';
import { EngineService, StepDefinition } from '../../engine';
import { WorkflowCache, WorkflowEntity, WorkflowsRepository } from '../../workflows';
import { KongAdminClient } from '../admin/kong-admin.client';
import { DblessConfigService } from '../deploy/dbless-config.service';
import { DbModeApplier } from '../deploy/db-mode.applier';
import { DeploymentSecretsService } from '../deploy/deployment-secrets.service';
import { KongDeploymentEntity, KongEntityRecord } from '../entities/kong-deployment.entity';
import { KongDeploymentsRepository } from '../kong-deployments.repository';
import { KongTemplatesService } from '../kong-templates.service';
import { UseCase } from '../patterns';
import { AuditService } from '../../audit';

const TENANT = '22222222-2222-4222-8222-222222222222';
const WORKFLOW = '33333333-3333-4333-8333-333333333333';
const DEPLOYMENT = '11111111-1111-4111-8111-111111111111';
const user: AuthUser = { userId: '44444444-4444-4444-8444-444444444444', tenantId: TENANT, email: 'a@example.com', role: 'owner' };

const SOAP_STEP: StepDefinition = { name: 'legacy', type: 'connector', connector: 'soap', action: 'call', params: {} };
const HTTP_STEP: StepDefinition = { name: 'post', type: 'connector', connector: 'http', action: 'request', params: {} };

/** Sealing is not under test here: a reversible stand-in keeps the secrets readable by the spec. */
const encryption = {
  encryptJson: (v: unknown) => `sealed:${JSON.stringify(v)}`,
  decryptJson: (s: string) => JSON.parse(s.slice('sealed:'.length)) as unknown,
} as unknown as EncryptionService;

const RECORD: KongEntityRecord = { services: [{ name: 's' }], routes: [], plugins: [], credentials: [] };

function setup(opts: { env?: Record<string, string>; steps?: StepDefinition[]; existing?: Partial<KongDeploymentEntity> } = {}) {
  const config = loadConfig({
    NODE_ENV: 'test',
    KONG_ADMIN_URL: 'http://kong.internal:8001',
    FLOWGATE_PUBLIC_URL_FOR_KONG: 'http://fg:3000',
    ...opts.env,
  });
  let row: KongDeploymentEntity | undefined = opts.existing
    ? ({ id: DEPLOYMENT, tenantId: TENANT, workflowId: WORKFLOW, secretsCiphertext: null, ...opts.existing } as KongDeploymentEntity)
    : undefined;
  const workflow = { id: WORKFLOW, tenantId: TENANT, steps: opts.steps ?? [HTTP_STEP], active: true } as unknown as WorkflowEntity;
  const deployments = {
    withLock: jest.fn((_name: string, fn: () => Promise<unknown>) => fn()),
    insertOrGet: jest.fn(async (_tenant: string, data: { useCase: UseCase; options: Record<string, unknown>; mode: 'db' | 'dbless' }) => {
      const created = !row;
      row ??= {
        id: DEPLOYMENT,
        tenantId: TENANT,
        workflowId: WORKFLOW,
        useCase: data.useCase,
        options: data.options,
        mode: data.mode,
        status: 'pending',
        lastError: null,
        secretsCiphertext: null,
        kongEntities: {},
        createdAt: new Date(0),
        updatedAt: new Date(0),
      };
      return { deployment: row, created };
    }),
    update: jest.fn(async (_tenant: string, _id: string, patch: Partial<KongDeploymentEntity>) => {
      if (row) Object.assign(row, patch);
    }),
    findForTenant: jest.fn(async () => row ?? null),
    listForTenant: jest.fn(async () => (row ? [row] : [])),
    deleteForTenant: jest.fn(async () => {
      row = undefined;
      return true;
    }),
    countOtherConsumerUsers: jest.fn(async () => 0),
    transaction: jest.fn(async (fn: (m: unknown) => Promise<unknown>) => fn('tx')), // a stand-in EntityManager
  };
  const applier = { apply: jest.fn(async () => RECORD), remove: jest.fn(async () => 0) };
  const dbless = { sync: jest.fn(async () => ({})) };
  const workflowCache = { invalidate: jest.fn() };
  const engine = { readOnlySteps: (steps: StepDefinition[]) => steps.filter((s) => s.type === 'transform') };
  const service = new KongTemplatesService(
    config,
    new KongAdminClient(config),
    deployments as unknown as KongDeploymentsRepository,
    { findInTenant: jest.fn(async () => workflow) } as unknown as WorkflowsRepository,
    engine as unknown as EngineService,
    new DeploymentSecretsService(encryption),
    applier as unknown as DbModeApplier,
    dbless as unknown as DblessConfigService,
    workflowCache as unknown as WorkflowCache,
    { record: jest.fn(async () => undefined) } as unknown as AuditService,
  );
  const secrets = () => (row?.secretsCiphertext ? (encryption.decryptJson(row.secretsCiphertext) as Record<string, unknown>) : {});
  return { service, deployments, applier, dbless, workflowCache, row: () => row, secrets };
}

async function refusal(p: Promise<unknown>): Promise<AppException> {
  try {
    await p;
  } catch (e) {
    return e as AppException;
  }
  throw new Error('expected a refusal');
}

describe('KongTemplatesService', () => {
  beforeAll(() => Logger.overrideLogger(false));

  describe('deploy', () => {
    it('validates, seals the secrets, applies the plan in Kong and records the deployment as active', async () => {
      const t = setup();
      const answer = await t.service.apply(user, { workflow_id: WORKFLOW, use_case: 'webhook_handler', options: { minute: 60 } });
      expect(answer).toMatchObject({
        created: true,
        status: 'active',
        use_case: 'webhook_handler',
        path: `/workflows/${WORKFLOW}/webhook`,
      });
      expect(answer.options).toMatchObject({ minute: 60, limit_by: 'ip', policy: 'local' });
      const [plan, tag] = t.applier.apply.mock.calls[0] as unknown as [{ services: { name: string }[] }, string];
      expect(plan.services[0].name).toBe(`flowgate-webhook-${DEPLOYMENT}`);
      expect(tag).toBe(`deployment:${DEPLOYMENT}`);
      expect(t.row()).toMatchObject({ status: 'active', lastError: null, kongEntities: RECORD });
      expect(t.secrets().gatewaySecret).toEqual(expect.any(String));
      // The webhook behind it now asks for the gateway secret: its cached copy is dropped.
      expect(t.workflowCache.invalidate).toHaveBeenCalledWith(WORKFLOW);
    });

    it('DB-less: renders the whole config with the new plan included instead of calling the Admin API per entity', async () => {
      const u = setup({ env: { KONG_MODE: 'dbless', KONG_USAGE_SECRET: 'usage-secret-0123456789abcdef' } });
      const answer = await u.service.apply(user, { workflow_id: WORKFLOW, use_case: 'usage_tracking', options: {} });
      expect(answer.kong.services).toEqual([`flowgate-metered-${DEPLOYMENT}`]);
      expect(u.dbless.sync).toHaveBeenCalledWith({
        include: { id: DEPLOYMENT, plan: expect.objectContaining({ services: expect.any(Array) }) },
      });
      expect(u.applier.apply).not.toHaveBeenCalled();
    });

    it('returns a generated credential once and never again; no answer carries a stored secret', async () => {
      const t = setup();
      const first = await t.service.apply(user, { workflow_id: WORKFLOW, use_case: 'federated_security', options: {} });
      const key = t.secrets().apiKey as string;
      expect(first.credentials).toEqual({ api_key: key, key_names: ['apikey'] });
      const again = await t.service.apply(user, { workflow_id: WORKFLOW, use_case: 'federated_security', options: {} });
      expect(again.created).toBe(false);
      expect(again.credentials).toBeUndefined();
      expect(t.secrets().apiKey).toBe(key);
      const gateway = t.secrets().gatewaySecret as string;
      for (const shown of [again, await t.service.get(user, DEPLOYMENT), await t.service.list(user)]) {
        const text = JSON.stringify(shown);
        expect(text).not.toContain(key);
        expect(text).not.toContain(gateway);
        expect(text).not.toContain('sealed:');
      }
    });
  });

  describe('redeploy', () => {
    it('a re-apply Kong refuses keeps the deployment, marked failed with the reason', async () => {
      const t = setup({ existing: { useCase: 'webhook_handler', options: {}, status: 'active', secretsCiphertext: null } });
      t.applier.apply.mockRejectedValueOnce(new Error('Kong said no'));
      await expect(t.service.apply(user, { workflow_id: WORKFLOW, use_case: 'webhook_handler', options: {} })).rejects.toThrow(
        'Kong said no',
      );
      expect(t.row()).toMatchObject({ status: 'failed', lastError: 'Kong said no' });
      expect(t.deployments.deleteForTenant).not.toHaveBeenCalled();
    });

    it('a first apply Kong refuses leaves nothing behind (Kong entities by tag, then the row)', async () => {
      const t = setup();
      t.applier.apply.mockRejectedValueOnce(new Error('Kong said no'));
      await expect(t.service.apply(user, { workflow_id: WORKFLOW, use_case: 'federated_security', options: {} })).rejects.toThrow();
      // Its tenant consumer goes too: no other deployment of the tenant uses it.
      expect(t.applier.remove).toHaveBeenCalledWith(`deployment:${DEPLOYMENT}`, TENANT, false);
      expect(t.row()).toBeUndefined();
    });
  });

  describe('preconditions are refused before Kong or the database is written', () => {
    const nothingWritten = (t: ReturnType<typeof setup>) => {
      expect(t.deployments.insertOrGet).not.toHaveBeenCalled();
      expect(t.applier.apply).not.toHaveBeenCalled();
      expect(t.dbless.sync).not.toHaveBeenCalled();
    };

    it('400 naming the option', async () => {
      const t = setup();
      const e = await refusal(t.service.apply(user, { workflow_id: WORKFLOW, use_case: 'smart_aggregator', options: { cache_ttl: 0 } }));
      expect(e).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', details: [{ field: 'options.cache_ttl' }] });
      nothingWritten(t);
    });

    it('400 naming workflow_id when the workflow lacks what the pattern runs (a soap step, read-only steps)', async () => {
      for (const useCase of ['protocol_bridge', 'smart_aggregator'] as const) {
        const t = setup({ steps: [HTTP_STEP] });
        const e = await refusal(t.service.apply(user, { workflow_id: WORKFLOW, use_case: useCase, options: {} }));
        expect(e).toMatchObject({ status: 400, details: [{ field: 'workflow_id' }] });
        nothingWritten(t);
      }
      const ok = setup({ steps: [SOAP_STEP] });
      await expect(ok.service.apply(user, { workflow_id: WORKFLOW, use_case: 'protocol_bridge', options: {} })).resolves.toMatchObject({
        created: true,
      });
    });

    it('400 naming options.step when the named step is not a soap step', async () => {
      const t = setup({ steps: [SOAP_STEP, HTTP_STEP] });
      const e = await refusal(t.service.apply(user, { workflow_id: WORKFLOW, use_case: 'protocol_bridge', options: { step: 'post' } }));
      expect(e).toMatchObject({ status: 400, details: [{ field: 'options.step' }] });
      nothingWritten(t);
    });

    it('503 when usage tracking has no KONG_USAGE_SECRET, or Kong is not configured', async () => {
      const t = setup();
      expect(await refusal(t.service.apply(user, { workflow_id: WORKFLOW, use_case: 'usage_tracking', options: {} }))).toMatchObject({
        status: 503,
        code: 'KONG_USAGE_NOT_CONFIGURED',
      });
      nothingWritten(t);
      const off = setup({ env: { KONG_ADMIN_URL: '' } });
      expect(await refusal(off.service.apply(user, { workflow_id: WORKFLOW, use_case: 'webhook_handler', options: {} }))).toMatchObject({
        status: 503,
        code: 'KONG_NOT_CONFIGURED',
      });
      nothingWritten(off);
    });
  });

  describe('remove', () => {
    it("removes the deployment's Kong entities by tag, keeps a tenant consumer another deployment uses, then the row", async () => {
      const t = setup({ existing: { useCase: 'federated_security', options: {}, status: 'active' } });
      t.deployments.countOtherConsumerUsers.mockResolvedValueOnce(1);
      await t.service.remove(user, DEPLOYMENT);
      expect(t.applier.remove).toHaveBeenCalledWith(`deployment:${DEPLOYMENT}`, TENANT, true);
      expect(t.deployments.deleteForTenant).toHaveBeenCalledWith(TENANT, DEPLOYMENT, 'tx'); // with its audit row
      expect(t.workflowCache.invalidate).toHaveBeenCalledWith(WORKFLOW);
    });

    it('DB-less: reloads the config without it; a pattern that does not front the webhook leaves its cache alone', async () => {
      const t = setup({ env: { KONG_MODE: 'dbless' }, existing: { useCase: 'smart_aggregator', options: {}, status: 'active' } });
      await t.service.remove(user, DEPLOYMENT);
      expect(t.dbless.sync).toHaveBeenCalledWith({ exclude: DEPLOYMENT });
      expect(t.applier.remove).not.toHaveBeenCalled();
      expect(t.workflowCache.invalidate).not.toHaveBeenCalled();
    });

    it("404 for a deployment that is not the tenant's", async () => {
      const t = setup();
      expect(await refusal(t.service.remove(user, DEPLOYMENT))).toMatchObject({ status: 404 });
    });
  });
});
