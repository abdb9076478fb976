import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { AuthUser } from '../../core/security/auth-user';
import { AuditService, auditChanges } from '../audit';
import { EngineService } from '../engine';
import { WorkflowCache } from '../workflows';
import { WorkflowsRepository } from '../workflows';
import { KongAdminClient } from './admin/kong-admin.client';
import { kongNotConfigured } from './admin/kong-admin.errors';
import { DBLESS_LOCK, DblessConfigService } from './deploy/dbless-config.service';
import { DbModeApplier } from './deploy/db-mode.applier';
import { DeploymentSecretsService } from './deploy/deployment-secrets.service';
import { ApplyKongTemplateDto, KongApplyResultDto, KongDeploymentDto } from './dto/kong-template.dto';
import { KongDeploymentEntity, KongEntityRecord } from './entities/kong-deployment.entity';
import { KongDeploymentsRepository } from './kong-deployments.repository';
import { patternFor, routePath, UseCase } from './patterns';
import { KongPlan } from './patterns/kong-plan';
import { deploymentTags } from './patterns/plan-kit';

/**
 * Turns a workflow into a managed API with one call: validates the use case's options, makes
 * (or updates) the Kong entities, and records the deployment. Applying the same template again
 * reuses the deployment and upserts the same entities, so nothing is duplicated.
 */
@Injectable()
export class KongTemplatesService {
  private readonly logger = new Logger(KongTemplatesService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly kong: KongAdminClient,
    private readonly deployments: KongDeploymentsRepository,
    private readonly workflows: WorkflowsRepository,
    private readonly engine: EngineService,
    private readonly secretsService: DeploymentSecretsService,
    private readonly applier: DbModeApplier,
    private readonly dbless: DblessConfigService,
    private readonly workflowCache: WorkflowCache,
    private readonly audit: AuditService,
  ) {}

  async apply(user: AuthUser, dto: ApplyKongTemplateDto): Promise<KongApplyResultDto> {
    if (!this.kong.configured) throw kongNotConfigured();
    const useCase = dto.use_case;
    const pattern = patternFor(useCase);
    // Everything that can be refused is refused here, before Kong is called.
    const options = pattern.validate(dto.options, { config: this.config, workflowId: dto.workflow_id });
    pattern.requireConfigured(this.config);
    const workflow = await this.workflows.findInTenant(user.tenantId, dto.workflow_id);
    if (!workflow) throw AppException.notFound('Workflow');
    pattern.checkWorkflow({ steps: workflow.steps, readOnlySteps: this.engine.readOnlySteps(workflow.steps) }, options);

    const mode = this.config.kong.mode;
    return this.deployments
      .withLock(`kong:deployment:${user.tenantId}:${workflow.id}:${useCase}`, async () => {
        const { deployment, created } = await this.deployments.insertOrGet(user.tenantId, {
          workflowId: workflow.id,
          useCase,
          options,
          mode,
        });
        const current = deployment.secretsCiphertext ? this.secretsService.read(deployment) : {};
        const { secrets, fresh } = this.secretsService.complete(pattern, options, current);
        const sealed = this.secretsService.seal(deployment.id, secrets);
        // Sealed before Kong sees the key: a crash after Kong's answer cannot lose it.
        await this.deployments.update(user.tenantId, deployment.id, { secretsCiphertext: sealed });
        const plan = pattern.plan(
          { deploymentId: deployment.id, tenantId: user.tenantId, workflowId: workflow.id, options, secrets },
          this.config,
        );

        let entities: KongEntityRecord;
        try {
          entities = await this.push(deployment.id, user.tenantId, workflow.id, plan);
        } catch (e) {
          await this.afterFailure(deployment, created, e);
          throw e;
        }
        await this.deployments.transaction(async (m) => {
          await this.deployments.update(
            user.tenantId,
            deployment.id,
            { options, mode, status: 'active', lastError: null, kongEntities: entities },
            m,
          );
          await this.audit.record(m, {
            tenantId: user.tenantId,
            action: created ? 'kong_deployment.create' : 'kong_deployment.apply',
            targetType: 'kong_deployment',
            targetId: deployment.id,
            changes: auditChanges(created ? null : { options: deployment.options, mode: deployment.mode, status: deployment.status }, {
              ...(created ? { workflowId: workflow.id, useCase } : {}),
              options,
              mode,
              status: 'active',
            }),
          });
        });
        const saved = await this.mustFind(user.tenantId, deployment.id);
        this.logger.log(
          `Kong template ${useCase} ${created ? 'applied' : 're-applied'} for workflow ${workflow.id} (deployment ${deployment.id}, ${mode})`,
        );
        const credentials = pattern.oneTimeCredentials(options, fresh, routePath(useCase, workflow.id));
        return { ...KongDeploymentDto.from(saved), created, ...(credentials ? { credentials } : {}) };
      })
      .finally(() => this.webhookFrontsChanged(useCase, workflow.id));
  }

  list(user: AuthUser): Promise<KongDeploymentDto[]> {
    return this.deployments.listForTenant(user.tenantId).then((rows) => rows.map((r) => KongDeploymentDto.from(r)));
  }

  async get(user: AuthUser, id: string): Promise<KongDeploymentDto> {
    return KongDeploymentDto.from(await this.mustFind(user.tenantId, id));
  }

  /** Removes every Kong entity the deployment made (found by its tag), then the record. */
  async remove(user: AuthUser, id: string): Promise<void> {
    const d = await this.mustFind(user.tenantId, id);
    if (!this.kong.configured) throw kongNotConfigured();
    await this.deployments.withLock(`kong:deployment:${d.tenantId}:${d.workflowId}:${d.useCase}`, async () => {
      if (this.config.kong.mode === 'dbless') {
        await this.deployments.withLock(DBLESS_LOCK, () => this.dbless.sync({ exclude: d.id }));
      } else {
        await this.applier.remove(`deployment:${d.id}`, d.tenantId, await this.consumerStillUsed(d));
      }
      await this.deployments.transaction(async (m) => {
        await this.deployments.deleteForTenant(d.tenantId, d.id, m);
        await this.audit.record(m, {
          tenantId: d.tenantId,
          action: 'kong_deployment.delete',
          targetType: 'kong_deployment',
          targetId: d.id,
          changes: auditChanges({ workflowId: d.workflowId, useCase: d.useCase, options: d.options, status: d.status }, null),
        });
      });
    });
    // Its webhook accepts direct calls again (unless another pattern still fronts it).
    this.webhookFrontsChanged(d.useCase, d.workflowId);
    this.logger.log(`Kong deployment ${d.id} (${d.useCase}) removed`);
  }

  /**
   * Deployments in front of a webhook stored before those routes carried the gateway secret
   * (their webhook still accepts direct calls): each gets a secret, Kong is made to send it,
   * and only then does the webhook start asking for it. Runs at api start (KongLifecycle). A
   * failure leaves them as they were (callable directly, and through Kong) for the next start.
   * Returns how many were upgraded.
   */
  async gateLegacyWebhookFronts(): Promise<number> {
    const lacking = (d: KongDeploymentEntity) => {
      try {
        return d.secretsCiphertext !== null && !this.secretsService.read(d).gatewaySecret;
      } catch {
        return false; // unreadable: its webhook already refuses every call (WorkflowCache)
      }
    };
    if (!(await this.deployments.listWebhookFronts()).some(lacking)) return 0;
    const upgrade = (d: KongDeploymentEntity) =>
      this.secretsService.complete(patternFor(d.useCase), d.options, this.secretsService.read(d)).secrets;
    const done: KongDeploymentEntity[] = [];
    if (this.config.kong.mode === 'dbless') {
      // Stored first (the render reads the rows), put back if Kong does not take the new config.
      await this.deployments.withLock(DBLESS_LOCK, async () => {
        const legacy = (await this.deployments.listWebhookFronts()).filter(lacking); // again: another replica may have done it
        for (const d of legacy)
          await this.deployments.update(d.tenantId, d.id, { secretsCiphertext: this.secretsService.seal(d.id, upgrade(d)) });
        try {
          if (legacy.length) await this.dbless.sync();
        } catch (e) {
          for (const d of legacy) await this.deployments.update(d.tenantId, d.id, { secretsCiphertext: d.secretsCiphertext });
          throw e;
        }
        done.push(...legacy);
      });
    } else {
      for (const stale of (await this.deployments.listWebhookFronts()).filter(lacking)) {
        await this.deployments.withLock(`kong:deployment:${stale.tenantId}:${stale.workflowId}:${stale.useCase}`, async () => {
          const d = await this.deployments.findForTenant(stale.tenantId, stale.id);
          if (!d || !lacking(d)) return; // removed, or upgraded by another replica meanwhile
          const secrets = upgrade(d);
          const plan = patternFor(d.useCase).plan(
            { deploymentId: d.id, tenantId: d.tenantId, workflowId: d.workflowId, options: d.options, secrets },
            this.config,
          );
          // Kong first: until the secret is stored the webhook ignores the header Kong now adds.
          await this.applier.apply(plan, deploymentTags({ tenantId: d.tenantId, workflowId: d.workflowId, deploymentId: d.id })[3]);
          await this.deployments.update(d.tenantId, d.id, { secretsCiphertext: this.secretsService.seal(d.id, secrets) });
          done.push(d);
        });
      }
    }
    for (const d of done) this.webhookFrontsChanged(d.useCase, d.workflowId);
    if (done.length)
      this.logger.log(
        `Gave ${done.length} Kong deployment(s) in front of a webhook their gateway secret: those webhooks now accept calls through Kong only`,
      );
    return done.length;
  }

  /**
   * The webhook path's cached workflow carries the gateway secrets of the deployments in front
   * of its webhook: after an apply (whatever its outcome) or a removal, drop that copy here and
   * in every replica.
   */
  private webhookFrontsChanged(useCase: UseCase, workflowId: string): void {
    if (patternFor(useCase).frontsWebhook) this.workflowCache.invalidate(workflowId);
  }

  private async mustFind(tenantId: string, id: string): Promise<KongDeploymentEntity> {
    const d = await this.deployments.findForTenant(tenantId, id);
    if (!d) throw AppException.notFound('Kong deployment');
    return d;
  }

  private async push(deploymentId: string, tenantId: string, workflowId: string, plan: KongPlan): Promise<KongEntityRecord> {
    if (this.config.kong.mode === 'dbless') {
      await this.deployments.withLock(DBLESS_LOCK, () => this.dbless.sync({ include: { id: deploymentId, plan } }));
      return recordFromPlan(plan);
    }
    return this.applier.apply(plan, deploymentTags({ tenantId, workflowId, deploymentId })[3]);
  }

  /**
   * A first apply that failed leaves nothing behind (Kong entities by tag, then the row); a
   * failed re-apply keeps the deployment, marked failed with the reason, for another try.
   */
  private async afterFailure(d: KongDeploymentEntity, created: boolean, e: unknown): Promise<void> {
    const reason = e instanceof Error ? e.message : String(e);
    if (!created) {
      await this.deployments.update(d.tenantId, d.id, { status: 'failed', lastError: reason.slice(0, 2000) });
      return;
    }
    if (this.config.kong.mode === 'db') {
      try {
        // The tenant consumer goes too when this failed deployment was going to be its only user.
        await this.applier.remove(`deployment:${d.id}`, d.tenantId, await this.consumerStillUsed(d));
      } catch (cleanup) {
        this.logger.warn({ deploymentId: d.id, err: cleanup }, 'Could not clean up the Kong entities of a failed deployment');
      }
    }
    await this.deployments.deleteForTenant(d.tenantId, d.id);
  }

  /** Whether the tenant's Kong consumer must stay when this deployment goes: it never used it, or another deployment still does. */
  private async consumerStillUsed(d: KongDeploymentEntity): Promise<boolean> {
    if (!patternFor(d.useCase).usesTenantConsumer) return true;
    return (await this.deployments.countOtherConsumerUsers(d.tenantId, d.id)) > 0;
  }
}

/** DB-less Kong assigns ids on load; the record keeps names (the stable handle) only. */
function recordFromPlan(plan: KongPlan): KongEntityRecord {
  return {
    services: plan.services.map((s) => ({ name: s.name })),
    routes: plan.services.flatMap((s) => s.routes.map((r) => ({ name: r.name, paths: r.paths, methods: r.methods }))),
    plugins: plan.services.flatMap((s) => s.routes.flatMap((r) => r.plugins.map((p) => ({ name: p.name, on: `route ${r.name}` })))),
    ...(plan.consumer ? { consumer: { username: plan.consumer.username } } : {}),
    credentials: plan.consumer ? [...(plan.consumer.keyAuth ? [{ kind: 'key-auth' as const }] : []), { kind: 'acl' as const }] : [],
  };
}
