import { DataSource } from 'typeorm';
import { CredentialAllowedHosts1763730000000 } from '../migrations/1763730000000-credential-allowed-hosts';
import { startEchoFake } from './fakes/echo.fake';
import { FakeServer } from './fakes/fake-server';
import { createPrivateDatabase, PrivateDatabase } from './support/private-database';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { createWorkflow } from './support/workflow-helpers';

/**
 * Migration 1763730000000 on a database holding credentials and workflows from before it:
 * generic credentials get the hosts their workflows call today; where none can be derived
 * they stay unusable, and both the API and a step using them say so. Its own database: the
 * test takes the column away and puts it back.
 */
describe('migration: credential allowed hosts derived from the workflows that use them', () => {
  let db: PrivateDatabase;
  let t: TestApp;
  let sink: FakeServer;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  const ids: Record<string, string> = {};
  let templatedFlow: string;

  const credential = async (name: string, body: Record<string, unknown>) => {
    const res = await t.http.post('/api/credentials', { name, ...body }, { token: owner.token });
    if (res.status !== 201) throw new Error(`credential ${name}: ${res.status} ${res.text}`);
    ids[name] = res.body.id;
  };
  const http = (credentialId: string, url: string, name: string) => ({
    name,
    type: 'connector',
    connector: 'http',
    action: 'request',
    params: { url },
    credentialId,
  });

  beforeAll(async () => {
    sink = await startEchoFake();
    db = await createPrivateDatabase('hostsmig');
    t = await startTestApp({ DATABASE_URL: db.url, OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
    owner = await registerTenant(t.http);
    const bearer = { connectorKey: 'http', authKind: 'bearer' };
    await credential('derivable', {
      ...bearer,
      secrets: { token: 'derivable-token-1' },
      allowedHosts: ['api.one.example', 'api.two.example', 'unused.example', '127.0.0.1'],
    });
    await credential('templated', { ...bearer, secrets: { token: 'templated-token-1' }, allowedHosts: ['127.0.0.1'] });
    await credential('unused', { ...bearer, secrets: { token: 'unused-token-1' }, allowedHosts: ['unused.example'] });
    await credential('soap', {
      connectorKey: 'soap',
      authKind: 'basic',
      secrets: { username: 'u', password: 'soap-password' },
      allowedHosts: ['soap.example:8443'],
    });
    await credential('provider', { connectorKey: 'openweather', authKind: 'api_key', secrets: { apiKey: 'owm-key-123' } });
    await createWorkflow(t.http, owner.token, {
      name: 'calls',
      trigger: { type: 'webhook' },
      steps: [
        http(ids.derivable, 'https://api.one.example/v1/{{trigger.id}}', 'one'),
        http(ids.derivable, 'https://api.two.example/x', 'two'),
        http(ids.templated, 'https://{{trigger.host}}/x', 'templated'),
        {
          name: 'soap',
          type: 'connector',
          connector: 'soap',
          action: 'call',
          params: { url: 'https://soap.example:8443/svc', operation: 'Add', namespace: 'urn:x' },
          credentialId: ids.soap,
        },
      ],
    });
    await createWorkflow(t.http, owner.token, {
      name: 'local',
      trigger: { type: 'webhook' },
      steps: [http(ids.derivable, `${sink.url}/x`, 'local')],
    });
    templatedFlow = (
      await createWorkflow(t.http, owner.token, {
        name: 'templated',
        trigger: { type: 'webhook' },
        steps: [http(ids.templated, '{{trigger.url}}', 'call')],
      })
    ).id;

    // The database as it was before the migration, then the real migration.
    const migration = new CredentialAllowedHosts1763730000000();
    const runner = t.app.get(DataSource).createQueryRunner();
    try {
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
    await db?.drop();
  });

  const get = async (name: string) => (await t.http.get(`/api/credentials/${ids[name]}`, { token: owner.token })).body;

  it('gives generic credentials the literal hosts of the steps that use them', async () => {
    expect(await get('derivable')).toMatchObject({
      allowedHosts: [`127.0.0.1:${sink.port}`, 'api.one.example', 'api.two.example'],
      usable: true,
      unusableReason: null,
    });
    expect(await get('soap')).toMatchObject({ allowedHosts: ['soap.example:8443'], usable: true });
  });

  it('leaves provider credentials on their provider hosts', async () => {
    expect(await get('provider')).toMatchObject({ allowedHosts: null, usable: true });
  });

  it('leaves the others unusable, and says so in the API and in the failed step', async () => {
    for (const name of ['templated', 'unused']) {
      const c = await get(name);
      expect(c).toMatchObject({ allowedHosts: [], usable: false });
      expect(c.unusableReason).toContain('must name the hosts');
    }
    const dry = await t.http.post(`/api/workflows/${templatedFlow}/dry-run`, { payload: { url: `${sink.url}/x` } }, { token: owner.token });
    expect(dry.body.status).toBe('failed');
    expect(dry.body.error).toMatchObject({ code: 'CREDENTIAL_HOSTS_REQUIRED', retryable: false });
    expect(dry.body.error.message).toContain(`"templated" (${ids.templated})`);
    expect(sink.requests).toHaveLength(0);

    // An owner names the hosts: the credential works again.
    const fixed = await t.http.put(`/api/credentials/${ids.templated}`, { allowedHosts: ['127.0.0.1'] }, { token: owner.token });
    expect(fixed.body).toMatchObject({ allowedHosts: ['127.0.0.1'], usable: true });
    const again = await t.http.post(
      `/api/workflows/${templatedFlow}/dry-run`,
      { payload: { url: `${sink.url}/x` } },
      { token: owner.token },
    );
    expect(again.body.status).toBe('succeeded');
    expect(sink.requests[0].headers.authorization).toBe('Bearer templated-token-1');
  });
});
