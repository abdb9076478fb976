import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { enqueueWithin } from '../../core/queue/enqueue-within';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException, ErrorDetail } from '../../core/errors/app-exception';
import { AuthUser } from '../../core/security/auth-user';
import { EncryptionService } from '../../core/security/encryption.service';
import { auditChanges, AuditService } from '../audit';
import {
  CreatedWorkflowDto,
  CreateWorkflowDto,
  SettingsDto,
  UpdateWorkflowDto,
  WebhookSecretDto,
  WorkflowDto,
  WorkflowPageDto,
} from './dto/workflow.dto';
import { RollbackWorkflowDto } from './dto/workflow-version.dto';
import { WorkflowEntity } from './entities/workflow.entity';
import { secretAad, WorkflowCache } from './workflow-cache';
import type { TriggerHandler, TriggerWorkflow } from './triggers/trigger-handler';
import { TriggerRegistry } from './triggers/trigger.registry';
import { WorkflowValidator } from './workflow-validator';
import { DEFAULT_SETTINGS, WorkflowSettings, WorkflowTrigger } from './workflow.types';
import { WorkflowVersionsRepository } from './workflow-versions.repository';
import { WorkflowsRepository, WorkflowWrite } from './workflows.repository';

export const SIGNATURE_FORMAT = 'X-Flowgate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">';

export function toWorkflowDto(w: WorkflowEntity, hasSecret: boolean): WorkflowDto {
  return {
    id: w.id,
    name: w.name,
    description: w.description,
    active: w.active,
    trigger: w.trigger,
    steps: w.steps.map((s) => ({ ...s, params: s.params ?? {} })),
    settings: w.settings,
    version: w.version,
    hasWebhookSecret: hasSecret,
    webhookPath: `/api/webhooks/${w.id}`,
    errorWorkflowId: w.errorWorkflowId ?? null,
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  };
}

@Injectable()
export class WorkflowsService {
  private readonly logger = new Logger(WorkflowsService.name);

  constructor(
    private readonly repo: WorkflowsRepository,
    private readonly validator: WorkflowValidator,
    private readonly triggers: TriggerRegistry,
    private readonly cache: WorkflowCache,
    private readonly encryption: EncryptionService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly versions: WorkflowVersionsRepository,
    private readonly audit: AuditService,
  ) {}

  /** `audit`: the action recorded (an import records `workflow.import`). */
  async create(
    user: AuthUser,
    dto: CreateWorkflowDto,
    audit: { action: string } = { action: 'workflow.create' },
  ): Promise<CreatedWorkflowDto> {
    const problems: ErrorDetail[] = [];
    const handler = this.triggers.resolve(dto.trigger?.type);
    const trigger = await handler.normalize(dto.trigger, { tenantId: user.tenantId, field: 'trigger' }, problems);
    const steps = this.validator.normalizeSteps(dto.steps);
    await this.validator.checkSteps(user.tenantId, steps, problems);
    await this.checkErrorWorkflow(user.tenantId, null, dto.errorWorkflowId, problems);
    if (problems.length || !trigger) throw AppException.validation(problems);

    const id = randomUUID();
    const secret = dto.generateWebhookSecret ? newSecret() : null;
    const data: WorkflowWrite = {
      name: dto.name.trim(),
      description: dto.description ?? null,
      active: dto.active ?? true,
      trigger,
      steps,
      settings: this.settings(dto.settings),
      errorWorkflowId: dto.errorWorkflowId ?? null,
    };
    const created = await this.dataSource.transaction(async (m) => {
      const w = await this.repo
        .withManager(m)
        .create(user.tenantId, id, data, secret ? this.encryption.encrypt(secret, secretAad(id)) : null);
      await this.versions.withManager(m).snapshot(w, user.userId);
      await this.audit.record(m, {
        tenantId: user.tenantId,
        action: audit.action,
        targetType: 'workflow',
        targetId: id,
        changes: auditChanges(null, { ...auditView(w), ...(secret ? { webhookSecret: 'generated' } : {}) }, WEBHOOK_SECRET_FIELD),
      });
      if (w.active) await this.guard(handler.activate(triggerView(w)));
      return w;
    });
    this.logger.log({ workflowId: id, tenantId: user.tenantId }, 'Workflow created');
    return { ...toWorkflowDto(created, !!secret), ...(secret ? { webhookSecret: secret } : {}) };
  }

  async list(user: AuthUser, page = 1, limit = 20, active?: boolean): Promise<WorkflowPageDto> {
    const { items, total } = await this.repo.list(user.tenantId, { page, limit, active });
    const ids = items.map((w) => w.id);
    const [secrets, lastRuns] = await Promise.all([this.secretFlags(user.tenantId, ids), this.repo.lastRuns(user.tenantId, ids)]);
    return {
      items: items.map((w) => ({ ...toWorkflowDto(w, secrets.has(w.id)), lastRun: lastRuns.get(w.id) ?? null })),
      total,
      page,
      limit,
    };
  }

  async get(user: AuthUser, id: string): Promise<WorkflowDto> {
    const w = await this.find(user.tenantId, id);
    return toWorkflowDto(w, (await this.secretFlags(user.tenantId, [id])).has(id));
  }

  /** The stored workflow, or 404 (also for another tenant's id). */
  async find(tenantId: string, id: string): Promise<WorkflowEntity> {
    const w = await this.repo.findInTenant(tenantId, id);
    if (!w) throw AppException.notFound('Workflow');
    return w;
  }

  async update(user: AuthUser, id: string, dto: UpdateWorkflowDto): Promise<WorkflowDto> {
    const current = await this.find(user.tenantId, id);
    const problems: ErrorDetail[] = [];
    const patch: Partial<WorkflowWrite> = {};
    if (dto.name !== undefined) patch.name = dto.name.trim();
    if (dto.description !== undefined) patch.description = dto.description;
    if (dto.active !== undefined) patch.active = dto.active;
    if (dto.trigger !== undefined) {
      const normalized = await this.triggers
        .resolve(dto.trigger.type)
        .normalize(dto.trigger, { tenantId: user.tenantId, field: 'trigger' }, problems);
      if (normalized) patch.trigger = normalized;
    }
    if (dto.steps !== undefined) {
      patch.steps = this.validator.normalizeSteps(dto.steps);
      await this.validator.checkSteps(user.tenantId, patch.steps, problems);
    }
    if (dto.settings !== undefined) patch.settings = this.settings(dto.settings, current.settings);
    if (dto.errorWorkflowId !== undefined) {
      await this.checkErrorWorkflow(user.tenantId, id, dto.errorWorkflowId, problems);
      patch.errorWorkflowId = dto.errorWorkflowId;
    }
    if (problems.length) throw AppException.validation(problems);

    const updated = await this.dataSource.transaction(async (m) => {
      const w = await this.repo.withManager(m).update(user.tenantId, id, patch, dto.expectedVersion);
      if (!w) {
        if (dto.expectedVersion !== undefined && (await this.repo.withManager(m).findInTenant(user.tenantId, id))) {
          throw AppException.conflict('VERSION_CONFLICT', `Workflow changed since version ${dto.expectedVersion}; reload and retry`);
        }
        throw AppException.notFound('Workflow');
      }
      await this.versions.withManager(m).snapshot(w, user.userId);
      await this.audit.record(m, {
        tenantId: user.tenantId,
        action: 'workflow.update',
        targetType: 'workflow',
        targetId: id,
        changes: auditChanges({ ...auditView(current), version: current.version }, { ...auditView(w), version: w.version }),
      });
      await this.retrigger(current, w);
      return w;
    });
    this.cache.invalidate(id);
    return toWorkflowDto(updated, (await this.secretFlags(user.tenantId, [id])).has(id));
  }

  /** Activation is not a version (like n8n and Zapier): the definition is unchanged, `version` stays. */
  async toggle(user: AuthUser, id: string, active: boolean): Promise<WorkflowDto> {
    const current = await this.find(user.tenantId, id);
    const updated = await this.dataSource.transaction(async (m) => {
      const w = await this.repo.withManager(m).setActive(user.tenantId, id, active);
      if (!w) throw AppException.notFound('Workflow');
      await this.audit.record(m, {
        tenantId: user.tenantId,
        action: 'workflow.toggle',
        targetType: 'workflow',
        targetId: id,
        changes: auditChanges({ active: current.active }, { active: w.active }),
      });
      const handler = this.handlerOf(w.trigger);
      if (handler) await this.guard(active ? handler.activate(triggerView(w)) : handler.deactivate(triggerView(w)));
      return w;
    });
    this.cache.invalidate(id);
    return toWorkflowDto(updated, (await this.secretFlags(user.tenantId, [id])).has(id));
  }

  async delete(user: AuthUser, id: string): Promise<void> {
    const current = await this.find(user.tenantId, id);
    await this.dataSource.transaction(async (m) => {
      if (!(await this.repo.withManager(m).delete(user.tenantId, id))) throw AppException.notFound('Workflow');
      await this.audit.record(m, {
        tenantId: user.tenantId,
        action: 'workflow.delete',
        targetType: 'workflow',
        targetId: id,
        changes: auditChanges({ ...auditView(current), version: current.version }, null),
      });
      const handler = this.handlerOf(current.trigger);
      if (handler) await this.guard(handler.deactivate({ ...triggerView(current), active: false }));
    });
    this.cache.invalidate(id);
  }

  async rotateSecret(user: AuthUser, id: string): Promise<WebhookSecretDto> {
    await this.find(user.tenantId, id);
    const secret = newSecret();
    await this.dataSource.transaction(async (m) => {
      const repo = this.repo.withManager(m);
      const had = (await repo.idsWithSecret(user.tenantId, [id])).has(id);
      if (!(await repo.setSecret(user.tenantId, id, this.encryption.encrypt(secret, secretAad(id)))))
        throw AppException.notFound('Workflow');
      await this.recordSecretChange(m, user, id, 'workflow.webhook_secret_rotate', had, true);
    });
    this.cache.invalidate(id);
    return { webhookSecret: secret, signatureFormat: SIGNATURE_FORMAT };
  }

  async removeSecret(user: AuthUser, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const repo = this.repo.withManager(m);
      const had = (await repo.idsWithSecret(user.tenantId, [id])).has(id);
      if (!(await repo.setSecret(user.tenantId, id, null))) throw AppException.notFound('Workflow');
      await this.recordSecretChange(m, user, id, 'workflow.webhook_secret_remove', had, false);
    });
    this.cache.invalidate(id);
  }

  /**
   * An error workflow must be another workflow of this tenant: another tenant's id reads as
   * unknown (the same message as an id that names nothing). A handler may name a handler of its
   * own; no cycle check is needed, since a run started as a handler (trigger `error`) never
   * starts one (docs/failure-alerts.md).
   */
  private async checkErrorWorkflow(
    tenantId: string,
    selfId: string | null,
    errorWorkflowId: string | null | undefined,
    problems: ErrorDetail[],
  ): Promise<void> {
    if (errorWorkflowId === undefined || errorWorkflowId === null) return;
    if (selfId !== null && errorWorkflowId.toLowerCase() === selfId.toLowerCase()) {
      problems.push({ field: 'errorWorkflowId', message: 'a workflow cannot be its own error workflow' });
    } else if (!(await this.repo.findInTenant(tenantId, errorWorkflowId))) {
      problems.push({ field: 'errorWorkflowId', message: 'errorWorkflowId must name a workflow of this tenant' });
    }
  }

  /**
   * Makes the definition of an earlier version current again, as a NEW version (history is never
   * rewritten). The definition is validated again (a credential deleted since is a 400 naming the
   * field, nothing saved); an error workflow that no longer exists is restored as none. `active`
   * stays as it is now (activation is not versioned). The trigger is re-synced like an edit.
   */
  async rollback(user: AuthUser, id: string, dto: RollbackWorkflowDto): Promise<WorkflowDto> {
    const current = await this.find(user.tenantId, id);
    if (dto.expectedVersion !== undefined && dto.expectedVersion !== current.version) throw versionConflict(dto.expectedVersion);
    const target = await this.versions.find(user.tenantId, id, dto.version);
    if (!target) throw AppException.notFound(`Workflow version ${dto.version}`);

    const problems: ErrorDetail[] = [];
    const trigger = await this.triggers
      .resolve(target.trigger?.type)
      .normalize(target.trigger, { tenantId: user.tenantId, field: 'trigger' }, problems);
    const steps = this.validator.normalizeSteps(target.steps);
    await this.validator.checkSteps(user.tenantId, steps, problems);
    if (problems.length || !trigger) throw AppException.validation(problems);
    const handlerId = target.errorWorkflowId;
    const errorWorkflowId = handlerId && handlerId !== id && (await this.repo.findInTenant(user.tenantId, handlerId)) ? handlerId : null;
    const patch: Partial<WorkflowWrite> & { errorWorkflowId: string | null } = {
      name: target.name,
      description: target.description,
      trigger,
      steps,
      settings: target.settings,
      errorWorkflowId,
    };

    const updated = await this.dataSource.transaction(async (m) => {
      const w = await this.repo.withManager(m).update(user.tenantId, id, patch, dto.expectedVersion ?? current.version);
      if (!w) {
        if (await this.repo.withManager(m).findInTenant(user.tenantId, id)) throw versionConflict(dto.expectedVersion ?? current.version);
        throw AppException.notFound('Workflow');
      }
      await this.versions.withManager(m).snapshot(w, user.userId);
      await this.audit.record(m, {
        tenantId: user.tenantId,
        action: 'workflow.rollback',
        targetType: 'workflow',
        targetId: id,
        changes: auditChanges(
          { ...auditView(current), version: current.version },
          { ...auditView(w), version: w.version, restoredVersion: target.version },
        ),
      });
      await this.retrigger(current, w);
      return w;
    });
    this.cache.invalidate(id);
    this.logger.log(
      { workflowId: id, tenantId: user.tenantId, restored: target.version, version: updated.version },
      'Workflow rolled back',
    );
    return toWorkflowDto(updated, (await this.secretFlags(user.tenantId, [id])).has(id));
  }

  /** Only that the webhook secret was set, rotated or removed: never a value, sealed or not. */
  private recordSecretChange(m: EntityManager, user: AuthUser, id: string, action: string, had: boolean, has: boolean): Promise<void> {
    return this.audit.record(m, {
      tenantId: user.tenantId,
      action,
      targetType: 'workflow',
      targetId: id,
      changes: auditChanges({ webhookSecret: had ? 'old' : null }, { webhookSecret: has ? 'new' : null }, WEBHOOK_SECRET_FIELD),
    });
  }

  private settings(dto: SettingsDto | undefined, base?: WorkflowSettings): WorkflowSettings {
    const start = base ?? { ...DEFAULT_SETTINGS, stepTimeoutMs: this.config.connectors?.stepTimeoutMs ?? 30_000 };
    return {
      retries: dto?.retries ?? start.retries,
      backoff: dto?.backoff ? { type: dto.backoff.type, delayMs: dto.backoff.delayMs } : start.backoff,
      stepTimeoutMs: dto?.stepTimeoutMs ?? start.stepTimeoutMs,
    };
  }

  /**
   * After an edit: a trigger moved to another type stops under its old handler and starts under
   * the new one; otherwise an active workflow is (re)activated (its trigger or settings may have
   * changed) and one switched off is deactivated.
   */
  private async retrigger(before: WorkflowEntity, after: WorkflowEntity): Promise<void> {
    const oldHandler = this.handlerOf(before.trigger);
    const newHandler = this.handlerOf(after.trigger);
    if (oldHandler !== newHandler) {
      if (oldHandler && before.active) await this.guard(oldHandler.deactivate({ ...triggerView(before), active: false }));
      if (newHandler && after.active) await this.guard(newHandler.activate(triggerView(after)));
      return;
    }
    if (!newHandler) return;
    if (after.active) await this.guard(newHandler.activate(triggerView(after)));
    else if (before.active) await this.guard(newHandler.deactivate(triggerView(after)));
  }

  /** The stored trigger's handler; none for a type this deployment no longer registers (nothing to start or stop). */
  private handlerOf(trigger: WorkflowTrigger): TriggerHandler | undefined {
    return this.triggers.get(trigger.type);
  }

  /**
   * Trigger (de)activation happens inside the database transaction: if the outside world (the
   * job queue's Redis for a schedule) cannot take it, nothing is saved. A call that hangs must
   * not hold the request or the transaction. A handler's own AppException (a clear 4xx) goes
   * out as it is; anything else is the queue being away.
   */
  private async guard(p: Promise<unknown>): Promise<void> {
    await enqueueWithin(() => p, {
      ms: Math.max(this.config.webhooks.enqueueTimeoutMs, 2000),
      message: 'The job queue is unavailable; nothing was changed. Try again shortly.',
    });
  }

  private secretFlags(tenantId: string, ids: string[]): Promise<Set<string>> {
    return this.repo.idsWithSecret(tenantId, ids);
  }
}

const WEBHOOK_SECRET_FIELD = { secretFields: ['webhookSecret'] };

/** What the audit log compares of a workflow (its definition and state; never its webhook secret). */
function auditView(w: WorkflowEntity): Record<string, unknown> {
  return {
    name: w.name,
    description: w.description,
    active: w.active,
    trigger: w.trigger,
    steps: w.steps,
    settings: w.settings,
    errorWorkflowId: w.errorWorkflowId ?? null,
  };
}

function versionConflict(expected: number): AppException {
  return AppException.conflict('VERSION_CONFLICT', `Workflow changed since version ${expected}; reload and retry`);
}

function triggerView(w: WorkflowEntity): TriggerWorkflow {
  return { id: w.id, tenantId: w.tenantId, active: w.active, trigger: w.trigger, settings: w.settings };
}

function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
