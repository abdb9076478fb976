import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOpenApi } from '../scripts/export-openapi';
import { renderPostmanCollection } from '../scripts/postman-collection';
import { contractProblems } from '../src/core/openapi/document-rules';
import { startTestApp } from './support/test-app';

describe('openapi/openapi.json', () => {
  const committed = readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8');

  it('matches what the app builds (run `npm run openapi` after changing the API)', async () => {
    const built = await renderOpenApi();
    if (built !== committed) {
      throw new Error('openapi/openapi.json is stale: run `npm run openapi` and commit the result');
    }
    expect(built).toBe(committed);
  });

  it('has its Postman collection next to it, generated from it (run `npm run openapi` after changing the API)', async () => {
    const collection = readFileSync(join(__dirname, '..', 'openapi', 'flowgate.postman_collection.json'), 'utf8');
    const generated = await renderPostmanCollection(committed);
    if (generated !== collection) {
      throw new Error(
        'openapi/flowgate.postman_collection.json is not what openapi/openapi.json generates: run `npm run openapi` and commit the result',
      );
    }
    // Requests go to {{baseUrl}} with {{bearerToken}} on every bearer route.
    const parsed = JSON.parse(collection);
    expect(parsed.variable).toEqual(
      expect.arrayContaining([
        { key: 'baseUrl', value: 'http://localhost:3000', type: 'string' },
        expect.objectContaining({ key: 'bearerToken' }),
      ]),
    );
    const requests: Array<{ request: { method: string; url: { host: string[]; path: string[] }; auth: unknown } }> = parsed.item.flatMap(
      (f: { item?: unknown[] }) => f.item ?? [f],
    );
    const doc = JSON.parse(committed) as { paths: Record<string, Record<string, { security?: Array<Record<string, unknown>> }>> };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method, op })),
    );
    expect(requests).toHaveLength(operations.length);
    for (const { path, method, op } of operations) {
      const postmanPath = path
        .replace(/\{([^}]+)\}/g, ':$1')
        .split('/')
        .slice(1);
      const request = requests.find(
        (r) => r.request.method === method.toUpperCase() && r.request.url.path.join('/') === postmanPath.join('/'),
      );
      expect(request?.request.url.host).toEqual(['{{baseUrl}}']);
      if (op.security?.some((s) => 'bearer' in s))
        expect(request?.request.auth).toEqual({ type: 'bearer', bearer: [{ key: 'token', value: '{{bearerToken}}' }] });
    }
  });

  it('is the document the running app serves at /docs-json', async () => {
    const t = await startTestApp();
    try {
      const served = await t.http.get('/docs-json');
      expect(served.body).toEqual(JSON.parse(committed));
    } finally {
      await t.close();
    }
  });

  it('keeps the contract rules generated clients and strict validators need (src/core/openapi/document-rules.ts)', () => {
    expect(contractProblems(JSON.parse(committed))).toEqual([]);
  });
});
