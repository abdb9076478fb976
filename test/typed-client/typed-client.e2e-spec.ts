import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestApp, TestApp } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');
const GENERATED = join(__dirname, 'generated'); // gitignored
const SCENARIO = join(__dirname, 'scenario.ts');

/** What a client must never need to get past the generated types. */
const FORBIDDEN = [' as ', '<any>', ': any', '!.', '@ts-'];

/** Runs a package's CLI with this Node; resolves with its output, rejects with it. */
async function cli(script: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules', script), ...args], { cwd: ROOT });
    return `${stdout}${stderr}`;
  } catch (e) {
    const { stdout, stderr, message } = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${script} failed:\n${`${stdout ?? ''}${stderr ?? ''}` || message}`);
  }
}

/**
 * A TypeScript client generated from openapi/openapi.json (openapi-typescript types,
 * openapi-fetch calls) must compile under strict settings without casts, and then do a real
 * tour of the API against a running server: register, a credential, a workflow, its webhook,
 * the run read back, logs, stats, export and import, toggle off.
 */
describe('a typed client generated from openapi/openapi.json', () => {
  let t: TestApp;

  beforeAll(async () => {
    mkdirSync(GENERATED, { recursive: true });
    // The CLI (its ES-module dependencies do not load under Jest), with the generator's own
    // default checks: linting the document is `npm run lint:openapi`'s job.
    const redocly = join(GENERATED, 'redocly.yaml');
    writeFileSync(redocly, 'extends:\n  - minimal\nrules:\n  operation-operationId-unique: error\n');
    await cli('openapi-typescript/bin/cli.js', [
      'openapi/openapi.json',
      '--output',
      join(GENERATED, 'flowgate-api.d.ts'),
      '--redocly',
      redocly,
    ]);
    t = await startTestApp();
  }, 120_000);
  afterAll(() => t?.close());

  it('the scenario uses the generated types only: no casts, any, non-null assertions or ts comments', () => {
    const source = readFileSync(SCENARIO, 'utf8');
    const found = FORBIDDEN.filter((f) => source.includes(f));
    expect(found).toEqual([]);
  });

  it('the scenario compiles with strict tsc against the generated types', async () => {
    // A separate program: tsconfig.json leaves the scenario out (its types exist only once generated).
    const tsconfig = join(GENERATED, 'tsconfig.json');
    writeFileSync(
      tsconfig,
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          noImplicitReturns: true,
          noUnusedLocals: true,
          noEmit: true,
          target: 'ES2022',
          lib: ['ES2022', 'DOM'],
          module: 'commonjs',
          moduleResolution: 'node10',
          types: [],
          skipLibCheck: true,
        },
        files: [SCENARIO],
      }),
    );
    await cli('typescript/bin/tsc', ['-p', tsconfig, '--pretty', 'false']).catch((e: Error) => {
      throw new Error(`the typed-client scenario does not compile against the generated types (${e.message})`);
    });
  }, 120_000);

  it('runs against the server: webhook run read back at once and until it succeeds, logs, stats, export, import, toggle off', async () => {
    // Loaded at run time: an import, even of its types, would put the scenario in tsconfig.json's program.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runScenario } = require(SCENARIO) as { runScenario(baseUrl: string): Promise<{ [key: string]: any }> };
    const r = await runScenario(t.url);

    expect(['queued', 'running', 'succeeded']).toContain(r.firstSeenStatus);
    expect(r.finalStatus).toBe('succeeded');
    expect(r.inputOrderId).toBe('A-1001');
    expect(r.shapeOutput).toEqual({ orderId: 'A-1001', total: 42 });
    expect(r.stepStatuses).toEqual([
      ['shape', 'succeeded'],
      ['big', 'succeeded'],
      ['notify', 'skipped'],
    ]);
    expect(r.logs.count).toBe(1);
    expect(r.logs.workflowIds).toEqual([expect.any(String)]);
    expect(r.logs.statuses).toEqual(['succeeded']);
    expect(r.succeededByStats).toBe(1);
    expect(r.exportedStepNames).toEqual(['shape', 'big', 'notify']);
    expect(r.exportedCredentials).toEqual(['Orders API (http)']);
    expect(r.imported.name).toMatch(/\(copy\)$/);
    expect(r.imported.notifyCredentialId).toBe(r.credentialId);
    expect(r.toggledActive).toBe(false);
    expect(r.webhookAfterToggle.status).toBe(404);
  });
});
