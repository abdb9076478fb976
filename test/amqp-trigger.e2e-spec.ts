/**
 * The amqp trigger through the public API, against the real RabbitMQ on 127.0.0.1:5672
 * (guest/guest): an amqp credential, a workflow triggered by a queue, messages published with
 * amqplib, the runs read back with GET /api/logs and GET /api/executions/:id.
 */
import { Channel, ChannelModel, connect } from 'amqplib';
import { randomBytes } from 'node:crypto';
import { createPrivateDatabase, PrivateDatabase } from './support/private-database';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';
import { waitForExecution } from './support/workflow-helpers';

const BROKER = process.env.AMQP_TEST_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

describe('amqp trigger (public API)', () => {
  let db: PrivateDatabase;
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  let broker: ChannelModel;
  let channel: Channel;
  const queue = `flowgate-e2e-${randomBytes(5).toString('hex')}`;

  beforeAll(async () => {
    // Its own database: every worker consumes every active amqp workflow it can see.
    db = await createPrivateDatabase('amqp_e2e');
    t = await startTestApp({ DATABASE_URL: db.url, OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
    owner = await registerTenant(t.http, 'AMQP tenant');
    broker = await connect(BROKER);
    channel = await broker.createChannel();
    await channel.assertQueue(queue, { durable: false });
  });

  afterAll(async () => {
    await t?.close();
    await channel?.deleteQueue(queue).catch(() => undefined);
    await broker?.close().catch(() => undefined);
    await db?.drop();
  });

  async function amqpCredential(token: string, url = `${BROKER}/`) {
    return t.http.post(
      '/api/credentials',
      { name: `broker ${randomBytes(3).toString('hex')}`, connectorKey: 'amqp', authKind: 'amqp', secrets: { url } },
      { token },
    );
  }

  function workflowBody(credentialId: string, trigger: Record<string, unknown> = {}) {
    return {
      name: 'orders from RabbitMQ',
      trigger: { type: 'amqp', credentialId, queue, prefetch: 5, ...trigger },
      steps: [{ name: 'shape', type: 'transform', params: { orderId: '{{trigger.orderId}}' } }],
      settings: { retries: 0, backoff: { type: 'fixed', delayMs: 10 } },
    };
  }

  it('stores an amqp credential showing only the broker address, and tests it against the broker', async () => {
    const res = await amqpCredential(owner.token);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ connectorKey: 'amqp', authKind: 'amqp', hint: 'amqp://127.0.0.1:5672' });
    expect(res.text).not.toContain('guest');
    const test = await t.http.post(`/api/credentials/${res.body.id}/test`, {}, { token: owner.token });
    expect(test.status).toBe(200);
    expect(test.body.ok).toBe(true);

    const bad = await amqpCredential(owner.token, 'http://127.0.0.1:5672');
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toContain('secrets.url');
  });

  it('refuses a trigger whose credential is unknown, of another tenant or of another kind, naming the field', async () => {
    const other = await registerTenant(t.http, 'Other tenant');
    const theirs = (await amqpCredential(other.token)).body.id as string;
    const slack = await t.http.post(
      '/api/credentials',
      { name: 'slack', connectorKey: 'slack', authKind: 'webhook_url', secrets: { webhookUrl: 'https://hooks.slack.com/services/T/B/x' } },
      { token: owner.token },
    );
    for (const credentialId of [theirs, slack.body.id, '00000000-0000-4000-8000-000000000000']) {
      const res = await t.http.post('/api/workflows', workflowBody(credentialId), { token: owner.token });
      expect([res.status, res.body.details?.[0]?.field]).toEqual([400, 'trigger.credentialId']);
    }
    const noQueue = await t.http.post('/api/workflows', workflowBody(theirs, { queue: '' }), { token: owner.token });
    expect(noQueue.status).toBe(400);
    expect(JSON.stringify(noQueue.body.details)).toContain('trigger.queue');
  });

  it('runs the workflow once per published message, with the message as input; deactivating stops consuming', async () => {
    const credentialId = (await amqpCredential(owner.token)).body.id as string;
    const created = await t.http.post('/api/workflows', workflowBody(credentialId), { token: owner.token });
    expect(created.status).toBe(201);
    expect(created.body.trigger).toEqual({ type: 'amqp', credentialId, queue, prefetch: 5 });
    const workflowId = created.body.id as string;

    await waitFor(async () => (await channel.checkQueue(queue)).consumerCount >= 1, 'the worker consuming the queue');
    for (const orderId of ['A-1', 'A-2', 'A-3'])
      channel.sendToQueue(queue, Buffer.from(JSON.stringify({ orderId })), { messageId: orderId });

    const page = await waitFor(async () => {
      const res = await t.http.get(`/api/logs?workflowId=${workflowId}&status=succeeded`, { token: owner.token });
      return res.status === 200 && res.body.items.length === 3 ? res.body : undefined;
    }, 'three succeeded runs');
    expect(page.items.map((e: { trigger: string }) => e.trigger)).toEqual(['amqp', 'amqp', 'amqp']);
    const runs = await Promise.all(page.items.map((e: { id: string }) => waitForExecution(t.http, owner.token, e.id)));
    expect(runs.map((r) => r.input.orderId).sort()).toEqual(['A-1', 'A-2', 'A-3']);
    expect(runs.map((r) => r.steps[0].output)).toEqual(
      expect.arrayContaining([{ orderId: 'A-1' }, { orderId: 'A-2' }, { orderId: 'A-3' }]),
    );
    expect((await channel.checkQueue(queue)).messageCount).toBe(0);

    const off = await t.http.put(`/api/workflows/${workflowId}/toggle`, { active: false }, { token: owner.token });
    expect(off.status).toBe(200);
    await waitFor(async () => (await channel.checkQueue(queue)).consumerCount === 0, 'the consumer stopped');
    channel.sendToQueue(queue, Buffer.from(JSON.stringify({ orderId: 'A-4' })));
    await waitFor(async () => (await channel.checkQueue(queue)).messageCount === 1, 'the message waiting on the queue');

    expect((await t.http.delete(`/api/workflows/${workflowId}`, { token: owner.token })).status).toBe(204);
    await channel.purgeQueue(queue);
    expect(t.logs.filter((l) => l.includes('guest:guest'))).toEqual([]);
  });
});
