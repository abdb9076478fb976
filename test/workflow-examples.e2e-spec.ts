import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { waitForExecution } from './support/workflow-helpers';

/**
 * The request-body examples of the workflows operations, read from the committed
 * openapi/openapi.json and sent exactly as Swagger UI would pre-fill them, by a fresh account:
 * each must succeed. Two readings are checked: the media type's own examples (what Swagger UI
 * shows), and a body assembled from the schema's property examples (what a generator builds).
 */
type Schema = Record<string, any>;
type Media = { schema?: Schema; example?: unknown; examples?: Record<string, { value: unknown }> };

const doc = JSON.parse(readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8'));

function media(path: string, method: string, type = 'application/json'): Media {
  const m = doc.paths[path]?.[method]?.requestBody?.content?.[type];
  if (!m) throw new Error(`${method.toUpperCase()} ${path} documents no ${type} body`);
  return m;
}

/** Every example the media type offers (`example`, then each of `examples`). */
function examplesOf(path: string, method: string, type?: string): unknown[] {
  const m = media(path, method, type);
  const all = [...(m.example !== undefined ? [m.example] : []), ...Object.values(m.examples ?? {}).map((e) => e.value)];
  if (!all.length) throw new Error(`${method.toUpperCase()} ${path} has no request example`);
  return all;
}

function resolve(schema: Schema): Schema {
  if (!schema.$ref) return schema;
  return resolve(
    schema.$ref
      .replace('#/', '')
      .split('/')
      .reduce((node: Schema, key: string) => node[key], doc),
  );
}

/** A value built from property examples: the schema's own example, else its properties' (required ones must have one). */
function fromPropertyExamples(schema: Schema, at: string): unknown {
  if (schema.example !== undefined) return schema.example;
  if (schema.allOf?.length === 1) return fromPropertyExamples(resolve(schema.allOf[0]), at);
  const s = resolve(schema);
  if (s !== schema) return fromPropertyExamples(s, at);
  if (s.type !== 'object' || !s.properties) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries<Schema>(s.properties)) {
    const value = fromPropertyExamples(prop, `${at}.${key}`);
    if (value !== undefined) out[key] = value;
    else if (s.required?.includes(key)) throw new Error(`${at}.${key} is required but has no example`);
  }
  return out;
}

const bodyFromProperties = (path: string, method: string) =>
  fromPropertyExamples(media(path, method).schema!, `${method.toUpperCase()} ${path}`);

describe('workflows request examples from the OpenAPI document work as-is', () => {
  let t: TestApp;
  let token: string;
  const sent: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    token = (await registerTenant(t.http, 'Swagger user')).token;
  });
  afterAll(() => t.close());

  const send = async (method: string, path: string, body: unknown, expected: number) => {
    const res = await t.http.request(method, path, body, { token });
    expect({ method, path, body, status: res.status, answer: res.status === expected ? 'ok' : res.body }).toEqual({
      method,
      path,
      body,
      status: expected,
      answer: 'ok',
    });
    sent.push(`${method} ${path}`);
    return res;
  };

  it('create, trigger (JSON, form, text), edit, toggle and import, each with its documented example', async () => {
    const [create] = examplesOf('/api/workflows', 'post');
    const created = await send('POST', '/api/workflows', create, 201);
    const id: string = created.body.id;

    // The webhook example is the payload the create example reads: the run greets Alex and passes the condition.
    const [payload] = examplesOf('/api/webhooks/{workflowId}', 'post');
    const accepted = await t.http.post(`/api/webhooks/${id}`, payload);
    expect(accepted.status).toBe(202);
    const run = await waitForExecution(t.http, token, accepted.body.executionId);
    expect(run.status).toBe('succeeded');
    expect(run.steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['greet', 'succeeded'],
      ['bigOrder', 'succeeded'],
    ]);
    expect(run.steps[0].output.greeting).toBe('Hello Alex');
    expect(run.steps[1].output).toMatchObject({ result: true });

    const [form] = examplesOf('/api/webhooks/{workflowId}', 'post', 'application/x-www-form-urlencoded');
    const formBody = new URLSearchParams(form as Record<string, string>).toString();
    const formRes = await t.http.post(`/api/webhooks/${id}`, undefined, {
      raw: formBody,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(formRes.status).toBe(202);
    const [text] = examplesOf('/api/webhooks/{workflowId}', 'post', 'text/plain');
    const textRes = await t.http.post(`/api/webhooks/${id}`, undefined, { raw: String(text), headers: { 'content-type': 'text/plain' } });
    expect(textRes.status).toBe(202);

    for (const body of examplesOf('/api/workflows/{id}', 'put')) await send('PUT', `/api/workflows/${id}`, body, 200);
    for (const body of examplesOf('/api/workflows/{id}/toggle', 'put')) await send('PUT', `/api/workflows/${id}/toggle`, body, 200);
    // The rollback example undoes the first edit: version 1's definition saved as version 3.
    for (const body of examplesOf('/api/workflows/{id}/rollback', 'post')) await send('POST', `/api/workflows/${id}/rollback`, body, 200);
    for (const body of examplesOf('/api/workflows/import', 'post')) await send('POST', '/api/workflows/import', body, 201);
    for (const body of examplesOf('/api/workflows/schedule-preview', 'post')) {
      const preview = await send('POST', '/api/workflows/schedule-preview', body, 200);
      expect(preview.body.fireTimes.length).toBeGreaterThan(0);
    }

    const edited = await t.http.get(`/api/workflows/${id}`, { token });
    expect(edited.body).toMatchObject({ version: 3, active: false });
  });

  it('bodies assembled from the property examples work too', async () => {
    const created = await send('POST', '/api/workflows', bodyFromProperties('/api/workflows', 'post'), 201);
    const id: string = created.body.id;
    await send('PUT', `/api/workflows/${id}`, bodyFromProperties('/api/workflows/{id}', 'put'), 200);
    await send('PUT', `/api/workflows/${id}/toggle`, bodyFromProperties('/api/workflows/{id}/toggle', 'put'), 200);
    await send('POST', `/api/workflows/${id}/rollback`, bodyFromProperties('/api/workflows/{id}/rollback', 'post'), 200);
    await send('POST', '/api/workflows/import', bodyFromProperties('/api/workflows/import', 'post'), 201);
  });

  it('covers every workflows operation with a JSON body that this module owns', () => {
    const withBody = Object.entries<Record<string, Schema>>(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) => op.tags?.includes('workflows') && op.requestBody && !/\/(run|dry-run)$/.test(path))
        .map(([method]) => `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`),
    );
    const covered = new Set(sent.map((s) => s.replace(/[0-9a-f-]{36}/g, '{}')));
    for (const op of withBody.filter((o) => !o.startsWith('POST /api/webhooks')))
      expect({ op, covered: covered.has(op) }).toEqual({ op, covered: true });
  });
});
