import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, AppConfig } from '../../../core/config/app-config';
import { CredentialsService } from '../../credentials';
import { ExecutionProducer } from '../../executions';
import type { TriggerReconcileReport } from '../../workflows';
import { ActiveAmqpWorkflow, ActiveAmqpWorkflows } from './active-amqp-workflows';
import { AmqpConsumer, ConsumedMessage, ConsumerDeps, ConsumerSpec } from './amqp-consumer';
import { AMQP_KIND } from './amqp-credential';
import { AMQP_TRIGGER_TYPE } from './amqp-trigger';
import { BrokerDialer } from './broker-dialer';

/** How often a worker compares its consumers with the active amqp workflows in the database. */
export const RECONCILE_INTERVAL_MS = 5000;
/** After an activation in this process: late enough for its transaction to have committed. */
const AFTER_ACTIVATION_MS = [250, 1500];
const INTERVAL_NAME = 'amqp-trigger-reconcile';

interface Running {
  consumer: AmqpConsumer;
  /** What the consumer was started with; any change starts a new one. */
  fingerprint: string;
}

/**
 * The worker side of the amqp trigger: one consumer per active amqp workflow, kept equal to
 * the database (the source of truth, since the API process that saves a workflow may not be a
 * worker) every RECONCILE_INTERVAL_MS and soon after an activation in this process. Every worker
 * replica consumes every amqp workflow's queue: the broker shares the messages among them.
 * An `api`-only process runs no consumer.
 */
@Injectable()
export class AmqpConsumerManager implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AmqpTrigger');
  private readonly consumers = new Map<string, Running>();
  /** Workflows whose credential is missing or unreadable: reported once, not every pass. */
  private readonly reported = new Map<string, string>();
  private readonly deps: ConsumerDeps;
  private pass?: Promise<TriggerReconcileReport>;
  private passAgain = false;
  private closing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly workflows: ActiveAmqpWorkflows,
    private readonly credentials: CredentialsService,
    private readonly producer: ExecutionProducer,
    private readonly scheduler: SchedulerRegistry,
    dialer: BrokerDialer,
  ) {
    this.deps = {
      dialer,
      enqueue: (spec, message) => this.enqueue(spec, message),
      log: {
        info: (fields, message) => this.logger.log(fields, message),
        warn: (fields, message) => this.logger.warn(fields, message),
      },
      maxBodyBytes: config.http.bodyLimit,
      // An enqueue is bounded by its own deadline; a requeue pause ends at once on stop.
      drainMs: config.webhooks.enqueueTimeoutMs + 1000,
    };
  }

  /** Whether this process consumes (ROLE worker or all). */
  get runsConsumers(): boolean {
    return this.config.role !== 'api';
  }

  onApplicationBootstrap(): void {
    if (!this.runsConsumers) return;
    const timer = setInterval(() => void this.reconcileQuietly(), RECONCILE_INTERVAL_MS);
    timer.unref();
    this.scheduler.addInterval(INTERVAL_NAME, timer);
    void this.reconcileQuietly();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) this.scheduler.deleteInterval(INTERVAL_NAME);
    await this.pass?.catch(() => undefined);
    const running = [...this.consumers.values()];
    this.consumers.clear();
    await Promise.all(running.map((r) => r.consumer.stop()));
  }

  /** The consumer of a workflow, if this process runs one. */
  consumer(workflowId: string): AmqpConsumer | undefined {
    return this.consumers.get(workflowId)?.consumer;
  }

  /** An activation was saved in this process: reconcile once its transaction has committed. */
  activated(): void {
    if (!this.runsConsumers || this.closing) return;
    for (const ms of AFTER_ACTIVATION_MS) setTimeout(() => void this.reconcileQuietly(), ms).unref();
  }

  /**
   * A deactivation in this process: stop consuming at once (the stop itself, which lets
   * running enqueues finish, continues in the background). Were the save rolled back, the next
   * pass starts the consumer again.
   */
  deactivated(workflowId: string): void {
    const running = this.consumers.get(workflowId);
    if (!running) return;
    this.consumers.delete(workflowId);
    void running.consumer.stop();
  }

  /** One pass at a time; a call during a pass gets a fresh pass after it. */
  reconcile(): Promise<TriggerReconcileReport> {
    if (this.pass) {
      this.passAgain = true;
      return this.pass;
    }
    const pass = this.reconcilePass().finally(() => {
      this.pass = undefined;
      if (this.passAgain && !this.closing) {
        this.passAgain = false;
        void this.reconcileQuietly();
      }
    });
    this.pass = pass;
    return pass;
  }

  private async reconcileQuietly(): Promise<void> {
    if (this.closing) return;
    await this.reconcile().catch((err: unknown) =>
      this.logger.warn({ err }, 'AMQP trigger reconciliation failed; retried on the next pass'),
    );
  }

  private async reconcilePass(): Promise<TriggerReconcileReport> {
    const rows = await this.workflows.list();
    const report = { expected: rows.length, upserted: 0, removed: 0 };
    if (!this.runsConsumers || this.closing) return report;
    const wanted = new Map(rows.map((r) => [r.id, r]));
    for (const [id, running] of this.consumers) {
      if (wanted.has(id)) continue;
      this.consumers.delete(id);
      void running.consumer.stop();
      report.removed++;
    }
    for (const row of rows) {
      const fingerprint = fingerprintOf(row);
      const running = this.consumers.get(row.id);
      if (running?.fingerprint === fingerprint) {
        running.consumer.updateSettings(row.settings);
        continue;
      }
      if (running) {
        this.consumers.delete(row.id);
        void running.consumer.stop();
      }
      const spec = await this.specFor(row);
      if (!spec || this.closing) continue;
      const consumer = new AmqpConsumer(spec, this.deps);
      this.consumers.set(row.id, { consumer, fingerprint });
      consumer.start();
      report.upserted++;
    }
    for (const id of this.reported.keys()) if (!wanted.has(id)) this.reported.delete(id);
    return report;
  }

  /** The consumer's spec with the broker URL, or null (reported once) when the credential cannot be used. */
  private async specFor(row: ActiveAmqpWorkflow): Promise<ConsumerSpec | null> {
    const problem = (why: string) => {
      if (this.reported.get(row.id) !== why) this.logger.warn({ workflowId: row.id, reason: why }, 'AMQP trigger cannot consume');
      this.reported.set(row.id, why);
      return null;
    };
    if (!row.credentialUpdatedAt) return problem('its credential no longer exists');
    let url: string | undefined;
    try {
      const credential = await this.credentials.owned(row.tenantId, row.trigger.credentialId);
      if (credential.authKind !== AMQP_KIND) return problem(`its credential is of kind ${credential.authKind}, not amqp`);
      url = (await this.credentials.resolve(credential)).secrets.url;
    } catch (e) {
      return problem(`its credential cannot be read (${(e as Error).name})`);
    }
    if (!url) return problem('its credential has no url');
    this.reported.delete(row.id);
    return { workflowId: row.id, tenantId: row.tenantId, trigger: row.trigger, settings: row.settings, url };
  }

  private async enqueue(spec: ConsumerSpec, message: ConsumedMessage): Promise<void> {
    await this.producer.enqueue({
      tenantId: spec.tenantId,
      workflowId: spec.workflowId,
      // A run's trigger is its workflow's trigger type.
      trigger: AMQP_TRIGGER_TYPE,
      payload: message.payload,
      settings: spec.settings,
      idempotencyKey: message.key,
    });
  }
}

function fingerprintOf(row: ActiveAmqpWorkflow): string {
  const t = row.trigger;
  return JSON.stringify([
    row.tenantId,
    t.credentialId,
    t.queue,
    t.prefetch,
    t.exchange ?? null,
    t.routingKey ?? null,
    row.credentialUpdatedAt?.toISOString() ?? null,
  ]);
}
