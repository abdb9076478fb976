import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../../core/config/app-config';
import { AppException, ErrorDetail } from '../../../core/errors/app-exception';
import type { AuthUser } from '../../../core/security/auth-user';
import type { EncryptionService } from '../../../core/security/encryption.service';
import type { CreateWorkflowDto } from '../dto/workflow.dto';
import type { WorkflowEntity } from '../entities/workflow.entity';
import type { StoredTrigger, TriggerHandler, TriggerValidationContext, TriggerWorkflow } from '../triggers/trigger-handler';
import { TriggerRegistry } from '../triggers/trigger.registry';
import type { WorkflowCache } from '../workflow-cache';
import type { WorkflowValidator } from '../workflow-validator';
import type { AuditService } from '../../audit';
import type { WorkflowVersionsRepository } from '../workflow-versions.repository';
import type { WorkflowsRepository } from '../workflows.repository';
import { WorkflowsService } from '../workflows.service';

const user = { tenantId: 't-1', userId: 'u-1' } as AuthUser;
const SETTINGS = { retries: 2, backoff: { type: 'exponential' as const, delayMs: 1000 }, stepTimeoutMs: 30_000 };

/** A trigger type whose calls the tests read back; `failActivate` makes activate throw like a Redis that is away. */
function fakeHandler(type: string) {
  const handler = {
    type,
    description: `${type} trigger`,
    schema: { type: 'object' },
    failActivate: null as Error | null,
    normalize: jest.fn(
      async (input: StoredTrigger, _ctx: TriggerValidationContext, _problems: ErrorDetail[]): Promise<StoredTrigger | null> => ({
        ...input,
      }),
    ),
    activate: jest.fn(async (_w: TriggerWorkflow) => {
      if (handler.failActivate) throw handler.failActivate;
    }),
    deactivate: jest.fn(async (_w: TriggerWorkflow) => undefined),
  };
  return handler;
}

function entity(over: Partial<WorkflowEntity> = {}): WorkflowEntity {
  return {
    id: 'w-1',
    tenantId: user.tenantId,
    name: 'Flow',
    description: null,
    active: true,
    trigger: { type: 'alpha' },
    steps: [{ name: 'a', type: 'transform', params: {} }],
    settings: SETTINGS,
    webhookSecret: null,
    version: 1,
    errorWorkflowId: null,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...over,
  };
}

function setup() {
  const registry = new TriggerRegistry();
  const alpha = fakeHandler('alpha');
  const beta = fakeHandler('beta');
  registry.register(alpha as TriggerHandler);
  registry.register(beta as TriggerHandler);

  let stored: WorkflowEntity | null = entity();
  const repo: Record<string, jest.Mock> = {
    withManager: jest.fn(() => repo),
    create: jest.fn(async (_t: string, id: string, data: Partial<WorkflowEntity>) => (stored = entity({ ...data, id }))),
    findInTenant: jest.fn(async () => stored),
    update: jest.fn(async (_t: string, _id: string, patch: Partial<WorkflowEntity>, expected?: number) => {
      if (!stored || (expected !== undefined && expected !== stored.version)) return null;
      return (stored = { ...stored, ...patch, version: stored.version + 1 });
    }),
    setActive: jest.fn(async (_t: string, _id: string, active: boolean) => (stored ? (stored = { ...stored, active }) : null)),
    delete: jest.fn(async () => {
      const had = !!stored;
      stored = null;
      return had;
    }),
    idsWithSecret: jest.fn(async () => new Set<string>()),
  };
  const validator = { normalizeSteps: jest.fn((s: unknown) => s), checkSteps: jest.fn(async () => undefined) };
  const cache = { invalidate: jest.fn() };
  const encryption = { encrypt: jest.fn(() => 'sealed') };
  // The transaction runs its callback; a throw inside it is what rolls the save back.
  const dataSource = { transaction: jest.fn((cb: (m: unknown) => Promise<unknown>) => cb({})) };
  const config = { webhooks: { enqueueTimeoutMs: 1000 }, connectors: { stepTimeoutMs: 30_000 } } as unknown as AppConfig;
  // Version rows and audit rows are written through the transaction's manager (covered end to end in test/workflow-versions.e2e-spec.ts).
  const versions: Record<string, jest.Mock> = { withManager: jest.fn(() => versions), snapshot: jest.fn(async () => undefined) };
  const audit = { record: jest.fn(async () => undefined) };
  const service = new WorkflowsService(
    repo as unknown as WorkflowsRepository,
    validator as unknown as WorkflowValidator,
    registry,
    cache as unknown as WorkflowCache,
    encryption as unknown as EncryptionService,
    dataSource as unknown as DataSource,
    config,
    versions as unknown as WorkflowVersionsRepository,
    audit as unknown as AuditService,
  );
  return { service, repo, alpha, beta, dataSource, setStored: (w: WorkflowEntity | null) => (stored = w) };
}

const createDto = (over: Partial<CreateWorkflowDto> = {}): CreateWorkflowDto =>
  ({
    name: 'Flow',
    trigger: { type: 'alpha', every: 5 },
    steps: [{ name: 'a', type: 'transform', params: {} }],
    ...over,
  }) as CreateWorkflowDto;

async function caught(p: Promise<unknown>): Promise<AppException> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppException) return e;
    throw e;
  }
  throw new Error('expected an AppException');
}

describe('WorkflowsService and the trigger registry', () => {
  beforeAll(() => Logger.overrideLogger(false));
  it('create: the trigger type normalizes the trigger, then activates the saved workflow inside the transaction', async () => {
    const { service, alpha, beta, repo } = setup();
    const created = await service.create(user, createDto());
    expect(alpha.normalize).toHaveBeenCalledWith({ type: 'alpha', every: 5 }, { tenantId: user.tenantId, field: 'trigger' }, []);
    expect(repo.create.mock.calls[0][2]).toMatchObject({ trigger: { type: 'alpha', every: 5 }, active: true });
    expect(alpha.activate).toHaveBeenCalledTimes(1);
    expect(alpha.activate.mock.calls[0][0]).toEqual({
      id: created.id,
      tenantId: user.tenantId,
      active: true,
      trigger: { type: 'alpha', every: 5 },
      settings: SETTINGS,
    });
    expect(beta.activate).not.toHaveBeenCalled();
  });

  it('create: an inactive workflow is saved without activating its trigger', async () => {
    const { service, alpha } = setup();
    await service.create(user, createDto({ active: false }));
    expect(alpha.activate).not.toHaveBeenCalled();
  });

  it('create: an unknown trigger type is a 400 naming trigger.type and listing the registered types; nothing is saved', async () => {
    const { service, repo } = setup();
    const e = await caught(service.create(user, createDto({ trigger: { type: 'ftp' } })));
    expect(e.status).toBe(400);
    expect(e.details).toEqual([{ field: 'trigger.type', message: 'trigger.type must be one of the trigger types: "alpha", "beta"' }]);
    expect(repo.create).not.toHaveBeenCalled();
  });

  it('create: problems the trigger type reports are a 400 with them, and nothing is saved', async () => {
    const { service, alpha, repo } = setup();
    alpha.normalize.mockImplementationOnce(async (_i, ctx, problems) => {
      problems.push({ field: `${ctx.field}.every`, message: 'too often' });
      return null;
    });
    const e = await caught(service.create(user, createDto()));
    expect(e.details).toEqual([{ field: 'trigger.every', message: 'too often' }]);
    expect(repo.create).not.toHaveBeenCalled();
  });

  it('create: an activation that fails (the queue away) answers 503 QUEUE_UNAVAILABLE from inside the transaction', async () => {
    const { service, alpha, dataSource } = setup();
    alpha.failActivate = new Error('Connection is closed');
    const e = await caught(service.create(user, createDto()));
    expect({ status: e.status, code: e.code }).toEqual({ status: 503, code: 'QUEUE_UNAVAILABLE' });
    expect(e.message).not.toContain('Connection is closed');
    await expect(dataSource.transaction.mock.results[0].value).rejects.toBe(e);
  });

  it("create: a handler's own AppException (a clear 4xx) goes out as it is", async () => {
    const { service, alpha } = setup();
    alpha.failActivate = AppException.validation([{ field: 'trigger.queue', message: 'no such queue' }]);
    const e = await caught(service.create(user, createDto()));
    expect(e).toBe(alpha.failActivate);
  });

  it('update: same type, still active → re-activated with the new state (trigger or settings may have changed)', async () => {
    const { service, alpha } = setup();
    await service.update(user, 'w-1', { trigger: { type: 'alpha', every: 9 } });
    expect(alpha.activate).toHaveBeenCalledTimes(1);
    expect(alpha.activate.mock.calls[0][0]).toMatchObject({ id: 'w-1', active: true, trigger: { type: 'alpha', every: 9 } });
    expect(alpha.deactivate).not.toHaveBeenCalled();
  });

  it('update: switched off → deactivated; an inactive workflow edited stays untouched', async () => {
    const { service, alpha, setStored } = setup();
    await service.update(user, 'w-1', { active: false });
    expect(alpha.deactivate).toHaveBeenCalledTimes(1);
    expect(alpha.activate).not.toHaveBeenCalled();
    setStored(entity({ active: false }));
    alpha.deactivate.mockClear();
    await service.update(user, 'w-1', { name: 'Renamed' });
    expect(alpha.activate).not.toHaveBeenCalled();
    expect(alpha.deactivate).not.toHaveBeenCalled();
  });

  it('update: a trigger-type change stops the old type and starts the new one', async () => {
    const { service, alpha, beta } = setup();
    await service.update(user, 'w-1', { trigger: { type: 'beta' } });
    expect(beta.normalize).toHaveBeenCalledTimes(1);
    expect(alpha.deactivate).toHaveBeenCalledTimes(1);
    expect(alpha.deactivate.mock.calls[0][0]).toMatchObject({ id: 'w-1', active: false, trigger: { type: 'alpha' } });
    expect(beta.activate).toHaveBeenCalledTimes(1);
    expect(beta.activate.mock.calls[0][0]).toMatchObject({ id: 'w-1', active: true, trigger: { type: 'beta' } });
    expect(alpha.activate).not.toHaveBeenCalled();
  });

  it('update: a stale expectedVersion is a 409 VERSION_CONFLICT and no trigger is touched', async () => {
    const { service, alpha } = setup();
    const e = await caught(service.update(user, 'w-1', { name: 'x', expectedVersion: 7 }));
    expect({ status: e.status, code: e.code }).toEqual({ status: 409, code: 'VERSION_CONFLICT' });
    expect(alpha.activate).not.toHaveBeenCalled();
    expect(alpha.deactivate).not.toHaveBeenCalled();
  });

  it('update: an unknown trigger type is a 400 naming trigger.type', async () => {
    const { service, repo } = setup();
    const e = await caught(service.update(user, 'w-1', { trigger: { type: 'nope' } }));
    expect(e.details?.[0].field).toBe('trigger.type');
    expect(repo.update).not.toHaveBeenCalled();
  });

  it('toggle: on activates, off deactivates', async () => {
    const { service, alpha } = setup();
    await service.toggle(user, 'w-1', false);
    expect(alpha.deactivate).toHaveBeenCalledTimes(1);
    expect(alpha.deactivate.mock.calls[0][0]).toMatchObject({ active: false });
    await service.toggle(user, 'w-1', true);
    expect(alpha.activate).toHaveBeenCalledTimes(1);
    expect(alpha.activate.mock.calls[0][0]).toMatchObject({ active: true });
  });

  it('delete: deactivates the trigger of the deleted workflow inside the transaction', async () => {
    const { service, alpha, repo } = setup();
    await service.delete(user, 'w-1');
    expect(repo.delete).toHaveBeenCalled();
    expect(alpha.deactivate).toHaveBeenCalledTimes(1);
    expect(alpha.deactivate.mock.calls[0][0]).toMatchObject({ id: 'w-1', active: false, trigger: { type: 'alpha' } });
  });

  it('delete: a deactivation that fails answers 503 and the delete is rolled back', async () => {
    const { service, alpha, dataSource } = setup();
    alpha.deactivate.mockRejectedValueOnce(new Error('Redis away'));
    const e = await caught(service.delete(user, 'w-1'));
    expect(e.code).toBe('QUEUE_UNAVAILABLE');
    await expect(dataSource.transaction.mock.results[0].value).rejects.toBe(e);
  });
});
