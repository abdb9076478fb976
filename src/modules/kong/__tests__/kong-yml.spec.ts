import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../core/config/load-config';
import { renderKongYml } from '../declarative/kong-yml';
import { readOperatorBase } from '../declarative/operator-base-config';
import { toYaml } from '../declarative/yaml';

const FILE = join(__dirname, '../../../../kong/kong.yml');
// The compose stack: Flowgate's api service is reachable as http://api:3000 (docker-compose.yml).
const composeConfig = () => loadConfig({ NODE_ENV: 'test', FLOWGATE_PUBLIC_URL_FOR_KONG: 'http://api:3000' });

describe('kong/kong.yml', () => {
  it('is exactly what Flowgate renders as its base config (the same routes it loads in DB-less mode), plus any entity an operator added', async () => {
    const expected = renderKongYml(composeConfig(), await readOperatorBase(FILE));
    if (process.env.UPDATE_KONG_YML === '1') writeFileSync(FILE, expected);
    expect(readFileSync(FILE, 'utf8')).toBe(expected);
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
    expect(out).toBe(['a: "on"', 'b:', '  - "0755"', '  - c: "x: y"', '    d: []', 'e:', '  f: true', '  g: 1.5', '  h: null', '"k.y": {}', ''].join('\n'));
  });

  it('writes JSON-compatible scalars (YAML 1.2 reads JSON strings verbatim)', () => {
    const tricky = 'quote " backslash \\ newline \n tab \t unicode é';
    const out = toYaml({ s: tricky });
    expect(JSON.parse(out.slice('s: '.length))).toBe(tricky);
  });
});
