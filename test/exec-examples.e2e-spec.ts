import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { coreWorkflow, createWorkflow } from './support/workflow-helpers';

type Schema = Record<string, any>;
const doc = JSON.parse(readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8'));

const resolve = (s: Schema): Schema => (s?.$ref ? resolve(doc.components.schemas[s.$ref.split('/').pop()]) : s);

/**
 * The body Swagger UI fills in for an operation: the schema's example, else every property
 * (optional ones too) from its example, its own schema, or a placeholder of its type.
 */
function exampleOf(schema: Schema): unknown {
  const s = resolve(schema);
  if (s.example !== undefined) return s.example;
  if (s.allOf) return exampleOf(s.allOf[0]);
  if (s.properties) return Object.fromEntries(Object.entries<Schema>(s.properties).map(([k, v]) => [k, exampleOf(v)]));
  if (s.type === 'array') return [exampleOf(s.items ?? {})];
  return { string: 'string', integer: 0, number: 0, boolean: true, object: {} }[s.type as string];
}

const bodyExample = (path: string, method: string) => exampleOf(doc.paths[path][method].requestBody.content['application/json'].schema);

/** Every request-body example of the executions and credentials operations works as-is for a fresh account. */
describe('request examples of runs and credentials, sent as-is (HTTP, PostgreSQL, Redis)', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof registerTenant>>;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await registerTenant(t.http, 'Examples');
  });
  afterAll(() => t.close());

  it('POST /api/credentials, then PUT /api/credentials/{id} on what it created', async () => {
    const created = await t.http.post('/api/credentials', bodyExample('/api/credentials', 'post'), { token: owner.token });
    expect([created.status, created.text]).toEqual([201, expect.any(String)]);
    expect(created.body).toMatchObject({ usable: true });
    const updated = await t.http.put(`/api/credentials/${created.body.id}`, bodyExample('/api/credentials/{id}', 'put'), {
      token: owner.token,
    });
    expect([updated.status, updated.text]).toEqual([200, expect.any(String)]);
  });

  it('POST /api/workflows/{id}/run and /dry-run on a workflow created before', async () => {
    const w = await createWorkflow(t.http, owner.token, coreWorkflow());
    const run = await t.http.post(`/api/workflows/${w.id}/run`, bodyExample('/api/workflows/{id}/run', 'post'), { token: owner.token });
    expect([run.status, run.text]).toEqual([202, expect.any(String)]);
    const dry = await t.http.post(`/api/workflows/${w.id}/dry-run`, bodyExample('/api/workflows/{id}/dry-run', 'post'), {
      token: owner.token,
    });
    expect([dry.status, dry.body.status]).toEqual([200, 'succeeded']);
    expect(dry.body.steps[0].output).toMatchObject({ greeting: 'Hello Alex', orderId: 42 });
  });
});
