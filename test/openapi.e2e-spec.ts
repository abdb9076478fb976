import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOpenApi } from '../scripts/export-openapi';
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

  it('documents the error shape and a security scheme on every non-public operation', () => {
    const doc = JSON.parse(committed);
    expect(doc.components.schemas.ErrorResponseDto.required).toEqual(expect.arrayContaining(['statusCode', 'error', 'message']));
    const publicPrefixes = ['/health', '/metrics', '/api/auth/register', '/api/auth/login', '/api/auth/dev-login', '/api/webhooks', '/api/nango/webhook', '/api/auth/callback', '/api/kong/usage', '/api/kong/bridge', '/api/kong/aggregate'];
    for (const [path, ops] of Object.entries<Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (publicPrefixes.some((p) => path.startsWith(p))) continue;
        expect({ path, method, secured: Boolean(op.security?.length) }).toEqual({ path, method, secured: true });
      }
    }
  });
});
