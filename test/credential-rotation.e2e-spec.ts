import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { keyId } from '../src/core/security/encryption.service';
import { ConnectorInvoker } from '../src/modules/connectors/connector-invoker';
import { FakeServer } from './fakes/fake-server';
import { OPENWEATHER_API_KEY, startOpenWeatherFake } from './fakes/openweather.fake';
import { registerTenant, startTestApp, TestApp } from './support/test-app';

/** ENCRYPTION_KEY rotation: old key in ENCRYPTION_OLD_KEYS still decrypts; the admin re-encrypt moves rows to the new key. */
describe('credential encryption key rotation', () => {
  const k1 = randomBytes(32).toString('hex');
  const k2 = randomBytes(32).toString('hex');
  const jwt = randomBytes(32).toString('hex');
  const admin = { 'x-admin-token': 'test-admin-token-0123456789' };
  let weather: FakeServer;
  const apps: TestApp[] = [];
  const boot = async (env: Record<string, string>) => {
    const t = await startTestApp({ JWT_SECRET: jwt, OUTBOUND_ALLOW_HOSTS: '127.0.0.1', OPENWEATHER_BASE_URL: weather.url, ...env });
    apps.push(t);
    return t;
  };

  beforeAll(async () => {
    weather = await startOpenWeatherFake();
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await weather.close();
  });

  it('decrypts with an old key, re-seals with the new one, and keeps working after the old key is gone', async () => {
    const a = await boot({ ENCRYPTION_KEY: k1 });
    const owner = await registerTenant(a.http);
    const created = await a.http.post(
      '/api/credentials',
      { name: 'Weather', connectorKey: 'openweather', authKind: 'api_key', secrets: { apiKey: OPENWEATHER_API_KEY } },
      { token: owner.token },
    );
    expect(created.body.keyId).toBe(keyId(Buffer.from(k1, 'hex')));
    const id = created.body.id as string;
    const sealedByK1 = (await a.app.get(DataSource).query('SELECT ciphertext FROM credentials WHERE id = $1', [id]))[0].ciphertext;

    // Rotate: new key current, old key kept for decryption.
    const b = await boot({ ENCRYPTION_KEY: k2, ENCRYPTION_OLD_KEYS: k1 });
    expect((await b.http.post(`/api/credentials/${id}/test`, undefined, { token: owner.token })).body).toEqual({
      ok: true,
      detail: 'API key accepted',
    });
    const out = await b.app.get(ConnectorInvoker).invoke({
      tenantId: owner.tenantId,
      connectorKey: 'openweather',
      action: 'current_weather',
      credentialId: id,
      params: { city: 'Paris' },
    });
    expect(out).toMatchObject({ city: 'Paris' });

    expect((await b.http.post('/api/admin/credentials/reencrypt')).status).toBe(401);
    const sweep = await b.http.post('/api/admin/credentials/reencrypt', undefined, { headers: admin });
    expect(sweep.status).toBe(200);
    expect(sweep.body.currentKeyId).toBe(keyId(Buffer.from(k2, 'hex')));
    expect(sweep.body.reencrypted).toBeGreaterThanOrEqual(1);
    expect(sweep.body.failures.map((f: { id: string }) => f.id)).not.toContain(id);

    const row = (await b.app.get(DataSource).query('SELECT ciphertext, key_id FROM credentials WHERE id = $1', [id]))[0];
    expect(row.key_id).toBe(keyId(Buffer.from(k2, 'hex')));
    expect(row.ciphertext).not.toBe(sealedByK1);
    expect((await b.http.get(`/api/credentials/${id}`, { token: owner.token })).body.keyId).toBe(row.key_id);

    // A second sweep finds nothing of ours to do.
    const again = await b.http.post('/api/admin/credentials/reencrypt', undefined, { headers: admin });
    expect(again.body.failures.map((f: { id: string }) => f.id)).not.toContain(id);

    // The old key can now be dropped.
    const c = await boot({ ENCRYPTION_KEY: k2 });
    expect((await c.http.post(`/api/credentials/${id}/test`, undefined, { token: owner.token })).body.ok).toBe(true);

    // Without the sealing key the credential is unreadable, said plainly and without secrets.
    const d = await boot({ ENCRYPTION_KEY: k1 });
    const lost = await d.http.post(`/api/credentials/${id}/test`, undefined, { token: owner.token });
    expect(lost.status).toBe(500);
    expect(lost.body).toMatchObject({ code: 'CREDENTIAL_UNREADABLE', message: expect.stringContaining('ENCRYPTION_OLD_KEYS') });
    expect(lost.text).not.toContain(OPENWEATHER_API_KEY);
  });
});
