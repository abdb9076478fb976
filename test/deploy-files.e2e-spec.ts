import Ajv from 'ajv';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { configSchema } from '../src/core/config/config.schema';
import { loadConfig } from '../src/core/config/load-config';
import { cidrContains, parseCidr } from '../src/core/http/cidr';
import { parseIp } from '../src/core/http/ip-address';
import { startFlags } from '../bench/lib/node-runtime';
import { published, publishingProblems, routePaths } from '../src/modules/kong/__tests__/kong-published';

/**
 * The deploy files, checked without Docker or Railway: docker-compose.yml against the Compose
 * specification's JSON schema and for what Flowgate needs from it, the Dockerfile's image,
 * .env.example against the real settings, and the Railway configuration (IaC program and the
 * Config as Code files) for roles, health checks and shutdown time.
 */
const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/**
 * How long a stopping Flowgate process may take: running jobs get SHUTDOWN_TIMEOUT_MS (its
 * default, from the real schema), then closing connections gets SHUTDOWN_GRACE_MS (src/main.ts
 * exits hard past the sum). Orchestrators must wait longer than this before SIGKILL.
 */
function shutdownBudgetMs(): number {
  const grace = /const SHUTDOWN_GRACE_MS = ([\d_]+);/.exec(read('src/main.ts'));
  if (!grace) throw new Error('SHUTDOWN_GRACE_MS not found in src/main.ts: update this test with the new shutdown limit');
  return configSchema.parse({}).SHUTDOWN_TIMEOUT_MS + Number(grace[1].replace(/_/g, ''));
}

/** A Compose duration ("30s", "1m30s", "500ms") in milliseconds. */
function durationMs(value: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, ns: 0.000001 };
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|us|ns|h|m|s)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== value) throw new Error(`not a duration: "${value}"`);
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit], 0);
}

/** .env.example: the active NAME=value lines, and every name it documents (commented or not). */
function readEnvExample() {
  const active: Record<string, string> = {};
  const documented = new Set<string>();
  for (const line of read('.env.example').split('\n')) {
    const m = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (!m) continue;
    documented.add(m[2]);
    if (!m[1]) active[m[2]] = m[3];
  }
  return { active, documented };
}

type Vars = Record<string, string | undefined>;

/** Compose interpolation: ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}, $$. */
function interpolate(value: string, vars: Vars): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g,
    (whole, name?: string, colon?: string, op?: string, arg?: string) => {
      if (whole === '$$') return '$';
      const v = vars[name!];
      const missing = v === undefined || (colon === ':' && v === '');
      if (op === '-') return missing ? arg! : v!;
      if (op === '?' && missing) throw new Error(`compose would stop: ${arg}`);
      return v ?? '';
    },
  );
}

/** Every ${NAME} the compose file reads from .env or the shell. */
const interpolatedNames = (text: string) => new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]));

const SECRETS = { JWT_SECRET: 'j'.repeat(64), ENCRYPTION_KEY: 'ab'.repeat(32) };

interface ComposeService {
  image?: string;
  build?: unknown;
  pull_policy?: string;
  profiles?: string[];
  env_file?: Array<string | { path: string }>;
  environment?: Record<string, string | number>;
  command?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  volumes?: string[];
  stop_grace_period?: string;
  restart?: string;
  networks?: Record<string, { ipv4_address?: string }>;
}

describe('docker-compose.yml', () => {
  const text = read('docker-compose.yml');
  const compose = parseYaml(text, { merge: true }) as {
    services: Record<string, ComposeService>;
    networks?: Record<string, { ipam?: { config?: Array<{ subnet?: string }> } }>;
  };
  const { services } = compose;
  const app = ['api', 'worker'] as const;

  /**
   * The Compose specification's JSON schema, as the dclint package ships it (npm: dclint,
   * schemas/compose.schema.json, a copy of compose-spec/compose-spec's schema/compose-spec.json).
   * Its `$schema` names draft-07 by an https address Ajv does not know; Ajv's default is draft-07.
   */
  function composeValidator() {
    const file = join(dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json');
    const { $schema: _draft, ...schema } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    return new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
  }

  it('is valid against the Compose specification schema', () => {
    const validate = composeValidator();
    const ok = validate(compose);
    if (!ok) throw new Error(`docker-compose.yml breaks the Compose spec: ${JSON.stringify(validate.errors, null, 2)}`);
    // The schema does reject mistakes: the same file with a misspelt key fails.
    const broken = structuredClone(compose) as { services: Record<string, Record<string, unknown>> };
    broken.services.api.stop_grace_priod = '30s';
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toContain('/services/api');
  });

  it('builds the Flowgate image once; the worker runs the same image and never pulls it', () => {
    const built = Object.entries(services).filter(([, s]) => s.build !== undefined);
    expect(built.map(([name]) => name)).toEqual(['api']);
    expect(services.api.image).toBeTruthy();
    expect(services.worker.image).toBe(services.api.image);
    expect(services.worker.pull_policy).toBe('never');
  });

  it('lets api and worker release their jobs before Docker kills them (stop_grace_period)', () => {
    for (const name of app) {
      expect(services[name].stop_grace_period).toBeDefined();
      expect(durationMs(services[name].stop_grace_period!)).toBeGreaterThan(shutdownBudgetMs());
    }
  });

  it('passes .env to api and worker (env_file), so any setting can be set without editing the file', () => {
    for (const name of app) {
      const files = (services[name].env_file ?? []).map((f) => (typeof f === 'string' ? f : f.path));
      expect(files).toContain('.env');
    }
  });

  it('runs Redis with maxmemory-policy noeviction, which BullMQ requires', () => {
    const cmd = services.redis.command ?? [];
    expect(cmd[cmd.indexOf('--maxmemory-policy') + 1]).toBe('noeviction');
    expect(cmd.indexOf('--maxmemory-policy')).toBeGreaterThan(0);
  });

  it('restarts every long-running service', () => {
    for (const name of ['postgres', 'redis', 'api', 'worker', 'kong']) {
      expect([name, services[name].restart]).toEqual([name, expect.stringMatching(/^(always|unless-stopped)$/)]);
    }
  });

  it('starts Kong once the api is ready, checked on the port each role listens on', () => {
    expect(services.kong.depends_on?.api).toEqual({ condition: 'service_healthy' });
    const apiPort = services.api.environment?.PORT;
    const workerPort = services.worker.environment?.WORKER_PORT;
    expect(services.api.healthcheck?.test.join(' ')).toContain(`127.0.0.1:${apiPort}/health/ready`);
    expect(services.worker.healthcheck?.test.join(' ')).toContain(`127.0.0.1:${workerPort}/health/ready`);
  });

  it('lets only Kong name the client: the api trusts Kong’s fixed address for X-Forwarded-For', () => {
    const kongAddress = services.kong.networks?.default?.ipv4_address;
    expect(kongAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(services.api.environment?.TRUST_PROXY).toBe(kongAddress);
    const subnet = compose.networks?.default?.ipam?.config?.[0]?.subnet ?? '';
    expect(cidrContains(parseCidr(subnet)!, parseIp(kongAddress!)!)).toBe(true);
  });

  it('drives Kong in dbless mode, as the stack runs Kong without a database', () => {
    expect(services.kong.environment?.KONG_DATABASE).toBe('off');
    for (const name of app) expect(services[name].environment?.KONG_MODE).toBe('dbless');
  });

  it('Kong, the only public door, publishes only what end users call: its declarative file has no /health*, /metrics, /docs or /api/admin* route', () => {
    // The file Kong starts with is kong/kong.yml, mounted read-only; the api reads the same file.
    const declarative = String(services.kong.environment?.KONG_DECLARATIVE_CONFIG);
    const mount = (services.kong.volumes ?? []).find((v) => declarative.startsWith(`${v.split(':')[1]}/`));
    expect(mount).toBe('./kong:/kong:ro');
    const file = join(mount!.split(':')[0], declarative.slice(mount!.split(':')[1].length + 1));
    expect(file).toBe('kong/kong.yml');
    const doc = parseYaml(read(file)) as Parameters<typeof publishingProblems>[0];
    expect(publishingProblems(doc)).toEqual([]);
    for (const path of ['/health', '/health/detailed', '/metrics', '/docs', '/api/admin/tokens'])
      expect([path, published(routePaths(doc), path)]).toEqual([path, false]);
    // Probes and the operator's tools use the api itself, on the compose network or loopback.
    expect(services.api.ports).toEqual([expect.stringMatching(/^127\.0\.0\.1:/)]);
  });

  it('has a tools profile (pgAdmin, Redis Commander); only Kong’s proxy is published beyond loopback', () => {
    const tools = Object.entries(services).filter(([, s]) => s.profiles?.includes('tools'));
    expect(tools.map(([, s]) => s.image?.split(/[:/]/).slice(-2, -1)[0])).toEqual(['pgadmin4', 'redis-commander']);
    for (const [name, s] of Object.entries(services)) {
      for (const port of s.ports ?? []) {
        if (name === 'kong' && port === '8000:8000') continue;
        expect([name, port]).toEqual([name, expect.stringMatching(/^127\.0\.0\.1:/)]);
      }
    }
  });

  it('reads only settings that .env.example names, and .env.example names only real settings', () => {
    const { documented } = readEnvExample();
    const composeVars = interpolatedNames(text);
    for (const name of composeVars) expect([name, documented.has(name)]).toEqual([name, true]);
    const settings = new Set(Object.keys(configSchema.shape));
    for (const name of documented) {
      expect([name, settings.has(name) || composeVars.has(name)]).toEqual([name, true]);
    }
    // What an operator of this stack sets besides the two secrets.
    for (const name of [
      'ADMIN_TOKEN',
      'ENCRYPTION_OLD_KEYS',
      'CORS_ORIGINS',
      'LOG_LEVEL',
      'SHUTDOWN_TIMEOUT_MS',
      'OUTBOUND_ALLOW_HOSTS',
      'NANGO_HOST',
      'NANGO_SECRET_KEY',
      'NANGO_WEBHOOK_SECRET',
      'OAUTH_REDIRECT_URL',
      'KONG_USAGE_SECRET',
      'KONG_ADMIN_TOKEN',
      'KONG_RATE_LIMIT_REDIS_HOST',
    ]) {
      expect([name, documented.has(name)]).toEqual([name, true]);
    }
  });

  it('.env.example leaves a setting at its default when its line is empty', () => {
    const { active } = readEnvExample();
    const shape = configSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }>;
    for (const [name, value] of Object.entries(active)) {
      if (value !== '' || !shape[name]) continue;
      // An empty number would be 0, not the default: such settings stay commented out.
      expect([name, shape[name].safeParse('')]).toEqual([name, shape[name].safeParse(undefined)]);
    }
  });

  it('gives api and worker a valid production configuration from .env.example plus the two secrets', () => {
    const dotenv = { ...readEnvExample().active, ...SECRETS };
    for (const name of app) {
      const env: Vars = { ...dotenv };
      for (const [k, v] of Object.entries(services[name].environment ?? {})) env[k] = interpolate(String(v), dotenv);
      const config = loadConfig(env, ROOT);
      expect(config.isProduction).toBe(true);
      expect(config.role).toBe(name);
      expect(config.database.url).toMatch(/@postgres:5432\/flowgate$/);
      expect(config.redis.url).toBe('redis://redis:6379');
      expect(config.kong).toMatchObject({ adminUrl: 'http://kong:8001', mode: 'dbless' });
    }
  });

  it('stops with a message naming the secret when .env lacks it', () => {
    expect(() => interpolate(String(services.api.environment?.JWT_SECRET), {})).toThrow('set JWT_SECRET in .env');
  });
});

describe('Dockerfile', () => {
  const lines = read('Dockerfile').split('\n');
  const stages = lines.filter((l) => /^FROM /.test(l));
  const runtime = lines.slice(lines.findIndex((l) => /^FROM .* AS runtime$/.test(l)));

  it('builds on Node 24 LTS, pinned to the version in .nvmrc', () => {
    const nvmrc = read('.nvmrc').trim();
    expect(nvmrc).toMatch(/^24\.\d+\.\d+$/);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      const from = /^FROM (\S+)/.exec(stage)![1];
      if (!from.startsWith('node:')) continue; // a later stage built on an earlier one (FROM deps)
      expect(from).toBe(`node:${nvmrc}-bookworm-slim`);
    }
  });

  it('runs as node with the app files owned by root (never --chown to the runtime user)', () => {
    expect(runtime.filter((l) => /^COPY /.test(l)).length).toBeGreaterThan(0);
    expect(runtime.filter((l) => /^COPY .*--chown/.test(l))).toEqual([]);
    const lastUser = runtime.filter((l) => /^USER /.test(l)).pop();
    expect(lastUser).toBe('USER node');
    const lastCopy = runtime.map((l, i) => (/^COPY /.test(l) ? i : -1)).reduce((a, b) => Math.max(a, b));
    expect(runtime.indexOf('USER node')).toBeGreaterThan(lastCopy);
  });

  it('compiles and ships only what production runs: no bench/, no test code', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(lines.filter((l) => /^COPY .*\b(bench|test)\b/.test(l))).toEqual([]);
    expect(lines.filter((l) => /^RUN /.test(l)).join('\n')).toContain('npm run build:prod');
    const sources = /swc (.+?) -d dist/.exec(pkg.scripts['build:prod'])![1].split(/\s+/);
    expect(sources).toEqual(['src', 'migrations', 'scripts']);
    // The development build still compiles the benchmarks and the test fakes.
    expect(pkg.scripts.build).toMatch(/\bbench\b.*\btest\/fakes\b/);
  });
});

describe('Railway', () => {
  interface Variable {
    type: string;
    value?: string;
    resource?: string;
    output?: string;
    name?: string;
  }
  interface Resource {
    address: string;
    type: string;
    name: string;
    engine?: string;
    deploy?: Record<string, unknown>;
    variables?: Record<string, Variable>;
  }

  /**
   * Evaluates .railway/railway.ts the way the Railway CLI does: Node imports it as an ES module
   * with type stripping and calls its default export (currently with an empty context).
   */
  function railwayProject(): { name: string; resources: Resource[] } {
    const file = pathToFileURL(join(ROOT, '.railway', 'railway.ts')).href;
    const script = `const m = await import(${JSON.stringify(file)}); process.stdout.write(JSON.stringify(await m.default({})));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    return JSON.parse(out);
  }

  let railway: { name: string; resources: Resource[] };
  let api: Resource;
  let worker: Resource;
  let db: Resource;
  let cache: Resource;

  beforeAll(() => {
    railway = railwayProject();
    const find = (match: (r: Resource) => boolean) => railway.resources.find(match)!;
    api = find((r) => r.name === 'api');
    worker = find((r) => r.name === 'worker');
    db = find((r) => r.engine === 'postgres');
    cache = find((r) => r.engine === 'redis');
  });

  it('.railway/railway.ts describes PostgreSQL, Redis, the API and a worker', () => {
    expect(railway.resources.map((r) => `${r.type}:${r.engine ?? r.name}`).sort()).toEqual([
      'database:postgres',
      'database:redis',
      'service:api',
      'service:worker',
    ]);
    expect(api.variables?.ROLE).toEqual({ type: 'literal', value: 'api' });
    expect(worker.variables?.ROLE).toEqual({ type: 'literal', value: 'worker' });
    for (const s of [api, worker]) {
      expect(s.variables?.NODE_ENV).toEqual({ type: 'literal', value: 'production' });
      expect(s.deploy).toMatchObject({ restartPolicyType: 'ON_FAILURE', numReplicas: 1 });
    }
  });

  it('wires DATABASE_URL and REDIS_URL (with family=0 for ioredis) from the databases', () => {
    for (const s of [api, worker]) {
      expect(s.variables?.DATABASE_URL).toEqual({ type: 'reference', resource: db.address, output: 'DATABASE_URL' });
      expect(s.variables?.REDIS_URL).toEqual({ type: 'literal', value: `\${{${cache.name}.REDIS_URL}}?family=0` });
    }
  });

  it('keeps secrets out of the file: shared variables or values the operator sets', () => {
    for (const s of [api, worker]) {
      for (const name of ['JWT_SECRET', 'ENCRYPTION_KEY']) {
        expect(s.variables?.[name]).toEqual({ type: 'sharedReference', name });
      }
      for (const [name, v] of Object.entries(s.variables ?? {})) {
        if (/SECRET|KEY|TOKEN|PASSWORD/.test(name)) expect([name, v.type]).not.toEqual([name, 'literal']);
      }
    }
  });

  it('sets only real Flowgate settings', () => {
    const settings = new Set(Object.keys(configSchema.shape));
    for (const s of [api, worker]) {
      for (const name of Object.keys(s.variables ?? {})) expect([name, settings.has(name)]).toEqual([name, true]);
    }
  });

  it('trusts Railway’s edge, one hop, for the API’s client address; both services can be scraped with the admin token', () => {
    expect(api.variables?.TRUST_PROXY).toEqual({ type: 'literal', value: '1' });
    for (const s of [api, worker]) expect(s.variables?.ADMIN_TOKEN?.type).toBe('preserve');
  });

  it('checks the API’s readiness on its PORT, and the worker’s only on the port it serves', () => {
    expect(api.deploy?.healthcheckPath).toBe('/health/ready');
    expect(api.variables?.PORT).toEqual({ type: 'literal', value: String(configSchema.parse({}).PORT) });
    if (worker.deploy?.healthcheckPath !== undefined) {
      // Railway checks health on PORT; the worker answers on WORKER_PORT.
      expect(worker.variables?.PORT).toEqual(worker.variables?.WORKER_PORT);
      expect(worker.variables?.PORT?.type).toBe('literal');
    }
  });

  it('starts both services as npm start does, with its node flags', () => {
    const expected = `node ${startFlags().join(' ')} dist/src/main.js`;
    for (const s of [api, worker]) expect([s.name, s.deploy?.startCommand]).toEqual([s.name, expected]);
  });

  it('gives each deployment time to release its jobs before SIGKILL (drainingSeconds)', () => {
    for (const s of [api, worker]) expect(Number(s.deploy?.drainingSeconds) * 1000).toBeGreaterThan(shutdownBudgetMs());
  });

  /** Config as Code keys Railway documents (docs.railway.com/config-as-code/reference). */
  const CAC_KEYS = {
    build: [
      'builder',
      'watchPatterns',
      'buildCommand',
      'dockerfilePath',
      'railpackVersion',
      'nixpacksConfigPath',
      'nixpacksPlan',
      'nixpacksVersion',
    ],
    deploy: [
      'startCommand',
      'preDeployCommand',
      'multiRegionConfig',
      'numReplicas',
      'healthcheckPath',
      'healthcheckTimeout',
      'restartPolicyType',
      'restartPolicyMaxRetries',
      'cronSchedule',
      'overlapSeconds',
      'drainingSeconds',
    ],
  };
  const cac = (file: string) => {
    const parsed = parseToml(read(file)) as Record<string, Record<string, unknown>>;
    expect(Object.keys(parsed).sort()).toEqual(['build', 'deploy']);
    for (const section of ['build', 'deploy'] as const) {
      for (const key of Object.keys(parsed[section]))
        expect([file, section, key, CAC_KEYS[section].includes(key)]).toEqual([file, section, key, true]);
    }
    return parsed;
  };

  it('railway.toml (Config as Code, until 2026-12-01) is the API service’s, matching the IaC file', () => {
    const toml = cac('railway.toml');
    expect(read('railway.toml')).toMatch(/API SERVICE ONLY[\s\S]*WORKER service must NOT use this file/);
    expect(toml.build).toMatchObject({ builder: 'DOCKERFILE', dockerfilePath: 'Dockerfile' });
    expect(toml.deploy).toMatchObject({
      healthcheckPath: api.deploy?.healthcheckPath,
      restartPolicyType: api.deploy?.restartPolicyType,
      drainingSeconds: api.deploy?.drainingSeconds,
      overlapSeconds: api.deploy?.overlapSeconds,
    });
  });

  it('railway.worker.toml has no HTTP health check and the same draining time', () => {
    const toml = cac('railway.worker.toml');
    expect(toml.deploy.healthcheckPath).toBeUndefined();
    expect(toml.deploy).toMatchObject({
      restartPolicyType: worker.deploy?.restartPolicyType,
      drainingSeconds: worker.deploy?.drainingSeconds,
    });
  });
});

describe('start commands', () => {
  /** `npm start`'s command line; every deploy target must start the process the same way. */
  const expected = `node ${startFlags().join(' ')} dist/src/main.js`;

  it('the Dockerfile and both Railway config files run main.js with npm start’s node flags', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile'))![1];
    expect((JSON.parse(cmd) as string[]).join(' ')).toBe(expected);
    for (const file of ['railway.toml', 'railway.worker.toml']) {
      expect([file, (parseToml(read(file)) as { deploy: { startCommand: string } }).deploy.startCommand]).toEqual([file, expected]);
    }
  });
});
