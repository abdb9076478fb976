import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../../core/config/app-config';
import { KongAdminClient } from '../admin/kong-admin.client';
import { DeclarativeConfig, renderDeclarativeConfig } from '../declarative/declarative-config';
import { mergeOperatorBase, OperatorEntities, readOperatorBase } from '../declarative/operator-base-config';
import { KongDeploymentEntity } from '../entities/kong-deployment.entity';
import { KongDeploymentsRepository } from '../kong-deployments.repository';
import { patternFor } from '../patterns';
import { KongPlan } from '../patterns/kong-plan';
import { DeploymentSecretsService } from './deployment-secrets.service';

/** One lock for the global DB-less document: two replicas never post interleaved renders. */
export const DBLESS_LOCK = 'kong:dbless-config';

/**
 * DB-less Kong has one configuration for everything. Flowgate renders it from every active
 * deployment (plus the one being applied, minus the one being removed), adds the operator's
 * own entities from KONG_DBLESS_BASE_CONFIG (POST /config replaces everything, so leaving
 * them out would delete them), and loads it with `POST /config`, which replaces Kong's state
 * atomically: a rejected config changes nothing.
 */
@Injectable()
export class DblessConfigService {
  private readonly logger = new Logger(DblessConfigService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly kong: KongAdminClient,
    private readonly deployments: KongDeploymentsRepository,
    private readonly secrets: DeploymentSecretsService,
  ) {}

  planFor(d: KongDeploymentEntity): KongPlan {
    return patternFor(d.useCase).plan(
      { deploymentId: d.id, tenantId: d.tenantId, workflowId: d.workflowId, options: d.options, secrets: this.secrets.read(d) },
      this.config,
    );
  }

  /** Renders the whole config; `include` replaces (or adds) one deployment's plan, `exclude` drops one. Caller holds DBLESS_LOCK. */
  async render(
    change: { include?: { id: string; plan: KongPlan }; exclude?: string } = {},
  ): Promise<{ config: DeclarativeConfig; secrets: string[] }> {
    const active = await this.deployments.listActiveForDeclarativeConfig();
    const plans: KongPlan[] = [];
    for (const d of active) {
      if (d.id === change.exclude || d.id === change.include?.id) continue;
      try {
        plans.push(this.planFor(d));
      } catch (e) {
        // An unreadable deployment (e.g. sealed with a retired key) must not take everyone's routes down.
        this.logger.error({ deploymentId: d.id, err: e }, 'Kong deployment left out of the DB-less config');
      }
    }
    if (change.include) plans.push(change.include.plan);
    const generated = renderDeclarativeConfig(plans, this.config);
    const basePath = this.config.kong.dblessBaseConfig;
    const config = basePath ? mergeOperatorBase(generated, await this.readBase(basePath)) : generated;
    return { config, secrets: plans.flatMap((p) => p.secrets) };
  }

  /** The operator's entities; a problem is logged with the file's path (the answer names the setting only). */
  async readBase(path: string): Promise<OperatorEntities> {
    try {
      return await readOperatorBase(path);
    } catch (e) {
      this.logger.error({ path, err: e }, 'Kong base configuration unusable');
      throw e;
    }
  }

  /** Render and load. Caller holds DBLESS_LOCK. */
  async sync(change: { include?: { id: string; plan: KongPlan }; exclude?: string } = {}): Promise<DeclarativeConfig> {
    const { config, secrets } = await this.render(change);
    await this.kong.loadDeclarativeConfig(config as unknown as Record<string, unknown>, secrets);
    this.logger.log(
      `Loaded DB-less Kong config: ${config.services.length} services, ${config.consumers?.length ?? 0} consumers (operator's entities included)`,
    );
    return config;
  }
}
