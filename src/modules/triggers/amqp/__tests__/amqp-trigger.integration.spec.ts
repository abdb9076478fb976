/**
 * The amqp trigger against the real RabbitMQ (127.0.0.1:5672, guest/guest), Redis and
 * PostgreSQL: the whole application in one process (ROLE all), workflows written straight to
 * the database and (de)activated through the handler, messages published with amqplib.
 */
import { Global, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { Channel, ChannelModel, connect } from 'amqplib';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import { AppModule } from '../../../../app.module';
import { loadConfig } from '../../../../core/config/load-config';
import type { AppConfig } from '../../../../core/config/app-config';
import { CredentialsService } from '../../../credentials';
import { ExecutionProducer, IngestConnection } from '../../../executions';
import { TriggerRegistry, WorkflowsRepository } from '../../../workflows';
import type { TriggerWorkflow } from '../../../workflows';
import { createPrivateDatabase, PrivateDatabase } from '../../../../../test/support/private-database';
import { waitFor } from '../../../../../test/support/wait-for';
import { AmqpConsumerManager } from '../amqp-consumer-manager';
import { AmqpTrigger } from '../amqp-trigger';
import { AmqpTriggerHandler } from '../amqp-trigger.handler';
import { AmqpTriggerModule } from '../amqp-trigger.module';

const BROKER = process.env.AMQP_TEST_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** Provides the registry wherever the workflows module does not (yet) export one. */
@Global()
@Module({ providers: [TriggerRegistry], exports: [TriggerRegistry] })
class FallbackTriggerRegistryModule {}

@Module({})
class AmqpTestRoot {}

type Workflow = TriggerWorkflow<AmqpTrigger>;

describe('amqp trigger (RabbitMQ, Redis, PostgreSQL)', () => {
  let db: PrivateDatabase;
  let pg: Client;
  let app: INestApplicationContext;
  let config: AppConfig;
  let handler: AmqpTriggerHandler;
  let manager: AmqpConsumerManager;
  let producer: ExecutionProducer;
  let tenantId: string;
  let credentialId: string;
  let broker: ChannelModel;
  let channel: Channel;
  const queues: string[] = [];
  const logs: string[] = [];

  beforeAll(async () => {
    db = await createPrivateDatabase('amqp');
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    // A CHECK listing the built-in trigger kinds predates trigger plug-ins; runs of another kind need it gone.
    await pg.query('ALTER TABLE executions DROP CONSTRAINT IF EXISTS executions_trigger_check');
    tenantId = (
      await pg.query(`INSERT INTO tenants (name, slug) VALUES ('amqp', $1) RETURNING id`, [`amqp-${randomBytes(4).toString('hex')}`])
    ).rows[0].id;

    config = loadConfig({
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      RUN_MIGRATIONS: 'false',
      DATABASE_URL: db.url,
      QUEUE_PREFIX: `${process.env.QUEUE_PREFIX ?? 'fgt-local'}-amqp-${randomBytes(3).toString('hex')}`,
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
      BODY_LIMIT_BYTES: '4096',
    });
    const sink = new Writable({
      write(chunk, _enc, cb) {
        logs.push(...String(chunk).split('\n').filter(Boolean));
        cb();
      },
    });
    app = await NestFactory.createApplicationContext(
      {
        module: AmqpTestRoot,
        imports: [AppModule.register(config, { logDestination: sink }), AmqpTriggerModule, FallbackTriggerRegistryModule],
      },
      { bufferLogs: true, abortOnError: false },
    );
    // As the real app does: Nest's loggers write through pino, into `logs`.
    app.useLogger(app.get(PinoLogger));
    app.flushLogs();
    handler = app.get(AmqpTriggerHandler);
    manager = app.get(AmqpConsumerManager);
    producer = app.get(ExecutionProducer);

    const credential = await app.get(CredentialsService).create(tenantId, {
      name: 'local broker',
      connectorKey: 'amqp',
      authKind: 'amqp',
      secrets: { url: `${BROKER}/` },
    });
    credentialId = credential.id;

    broker = await connect(BROKER);
    channel = await broker.createChannel();
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await app?.close();
    for (const q of queues) await channel?.deleteQueue(q).catch(() => undefined);
    await broker?.close().catch(() => undefined);
    await pg?.end();
    await db?.drop();
  });

  afterEach(() => jest.restoreAllMocks());

  async function newQueue(): Promise<string> {
    const name = `flowgate-test-${randomBytes(5).toString('hex')}`;
    await channel.assertQueue(name, { durable: false });
    queues.push(name);
    return name;
  }

  /** An active amqp workflow whose one step echoes the message: saved, then activated. */
  async function activeWorkflow(queue: string, extra: Partial<AmqpTrigger> = {}): Promise<Workflow> {
    const id = randomUUID();
    const trigger: AmqpTrigger = { type: 'amqp', credentialId, queue, prefetch: 10, ...extra };
    const settings = { retries: 0, backoff: { type: 'fixed' as const, delayMs: 10 }, stepTimeoutMs: 5000 };
    await app.get(WorkflowsRepository).create(
      tenantId,
      id,
      {
        name: `amqp ${queue}`,
        description: null,
        active: true,
        trigger: trigger as never,
        steps: [{ name: 'echo', type: 'transform', params: { order: '{{trigger.order}}' } }],
        settings,
      },
      null,
    );
    const workflow: Workflow = { id, tenantId, active: true, trigger, settings };
    await handler.activate(workflow);
    await waitFor(() => manager.consumer(id)?.state === 'consuming', `the consumer of ${queue}`);
    return workflow;
  }

  function publish(queue: string, body: unknown, props: Record<string, unknown> = {}): void {
    const content = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    channel.sendToQueue(queue, content, props);
  }

  async function runs(workflowId: string): Promise<Array<{ status: string; trigger: string; input: unknown }>> {
    const res = await pg.query('SELECT status, trigger, input FROM executions WHERE workflow_id = $1 ORDER BY received_at', [workflowId]);
    return res.rows;
  }

  async function finishedRuns(workflowId: string, n: number) {
    return waitFor(
      async () => {
        const rows = await runs(workflowId);
        return rows.length >= n && rows.every((r) => r.status === 'succeeded') ? rows : undefined;
      },
      `${n} finished runs`,
      30_000,
      100,
    );
  }

  async function ready(queue: string): Promise<{ messageCount: number; consumerCount: number }> {
    return channel.checkQueue(queue);
  }

  function dropConnection(workflowId: string): ChannelModel {
    const model = manager.consumer(workflowId)!.connection!;
    // As a network failure does: the socket ends with an error (ECONNRESET-like).
    (model.connection as unknown as { stream: Socket }).stream.destroy(new Error('simulated network failure'));
    return model;
  }

  it('runs each message once, with the JSON body (or the text) as the run input, and acknowledges it', async () => {
    const queue = await newQueue();
    const wf = await activeWorkflow(queue);
    for (let i = 1; i <= 5; i++) publish(queue, { order: i }, { contentType: 'application/json', messageId: `order-${i}` });
    publish(queue, 'plain text, not JSON');

    const rows = await finishedRuns(wf.id, 6);
    expect(rows).toHaveLength(6);
    expect(rows.map((r) => r.trigger)).toEqual(Array(6).fill('amqp'));
    expect(rows.map((r) => r.input)).toEqual(
      expect.arrayContaining([1, 2, 3, 4, 5].map((order) => ({ order })).concat(['plain text, not JSON'] as never)),
    );
    await waitFor(async () => (await ready(queue)).messageCount === 0 && manager.consumer(wf.id)!.inFlightCount === 0, 'all acknowledged');
  });

  it('a redelivery after the worker lost its connection between storing and acknowledging does not run twice', async () => {
    const queue = await newQueue();
    const wf = await activeWorkflow(queue);
    const enqueue = producer.enqueue.bind(producer);
    const results: Array<{ duplicate: boolean }> = [];
    const spy = jest.spyOn(producer, 'enqueue').mockImplementation(async (req) => {
      const res = await enqueue(req);
      results.push(res);
      // Stored, not yet acknowledged: the connection dies now, so the broker redelivers.
      if (results.length === 1) dropConnection(wf.id);
      return res;
    });

    publish(queue, { order: 'no-message-id' });
    await waitFor(() => results.length >= 2, 'the redelivery to be enqueued again');
    expect(results.map((r) => r.duplicate)).toEqual([false, true]);
    expect(spy.mock.calls[0][0].idempotencyKey).toBe(spy.mock.calls[1][0].idempotencyKey);
    await waitFor(
      async () => (await ready(queue)).messageCount === 0 && manager.consumer(wf.id)?.inFlightCount === 0,
      'the redelivery acknowledged',
    );
    const rows = await finishedRuns(wf.id, 1);
    expect(rows).toHaveLength(1);
  });

  it('acknowledges only stored runs: while Redis is away the messages stay on the queue, and run once it is back', async () => {
    const queue = await newQueue();
    const wf = await activeWorkflow(queue);
    const ingest = app.get(IngestConnection);
    const workflows = app.get(WorkflowsRepository);
    const spy = jest.spyOn(producer, 'enqueue');

    ingest.redis.disconnect();
    try {
      for (let i = 1; i <= 3; i++) publish(queue, { order: i });
      await waitFor(async () => {
        const settled = await Promise.allSettled(spy.mock.results.map((r) => r.value));
        return settled.filter((s) => s.status === 'rejected').length >= 3;
      }, 'three refused enqueues');

      // Stopping the consumer returns whatever it holds: all three are ready on the queue again.
      await workflows.setActive(tenantId, wf.id, false);
      await handler.deactivate(wf);
      await waitFor(async () => {
        const q = await ready(queue);
        return q.consumerCount === 0 && q.messageCount === 3;
      }, 'the three messages back on the queue');
      expect(await runs(wf.id)).toEqual([]);
    } finally {
      if (!ingest.ready) await ingest.redis.connect();
    }
    await waitFor(() => ingest.ready, 'Redis back');
    await workflows.setActive(tenantId, wf.id, true);
    await handler.activate(wf);
    const rows = await finishedRuns(wf.id, 3);
    expect(rows.map((r) => r.input)).toEqual(expect.arrayContaining([{ order: 1 }, { order: 2 }, { order: 3 }]));
  });

  it('holds at most `prefetch` unacknowledged messages', async () => {
    const queue = await newQueue();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const enqueue = producer.enqueue.bind(producer);
    let concurrent = 0;
    let most = 0;
    jest.spyOn(producer, 'enqueue').mockImplementation(async (req) => {
      most = Math.max(most, ++concurrent);
      await gate;
      concurrent--;
      return enqueue(req);
    });
    const wf = await activeWorkflow(queue, { prefetch: 2 });
    for (let i = 1; i <= 6; i++) publish(queue, { order: i });

    // The broker delivered two and keeps four ready.
    await waitFor(async () => manager.consumer(wf.id)!.inFlightCount === 2 && (await ready(queue)).messageCount === 4, 'two delivered');
    expect(most).toBe(2);
    release();
    await finishedRuns(wf.id, 6);
    expect(most).toBe(2);
  });

  it('reconnects after the connection is lost and consumes again', async () => {
    const queue = await newQueue();
    const wf = await activeWorkflow(queue);
    const before = dropConnection(wf.id);
    await waitFor(() => {
      const c = manager.consumer(wf.id)!;
      return c.state === 'consuming' && c.connection !== before;
    }, 'a new connection');
    publish(queue, { order: 'after reconnect' });
    const rows = await finishedRuns(wf.id, 1);
    expect(rows[0].input).toEqual({ order: 'after reconnect' });
  });

  it('refuses a body over the size limit without running it', async () => {
    const queue = await newQueue();
    const wf = await activeWorkflow(queue);
    publish(queue, Buffer.alloc(5000, 'x'));
    publish(queue, { order: 'small' });
    const rows = await finishedRuns(wf.id, 1);
    expect(rows.map((r) => r.input)).toEqual([{ order: 'small' }]);
    await waitFor(async () => (await ready(queue)).messageCount === 0 && manager.consumer(wf.id)?.inFlightCount === 0, 'both settled');
    expect(await runs(wf.id)).toHaveLength(1);
  });

  it('deactivation stops consuming, and reconciliation with the database does not restart it', async () => {
    const queue = await newQueue();
    const wf = await activeWorkflow(queue);
    await app.get(WorkflowsRepository).setActive(tenantId, wf.id, false);
    await handler.deactivate({ ...wf, active: false });
    await waitFor(async () => (await ready(queue)).consumerCount === 0, 'the consumer gone');
    const report = await handler.reconcile();
    expect(manager.consumer(wf.id)).toBeUndefined();
    expect(report.expected).toBeGreaterThanOrEqual(0);

    publish(queue, { order: 'ignored' });
    await waitFor(async () => (await ready(queue)).messageCount === 1, 'the message waiting');
    expect(await ready(queue)).toEqual(expect.objectContaining({ messageCount: 1, consumerCount: 0 }));
    expect(await runs(wf.id)).toEqual([]);
  });

  it('reconciliation starts consumers for active workflows it finds in the database (another process saved them)', async () => {
    const queue = await newQueue();
    const id = randomUUID();
    const trigger = { type: 'amqp', credentialId, queue, prefetch: 5 };
    await pg.query(
      `INSERT INTO workflows (id, tenant_id, name, active, trigger, steps, settings) VALUES ($1, $2, 'saved elsewhere', true, $3, $4, $5)`,
      [
        id,
        tenantId,
        trigger,
        JSON.stringify([{ name: 'echo', type: 'transform', params: { order: '{{trigger.order}}' } }]),
        { retries: 0, backoff: { type: 'fixed', delayMs: 10 }, stepTimeoutMs: 5000 },
      ],
    );
    const report = await handler.reconcile();
    expect(report.upserted).toBeGreaterThanOrEqual(1);
    await waitFor(() => manager.consumer(id)?.state === 'consuming', 'the consumer');
    publish(queue, { order: 'reconciled' });
    expect((await finishedRuns(id, 1))[0].input).toEqual({ order: 'reconciled' });
  });

  it('never logs the broker URL or its password', () => {
    expect(logs.some((l) => l.includes('AMQP trigger consuming'))).toBe(true);
    expect(logs.filter((l) => l.includes('guest:guest') || l.includes(BROKER))).toEqual([]);
  });
});
