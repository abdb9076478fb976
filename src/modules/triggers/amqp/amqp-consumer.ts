import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { settlesWithin } from '../../../core/async/deadline';
import type { WorkflowSettings } from '../../workflows';
import type { AmqpTrigger } from './amqp-trigger';
import { deliveryKey, messagePayload } from './amqp-message';
import { BackoffOptions, backoffDelay, RECONNECT_BACKOFF } from './backoff';
import type { BrokerDialer } from './broker-dialer';

/** What one consumer needs to know about its workflow. The URL stays in memory only. */
export interface ConsumerSpec {
  workflowId: string;
  tenantId: string;
  trigger: AmqpTrigger;
  settings: WorkflowSettings;
  url: string;
}

export interface ConsumedMessage {
  payload: unknown;
  /** Stable across redeliveries of the same message: the run's idempotency key. */
  key: string;
}

export interface ConsumerLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface ConsumerDeps {
  dialer: BrokerDialer;
  /** Stores the run (resolves once the job is in the queue); throws when it cannot. */
  enqueue(spec: ConsumerSpec, message: ConsumedMessage): Promise<void>;
  log: ConsumerLog;
  /** Bodies over this many bytes are refused (like webhooks over BODY_LIMIT_BYTES). */
  maxBodyBytes: number;
  /** How long a stop waits for enqueues already running. */
  drainMs: number;
  reconnect?: BackoffOptions;
  /** Pause before a message whose enqueue failed goes back to the queue. */
  requeue?: BackoffOptions;
}

export type ConsumerState = 'connecting' | 'consuming' | 'waiting' | 'stopped';

/** One connection with its channel and consumer; replaced as a whole on any loss. */
interface Session {
  model: ChannelModel;
  channel?: Channel;
  consumerTag?: string;
}

const REQUEUE_BACKOFF: BackoffOptions = { baseMs: 250, maxMs: 5000 };

/**
 * Consumes one workflow's queue: every message becomes a run, acknowledged only once the run's
 * job is stored. A message whose run cannot be stored (Redis away) goes back to the queue after
 * a pause; a redelivered message maps to the same idempotency key, so it never runs twice.
 * A lost connection or channel is reopened with capped exponential backoff and jitter.
 */
export class AmqpConsumer {
  private session?: Session;
  private stopping = false;
  private reconnectTimer?: NodeJS.Timeout;
  private reconnectAttempt = 0;
  private enqueueFailures = 0;
  private connects = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopSignal = new AbortController();
  private _state: ConsumerState = 'connecting';
  private _lastError: string | null = null;

  constructor(
    private spec: ConsumerSpec,
    private readonly deps: ConsumerDeps,
  ) {}

  get workflowId(): string {
    return this.spec.workflowId;
  }

  get state(): ConsumerState {
    return this._state;
  }

  get lastError(): string | null {
    return this._lastError;
  }

  /** Messages received and not yet acknowledged or returned (never above the prefetch). */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** The live connection (tests force its loss). */
  get connection(): ChannelModel | undefined {
    return this.session?.model;
  }

  /** Settings apply to the next message; a change of trigger or credential needs a new consumer. */
  updateSettings(settings: WorkflowSettings): void {
    this.spec = { ...this.spec, settings };
  }

  /** Starts connecting in the background; failures are retried, never thrown. */
  start(): void {
    void this.open();
  }

  /**
   * Stops taking messages, lets the enqueues already running finish (up to drainMs), then
   * closes the connection: messages received but not acknowledged go back to the queue.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this._state = 'stopped';
    clearTimeout(this.reconnectTimer);
    this.stopSignal.abort();
    const session = this.session;
    this.session = undefined;
    if (session?.channel && session.consumerTag) await settlesWithin(session.channel.cancel(session.consumerTag), this.deps.drainMs);
    await settlesWithin(Promise.allSettled([...this.inFlight]), this.deps.drainMs);
    if (session) await settlesWithin(session.model.close(), this.deps.drainMs);
  }

  private async open(): Promise<void> {
    this.reconnectTimer = undefined;
    if (this.stopping) return;
    this._state = 'connecting';
    let model: ChannelModel | undefined;
    try {
      model = await this.deps.dialer.connect(this.spec.url, `flowgate workflow ${this.spec.workflowId}`);
      const session: Session = { model };
      this.session = session;
      // 'error' always comes with 'close'; handling it keeps it from being thrown.
      model.on('error', () => undefined);
      model.on('close', () => this.lost(session, 'connection closed'));
      const { queue, prefetch, exchange, routingKey } = this.spec.trigger;
      const channel = await model.createChannel();
      session.channel = channel;
      channel.on('error', () => undefined);
      channel.on('close', () => this.lost(session, 'channel closed'));
      await channel.prefetch(prefetch);
      // Passive: the queue is the operator's (its durability and arguments are theirs to choose).
      await channel.checkQueue(queue);
      if (exchange !== undefined) await channel.bindQueue(queue, exchange, routingKey ?? '');
      const { consumerTag } = await channel.consume(queue, (msg) => this.receive(session, channel, msg), { noAck: false });
      session.consumerTag = consumerTag;
      if (this.stopping || this.session !== session) {
        await settlesWithin(model.close(), this.deps.drainMs);
        return;
      }
      this._state = 'consuming';
      this._lastError = null;
      this.reconnectAttempt = 0;
      this.deps.log.info({ workflowId: this.spec.workflowId, queue, prefetch, reconnected: this.connects++ > 0 }, 'AMQP trigger consuming');
    } catch (e) {
      if (model) await settlesWithin(model.close(), 1000);
      if (this.session?.model === model) this.session = undefined;
      this.retryLater(this.deps.dialer.toBrokerError(e, this.spec.url).message);
    }
  }

  /** The connection or channel went away (broker restart, network, consumer cancelled): reopen. */
  private lost(session: Session, why: string): void {
    // While opening, the failing step itself rejects and open() reports the precise reason.
    if (this.stopping || this.session !== session || this._state === 'connecting') return;
    this.session = undefined;
    void settlesWithin(session.model.close(), 1000);
    this.retryLater(why);
  }

  private retryLater(why: string): void {
    if (this.stopping || this.reconnectTimer) return;
    const delayMs = backoffDelay(this.reconnectAttempt++, this.deps.reconnect ?? RECONNECT_BACKOFF);
    this._state = 'waiting';
    this._lastError = why;
    this.deps.log.warn(
      { workflowId: this.spec.workflowId, queue: this.spec.trigger.queue, reason: why, retryInMs: delayMs },
      'AMQP trigger not consuming',
    );
    this.reconnectTimer = setTimeout(() => void this.open(), delayMs);
    this.reconnectTimer.unref();
  }

  private receive(session: Session, channel: Channel, msg: ConsumeMessage | null): void {
    // null: the broker cancelled the consumer (queue deleted); reopen, which reports why.
    if (msg === null) return this.lost(session, 'consumer cancelled by the broker (queue deleted?)');
    // Stopping: leave it unacknowledged; closing the channel puts it back on the queue.
    if (this.stopping) return;
    const work = this.handle(channel, msg).finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private async handle(channel: Channel, msg: ConsumeMessage): Promise<void> {
    const { workflowId, trigger } = this.spec;
    if (msg.content.length > this.deps.maxBodyBytes) {
      // Redelivering it cannot make it smaller: dead-lettered when the queue has a DLX, else dropped.
      this.deps.log.warn(
        { workflowId, queue: trigger.queue, bytes: msg.content.length, limit: this.deps.maxBodyBytes },
        'AMQP message over the size limit rejected',
      );
      return settle(() => channel.reject(msg, false));
    }
    try {
      await this.deps.enqueue(this.spec, { payload: messagePayload(msg), key: deliveryKey(workflowId, msg) });
    } catch (e) {
      const pauseMs = backoffDelay(this.enqueueFailures++, this.deps.requeue ?? REQUEUE_BACKOFF);
      this.deps.log.warn(
        { workflowId, queue: trigger.queue, reason: (e as Error).message, requeueInMs: pauseMs },
        'AMQP message not accepted; it stays on the queue',
      );
      // The pause keeps a Redis outage from turning into a redelivery loop.
      await abortableSleep(pauseMs, this.stopSignal.signal);
      return settle(() => channel.nack(msg, false, true));
    }
    this.enqueueFailures = 0;
    // On a channel that closed meanwhile this throws; the broker redelivers and the key dedupes.
    settle(() => channel.ack(msg));
  }
}

function settle(fn: () => void): void {
  try {
    fn();
  } catch {
    // the channel is gone: the broker puts the message back by itself
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
