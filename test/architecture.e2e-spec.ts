import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..');

interface Violation {
  rule: string;
  from: string;
  to: string;
}

/**
 * Cruises `<baseDir>/src` with the rules of `.dependency-cruiser.cjs` through dependency-cruiser's
 * API. The API is an ES module, which Jest's CommonJS loader cannot import, so a child Node runs it.
 */
async function cruise(baseDir: string, withTsConfig: boolean): Promise<{ modules: number; violations: Violation[] }> {
  const script = `
    import { createRequire } from 'node:module';
    import { cruise } from 'dependency-cruiser';
    import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
    const { baseDir, withTsConfig } = JSON.parse(process.env.CRUISE_REQUEST);
    const config = createRequire(process.cwd() + '/')('./.dependency-cruiser.cjs');
    const { tsConfig, ...options } = config.options;
    const transpile = withTsConfig ? { tsConfig: extractTSConfig(tsConfig.fileName) } : undefined;
    const result = await cruise(['src'], { ...options, baseDir, validate: true, ruleSet: { forbidden: config.forbidden }, outputType: 'json' }, undefined, transpile);
    const out = typeof result.output === 'string' ? JSON.parse(result.output) : result.output;
    console.log(JSON.stringify({
      modules: out.summary.totalCruised,
      violations: out.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to })),
    }));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, CRUISE_REQUEST: JSON.stringify({ baseDir, withTsConfig }) },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

describe('architecture: the layer rules (.dependency-cruiser.cjs)', () => {
  it('hold on the real source tree: no violation', async () => {
    const { modules, violations } = await cruise(ROOT, true);
    expect(modules).toBeGreaterThan(100);
    expect(violations).toEqual([]);
  }, 120_000);

  describe('on a tree that breaks them', () => {
    let dir: string;
    const files: Record<string, string> = {
      'src/modules/alpha/alpha.service.ts': 'export const a = 1;\n',
      'src/modules/alpha/index.ts': "export { a } from './alpha.service';\n",
      // core reaching into a feature module
      'src/core/plumbing.ts': "import { a } from '../modules/alpha';\nexport const p = a;\n",
      // a module reaching past another module's index.ts
      'src/modules/beta/beta.service.ts': "import { a } from '../alpha/alpha.service';\nexport const b = a;\n",
      // through the index: allowed
      'src/modules/beta/beta.ok.ts': "import { a } from '../alpha';\nexport const ok = a;\n",
      // the contract depending on a feature module
      'src/modules/connectors/contract/index.ts': "import { a } from '../../alpha';\nexport const c = a;\n",
      // the catalog depending on credentials
      'src/modules/credentials/index.ts': 'export const cred = 1;\n',
      'src/modules/connectors/catalog/registry.ts': "import { cred } from '../../credentials';\nexport const r = cred;\n",
      // two modules importing each other through their index files
      'src/modules/delta/index.ts': "import { e } from '../epsilon';\nexport const d = e;\n",
      'src/modules/epsilon/index.ts': "import { d } from '../delta';\nexport const e = () => d;\n",
    };

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'flowgate-layers-'));
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reports each violation with the rule it breaks', async () => {
      const { violations } = await cruise(dir, false);
      const found = (rule: string) => violations.filter((v) => v.rule === rule).map((v) => `${v.from} → ${v.to}`);
      expect(found('core-imports-no-module')).toEqual(['src/core/plumbing.ts → src/modules/alpha/index.ts']);
      expect(found('modules-through-public-api')).toEqual(
        expect.arrayContaining(['src/modules/beta/beta.service.ts → src/modules/alpha/alpha.service.ts']),
      );
      expect(found('connector-contract-is-a-leaf')).toEqual(['src/modules/connectors/contract/index.ts → src/modules/alpha/index.ts']);
      expect(found('connector-catalog-below-credentials')).toEqual([
        'src/modules/connectors/catalog/registry.ts → src/modules/credentials/index.ts',
      ]);
      expect(found('no-circular-modules')).toEqual(expect.arrayContaining(['src/modules/delta/index.ts → src/modules/epsilon/index.ts']));
      expect(violations.some((v) => v.from === 'src/modules/beta/beta.ok.ts')).toBe(false);
    }, 60_000);
  });
});
