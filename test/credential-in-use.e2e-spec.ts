import { startEchoFake } from './fakes/echo.fake';
import { FakeServer } from './fakes/fake-server';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { createWorkflow, waitForExecution } from './support/workflow-helpers';

/** A credential that workflow steps use is not deleted by accident: 409 naming them, unless `force`. */
describe('credentials in use (HTTP, PostgreSQL, Redis)', () => {
  let t: TestApp;
  let sink: FakeServer;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  let other: Awaited<ReturnType<typeof registerTenant>>;

  beforeAll(async () => {
    sink = await startEchoFake();
    t = await startTestApp({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1' });
    owner = await registerTenant(t.http, 'In use');
    other = await registerTenant(t.http, 'In use elsewhere');
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const credential = async (token: string, name: string) => {
    const res = await t.http.post(
      '/api/credentials',
      { name, connectorKey: 'http', authKind: 'bearer', secrets: { token: 'tok-0123456789abcdef' }, allowedHosts: ['127.0.0.1'] },
      { token },
    );
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const workflowUsing = (token: string, name: string, credentialId: string) =>
    createWorkflow(t.http, token, {
      name,
      trigger: { type: 'webhook' },
      steps: [
        {
          name: 'call',
          connector: 'http',
          action: 'request',
          credentialId,
          params: { method: 'POST', url: `${sink.url}/in-use`, body: { a: 1 } },
        },
      ],
      settings: { retries: 0, backoff: { type: 'fixed', delayMs: 10 } },
    });
  const remove = (token: string, id: string, query?: Record<string, string>) => t.http.delete(`/api/credentials/${id}`, { token, query });

  it('answers 409 CREDENTIAL_IN_USE naming every workflow that uses it, and keeps it', async () => {
    const id = await credential(owner.token, 'Shared token');
    const a = await workflowUsing(owner.token, 'Billing sync', id);
    const b = await workflowUsing(owner.token, 'Alerts', id);
    const res = await remove(owner.token, id);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('CREDENTIAL_IN_USE');
    expect(res.body.message).toContain('"Alerts"');
    expect(res.body.message).toContain('"Billing sync"');
    expect(res.body.message).toContain('force=true');
    expect(res.body.details).toEqual([
      { field: 'workflows', message: 'Alerts', workflowId: b.id },
      { field: 'workflows', message: 'Billing sync', workflowId: a.id },
    ]);
    expect((await t.http.get(`/api/credentials/${id}`, { token: owner.token })).status).toBe(200);
  });

  it('deletes once no step uses it any more', async () => {
    const id = await credential(owner.token, 'Short-lived');
    const w = await workflowUsing(owner.token, 'Temporary', id);
    expect((await remove(owner.token, id)).status).toBe(409);
    expect((await t.http.delete(`/api/workflows/${w.id}`, { token: owner.token })).status).toBe(204);
    expect((await remove(owner.token, id)).status).toBe(204);
    expect((await t.http.get(`/api/credentials/${id}`, { token: owner.token })).status).toBe(404);
  });

  it('?force=true deletes it anyway; runs of those workflows then fail at that step with CREDENTIAL_NOT_FOUND', async () => {
    const id = await credential(owner.token, 'Forced');
    const w = await workflowUsing(owner.token, 'Orphaned', id);
    expect((await remove(owner.token, id, { force: 'false' })).status).toBe(409);
    expect((await remove(owner.token, id, { force: 'true' })).status).toBe(204);
    expect((await t.http.get(`/api/credentials/${id}`, { token: owner.token })).status).toBe(404);
    const run = await t.http.post(`/api/workflows/${w.id}/run`, { payload: {} }, { token: owner.token });
    const e = await waitForExecution(t.http, owner.token, run.body.executionId);
    expect(e).toMatchObject({ status: 'failed', error: { step: 'call', code: 'CREDENTIAL_NOT_FOUND', retryable: false } });
  });

  it('refuses a force that is not true or false, naming it', async () => {
    const id = await credential(owner.token, 'Strict force');
    const res = await remove(owner.token, id, { force: 'yes' });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'force' })]);
  });

  it('is tenant scoped: another tenant’s workflows do not count, and its id is a 404', async () => {
    const mine = await credential(owner.token, 'Mine only');
    await workflowUsing(owner.token, 'Uses mine', mine);
    expect((await remove(other.token, mine)).status).toBe(404);
    expect((await remove(other.token, mine, { force: 'true' })).status).toBe(404);
    const theirs = await credential(other.token, 'Theirs, unused');
    expect((await remove(other.token, theirs)).status).toBe(204);
    expect((await t.http.get(`/api/credentials/${mine}`, { token: owner.token })).status).toBe(200);
  });
});
