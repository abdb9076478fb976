import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../core/config/load-config';
import { load } from 'js-yaml';
import { published, publishingProblems, routePaths } from './kong-published';
import { baseServices, renderDeclarativeConfig } from '../declarative/declarative-config';
import { renderKongYml } from '../declarative/kong-yml';
import { buildPlan, KONG_PATTERNS, USE_CASES, validateOptions } from '../patterns';
import { readOperatorBase } from '../declarative/operator-base-config';
import { toYaml } from '../declarative/yaml';

const FILE = join(__dirname, '../../../../kong/kong.yml');
// The compose stack: Flowgate's api service is reachable as http://api:3000 (docker-compose.yml).
const composeConfig = () => loadConfig({ NODE_ENV: 'test', FLOWGATE_PUBLIC_URL_FOR_KONG: 'http://api:3000' });
const usageConfig = () =>
  loadConfig({ NODE_ENV: 'test', FLOWGATE_PUBLIC_URL_FOR_KONG: 'http://api:3000', KONG_USAGE_SECRET: 'usage-secret-0123456789abcdef' });

describe('kong/kong.yml', () => {
  it('is exactly what Flowgate renders as its base config (the same routes it loads in DB-less mode), plus any entity an operator added', async () => {
    const expected = renderKongYml(composeConfig(), await readOperatorBase(FILE));
    if (process.env.UPDATE_KONG_YML === '1') writeFileSync(FILE, expected);
    expect(readFileSync(FILE, 'utf8')).toBe(expected);
  });

  it('publishes what end users call (the REST API, webhooks) and no operational route: not /health*, /metrics, /docs, /api/admin*', () => {
    const doc = load(readFileSync(FILE, 'utf8')) as Parameters<typeof routePaths>[0];
    expect(publishingProblems(doc)).toEqual([]);
    const paths = routePaths(doc);
    for (const p of ['/health', '/health/detailed', '/metrics', '/docs', '/docs/json', '/api/admin/system/health', '/api/kong/usage'])
      expect(published(paths, p)).toBe(false);
    for (const p of ['/api/auth/login', '/api/workflows', '/api/webhooks/x', '/api/kong/templates']) expect(published(paths, p)).toBe(true);
  });

  it("a generated DB-less config adds only the deployments' own /workflows/<id>/... routes", () => {
    const plans = USE_CASES.map((useCase, i) =>
      buildPlan(
        {
          deploymentId: `00000000-0000-4000-8000-00000000000${i}`,
          tenantId: '00000000-0000-4000-8000-0000000000aa',
          workflowId: '00000000-0000-4000-8000-0000000000bb',
          useCase,
          options: validateOptions(useCase, {}, usageConfig(), '00000000-0000-4000-8000-0000000000bb') as never,
          secrets: { gatewaySecret: 'g'.repeat(43), apiKey: 'k'.repeat(43) },
        },
        usageConfig(),
      ),
    );
    const generated = renderDeclarativeConfig(plans, usageConfig());
    expect(publishingProblems(generated as never)).toEqual([]);
    const base = new Set(routePaths({ services: baseServices(usageConfig()) as never }));
    expect(routePaths(generated as never).filter((p) => !base.has(p))).toEqual(
      USE_CASES.map((u) => `/workflows/00000000-0000-4000-8000-0000000000bb/${KONG_PATTERNS[u].routeSuffix}`),
    );
  });

  it('routes the API and rate-limits webhooks through Kong, with no Admin API exposure', () => {
    const text = readFileSync(FILE, 'utf8');
    expect(text).toContain('_format_version: "3.0"');
    expect(text).toContain('url: "http://api:3000"');
    expect(text).toMatch(/name: "flowgate-webhooks"[\s\S]*paths:\n\s+- "\/api\/webhooks"[\s\S]*name: "rate-limiting"[\s\S]*second: 100/);
    expect(text).not.toMatch(/8001/);
  });
});

describe('toYaml', () => {
  it('quotes every string so YAML cannot reinterpret it, and nests maps and lists', () => {
    const out = toYaml({ a: 'on', b: ['0755', { c: 'x: y', d: [] }], e: { f: true, g: 1.5, h: null }, 'k.y': {} });
    expect(out).toBe(
      ['a: "on"', 'b:', '  - "0755"', '  - c: "x: y"', '    d: []', 'e:', '  f: true', '  g: 1.5', '  h: null', 'k.y: {}', ''].join('\n'),
    );
  });

  it('writes JSON-compatible scalars (YAML 1.2 reads JSON strings verbatim)', () => {
    const tricky = 'quote " backslash \\ newline \n tab \t unicode é';
    const out = toYaml({ s: tricky });
    expect(JSON.parse(out.slice('s: '.length))).toBe(tricky);
  });
});
