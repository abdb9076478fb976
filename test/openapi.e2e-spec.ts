import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOpenApi } from '../scripts/export-openapi';
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
