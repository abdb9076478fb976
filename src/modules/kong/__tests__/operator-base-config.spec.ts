import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../core/config/load-config';
import { AppException } from '../../../core/errors/app-exception';
import { renderDeclarativeConfig } from '../declarative/declarative-config';
import { mergeOperatorBase, readOperatorBase } from '../declarative/operator-base-config';

const config = () => loadConfig({ NODE_ENV: 'test', FLOWGATE_PUBLIC_URL_FOR_KONG: 'http://api:3000' });

describe("the operator's base configuration (DB-less)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'kong-base-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const failure = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return e as AppException;
    }
    throw new Error('expected a failure');
  };

  it("kong/kong.yml as shipped holds Flowgate's base routes only (tagged flowgate: nothing of the operator's)", async () => {
    expect(await readOperatorBase(join(__dirname, '../../../../kong/kong.yml'))).toEqual({});
  });

  it("keeps the operator's entities of every collection (YAML or JSON) and drops Flowgate's copies", async () => {
    const yaml = file(
      'ops.yml',
      [
        '_format_version: "3.0"',
        'services:',
        '  - name: billing',
        '    url: http://billing.internal:8080',
        '    routes: [{ name: billing, paths: [/billing] }]',
        '  - name: flowgate-api',
        '    url: http://old:3000',
        '    tags: [flowgate, flowgate-base]',
        'plugins:',
        '  - name: correlation-id',
        'upstreams:',
        '  - name: billing.internal',
      ].join('\n'),
    );
    expect(await readOperatorBase(yaml)).toEqual({
      services: [{ name: 'billing', url: 'http://billing.internal:8080', routes: [{ name: 'billing', paths: ['/billing'] }] }],
      plugins: [{ name: 'correlation-id' }],
      upstreams: [{ name: 'billing.internal' }],
    });
    const json = file('ops.json', JSON.stringify({ _format_version: '3.0', consumers: [{ username: 'partner' }] }));
    expect(await readOperatorBase(json)).toEqual({ consumers: [{ username: 'partner' }] });
  });

  it("refuses (503, naming the setting, not the path) a file it cannot use, so the operator's entities are never dropped", async () => {
    const missing = await failure(readOperatorBase(join(dir, 'nope.yml')));
    expect(missing).toMatchObject({ status: 503, code: 'KONG_BASE_CONFIG_INVALID' });
    expect(missing.message).toContain('KONG_DBLESS_BASE_CONFIG');
    expect(missing.message).toContain('ENOENT');
    expect(missing.message).not.toContain(dir);
    expect((await failure(readOperatorBase(file('bad.yml', 'services: [unclosed')))).message).toMatch(/not valid YAML or JSON at line \d/);
    expect((await failure(readOperatorBase(file('old.yml', '_format_version: "2.1"\nservices: []')))).message).toContain(
      '_format_version "3.0"',
    );
    expect((await failure(readOperatorBase(file('shape.yml', '_format_version: "3.0"\nservices: { name: x }')))).message).toContain(
      '"services" must be a list',
    );
  });

  it("merges Flowgate's config with the operator's entities and refuses names both use", () => {
    const generated = renderDeclarativeConfig([], config());
    const merged = mergeOperatorBase(generated, {
      services: [{ name: 'billing', url: 'http://b:1' }],
      plugins: [{ name: 'correlation-id' }],
    });
    expect(merged.services.map((s) => s.name)).toEqual(['flowgate-api', 'billing']);
    expect((merged as unknown as { plugins: unknown[] }).plugins).toEqual([{ name: 'correlation-id' }]);
    expect(merged._format_version).toBe('3.0');

    let err: AppException | undefined;
    try {
      mergeOperatorBase(generated, {
        services: [{ name: 'x', url: 'http://x:1', routes: [{ name: 'flowgate-webhooks', paths: ['/x'] }] }],
        routes: [{ name: 'flowgate-api', paths: ['/y'] }],
      });
    } catch (e) {
      err = e as AppException;
    }
    expect(err).toMatchObject({ status: 409, code: 'KONG_BASE_CONFIG_CONFLICT' });
    expect((err!.details as { field: string }[]).map((d) => d.field)).toEqual(['services[0].routes[0].name', 'routes[0].name']);
  });
});
