import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { CacheCounter, CacheMetrics } from '../../core/metrics/cache-metrics';
import { MetricsService } from '../../core/metrics/metrics.service';
import { REDIS } from '../../core/redis/redis.module';
import { createRedisClient, RedisClient } from '../../core/redis/redis-client.factory';
import { EncryptionService } from '../../core/security/encryption.service';
import { StepDefinition } from '../engine';
import { openDeploymentSecrets } from '../kong';
import { WorkflowSettings, WorkflowTrigger } from './workflow.types';
import { WorkflowRuntimeRow, WorkflowsRepository } from './workflows.repository';

/** A workflow as the webhook path and the worker need it (secret decrypted, in memory only). */
export interface RuntimeWorkflow {
  id: string;
  tenantId: string;
  name: string;
  active: boolean;
  trigger: WorkflowTrigger;
  steps: StepDefinition[];
  settings: WorkflowSettings;
  version: number;
  webhookSecret: string | null;
  /** The workflow run when a run of this one fails for good (failure alerts); null: none. */
  errorWorkflowId: string | null;
  /**
   * Null: not behind Kong. Otherwise the workflow is behind a webhook-fronting Kong pattern and
   * its webhook accepts only calls carrying one of these gateway secrets (possibly none, when a
   * deployment's secrets cannot be opened: closed rather than open).
   */
  gatewaySecrets: string[] | null;
}

interface Entry {
  value: RuntimeWorkflow | null;
  expiresAt: number;
  loading?: Promise<RuntimeWorkflow | null>;
}

const MAX_ENTRIES = 50_000;

export function secretAad(workflowId: string): string {
  return `workflow-webhook-secret:${workflowId}`;
}

/**
 * In-process, short-lived copy of workflows by id, so the webhook path and the worker do not
 * read PostgreSQL for every event. An edit invalidates the copy in this process at once and in
 * every other replica through a Redis pub/sub message (usually within a millisecond);
 * WORKFLOW_CACHE_TTL_MS bounds staleness when that message is lost (Redis away). The worker
 * re-checks `active` on its copy, and a run records the version it actually ran. Misses are
 * cached too (unknown ids cost nothing), and concurrent misses for one id share one query.
 */
@Injectable()
export class WorkflowCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(WorkflowCache.name);
  private readonly entries = new Map<string, Entry>();
  private readonly channel: string;
  private subscriber?: RedisClient;
  private readonly counter: CacheCounter;

  constructor(
    private readonly repo: WorkflowsRepository,
    private readonly encryption: EncryptionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: RedisClient,
    metrics: MetricsService,
  ) {
    this.channel = `${config.queue.prefix}:workflow-changed`;
    this.counter = new CacheMetrics(metrics).for('workflow');
  }

  onModuleInit(): void {
    // A connection of its own: a subscribed connection can do nothing else. It queues the
    // SUBSCRIBE until connected and re-subscribes after every reconnect.
    this.subscriber = createRedisClient(this.config.redis, 'subscriber', {
      connectionName: `flowgate-${this.config.role}-workflow-sub`,
    });
    this.subscriber.on('message', (_channel: string, id: string) => this.entries.delete(id));
    this.subscriber.subscribe(this.channel).catch((e: Error) => this.logger.warn({ err: e }, 'Workflow change channel not subscribed'));
  }

  onApplicationShutdown(): void {
    // Not quit(): with Redis away it would wait in the offline queue; a subscriber has nothing to flush.
    this.subscriber?.disconnect();
  }

  async get(id: string): Promise<RuntimeWorkflow | null> {
    const now = Date.now();
    const hit = this.entries.get(id);
    if (hit && hit.expiresAt > now) {
      this.counter.hit();
      return hit.value;
    }
    // A lookup joining a load already in flight shares its query: a hit, not another load.
    if (hit?.loading) {
      this.counter.hit();
      return hit.loading;
    }
    this.counter.miss();
    const loading = this.load(id);
    this.entries.set(id, { value: null, expiresAt: 0, loading });
    try {
      const value = await loading;
      // Invalidated while loading (an edit committed meanwhile): answer, but do not keep it.
      if (this.entries.get(id)?.loading !== loading) return value;
      if (this.config.webhooks.cacheTtlMs > 0) {
        if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
        this.entries.set(id, { value, expiresAt: Date.now() + this.config.webhooks.cacheTtlMs });
      } else this.entries.delete(id);
      return value;
    } catch (e) {
      this.entries.delete(id);
      throw e;
    }
  }

  /** Drops the copy here and tells the other replicas to drop theirs (after the edit committed). */
  invalidate(id: string): void {
    this.entries.delete(id);
    this.redis.publish(this.channel, id).catch(() => undefined); // Redis away: the TTL still bounds staleness
  }

  private async load(id: string): Promise<RuntimeWorkflow | null> {
    const row = await this.repo.findForRuntime(id);
    if (!row) return null;
    return {
      id: row.id,
      tenantId: row.tenantId,
      name: row.name,
      active: row.active,
      trigger: row.trigger,
      steps: row.steps,
      settings: row.settings,
      version: row.version,
      webhookSecret: row.webhookSecret ? this.encryption.decrypt(row.webhookSecret, secretAad(row.id)) : null,
      errorWorkflowId: row.errorWorkflowId ?? null,
      gatewaySecrets: this.gatewaySecrets(row.webhookFronts),
    };
  }

  private gatewaySecrets(fronts: WorkflowRuntimeRow['webhookFronts']): string[] | null {
    let behindKong = false;
    const accepted: string[] = [];
    for (const d of fronts) {
      let secret: string | undefined;
      try {
        secret = openDeploymentSecrets(this.encryption, { id: d.id, secretsCiphertext: d.sealed }).gatewaySecret;
      } catch (e) {
        this.logger.error(
          `Kong deployment ${d.id}: secrets unreadable (${(e as Error).message}); its workflow's webhook refuses every call until it is re-applied or removed`,
        );
        behindKong = true;
        continue;
      }
      // A deployment stored before webhook routes carried the secret has none: KongLifecycle upgrades it at start.
      if (secret) {
        behindKong = true;
        accepted.push(secret);
      }
    }
    return behindKong ? accepted : null;
  }
}
