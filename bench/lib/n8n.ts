import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { Client } from 'pg';
import { dropDatabase, ensureDatabase } from '../../src/core/database/ensure-database';
import { databaseName } from '../../src/core/database/database-url';
import { findNode, nodeVersion, peakRssMb } from './node-runtime';
import { freePort } from './processes';

/**
 * n8n for the peer benchmark: installed from the npm registry at a pinned version into a
 * temporary folder, run on a Node it supports (n8n 1.82 refuses Node > 22) in regular mode on
 * a fresh PostgreSQL database, given one workflow through its own CLI, counted in its own
 * `execution_entity` table, and removed afterwards. Nothing here is Flowgate's.
 */

export const N8N_VERSION = process.env.PEERS_N8N_VERSION ?? '1.82.3';
/** The production webhook path of the imported workflow (POST /webhook/<path>). */
export const N8N_WEBHOOK_PATH = 'flowgate-peer-bench';
const WORKFLOW_ID = 'FlowgatePeerBnch';
/** Replaces n8n-nodes-base's off-registry xlsx dependency (https://cdn.sheetjs.com/...). */
export const XLSX_FROM_REGISTRY = 'npm:xlsx@0.18.5';

/**
 * A node binary n8n 1.82 accepts (engines ">=18.17 <= 22"): BENCH_N8N_NODE if set, else the
 * newest of 22, 20, 18 found on this machine (see findNode). Throws naming what to set.
 */
export function findN8nNode(): string {
  const given = process.env.BENCH_N8N_NODE;
  const candidates = given ? [given] : [22, 20, 18].map((m) => findNode(m));
  for (const node of candidates) {
    if (!node) continue;
    const [major, minor] = nodeVersion(node).slice(1).split('.').map(Number);
    if (major <= 22 && (major > 18 || minor >= 17)) return node;
  }
  throw new Error(
    `n8n ${N8N_VERSION} needs Node >=18.17 and <=22, and none was found${given ? ` (BENCH_N8N_NODE=${given} is not one)` : ''}: install one or name it with BENCH_N8N_NODE=/path/to/node`,
  );
}

export interface N8nInstall {
  /** The temporary folder holding node_modules/n8n (and each round's user folder). */
  dir: string;
  version: string;
  node: string;
  nodeVersion: string;
  installSeconds: number;
  /** Removes the temporary folder. */
  remove(): void;
}

/** Process groups of the commands running now (npm install, n8n CLI), for killRunningCommands(). */
const running = new Set<ChildProcess>();

/** Temporary folders made by installN8n and not removed yet. */
const folders = new Set<string>();

/** Kills every command this module is running, n8n included (on an interrupted benchmark). */
export function killRunningCommands(): void {
  for (const proc of running) killGroup(proc, 'SIGKILL');
}

/** Removes every temporary folder installN8n made and nothing removed yet (on an interrupted benchmark). */
export function removeFolders(): void {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  folders.clear();
}

/** Runs a command to completion; rejects with the tail of its output on a non-zero exit or timeout. */
function runCommand(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: Record<string, string>; timeoutMs: number; what: string },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(proc);
    let out = '';
    const keep = (c: Buffer) => {
      out = (out + c.toString('utf8')).slice(-8000);
    };
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    const timer = setTimeout(() => killGroup(proc, 'SIGKILL'), opts.timeoutMs);
    proc.on('error', (e) => {
      clearTimeout(timer);
      running.delete(proc);
      reject(new Error(`${opts.what}: ${e.message}`));
    });
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(proc);
      if (code === 0) resolve(out);
      else
        reject(
          new Error(
            `${opts.what} failed (${signal ? `killed by ${signal}${signal === 'SIGKILL' ? `, over ${opts.timeoutMs} ms?` : ''}` : `exit ${code}`}):\n${out.trim().split('\n').slice(-25).join('\n')}`,
          ),
        );
    });
  });
}

function killGroup(proc: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-proc.pid!, signal);
  } catch {
    // already gone
  }
}

/**
 * `npm install n8n@<version>` into a fresh temporary folder with the given node first on PATH
 * (so npm and anything it builds run on the Node n8n will run on). Only npm's own cache is
 * reused; the folder is the caller's to remove (remove()), also when the install fails.
 */
export async function installN8n(node: string, version = N8N_VERSION): Promise<N8nInstall> {
  const dir = mkdtempSync(join(tmpdir(), 'flowgate-peers-n8n-'));
  folders.add(dir);
  const remove = () => {
    rmSync(dir, { recursive: true, force: true });
    folders.delete(dir);
  };
  try {
    // n8n-nodes-base takes xlsx as a tarball from cdn.sheetjs.com, outside the npm registry;
    // the registry's last xlsx stands in for it (only the Spreadsheet File node loads it).
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'flowgate-peers-n8n', private: true, overrides: { xlsx: XLSX_FROM_REGISTRY } }),
    );
    const started = performance.now();
    const args = ['install', `n8n@${version}`, '--no-audit', '--no-fund', '--omit=dev', '--no-save', '--loglevel=error'];
    // n8n's install scripts fetch prebuilt binaries from GitHub (sqlite3 and friends), which
    // PostgreSQL mode does not need; PEERS_N8N_INSTALL_SCRIPTS=1 runs them anyway.
    if (process.env.PEERS_N8N_INSTALL_SCRIPTS !== '1') args.push('--ignore-scripts');
    await runCommand(process.env.BENCH_NPM ?? 'npm', args, {
      cwd: dir,
      env: { ...stringEnv(process.env), PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` },
      timeoutMs: Number(process.env.PEERS_INSTALL_TIMEOUT_MS ?? 30 * 60_000),
      what: `npm install n8n@${version}`,
    });
    return {
      dir,
      version,
      node,
      nodeVersion: nodeVersion(node),
      installSeconds: Math.round((performance.now() - started) / 100) / 10,
      remove,
    };
  } catch (e) {
    remove();
    throw e;
  }
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

/**
 * The benchmark workflow in n8n's export format: a production webhook (POST, answering at once
 * like Flowgate's 202) into one Set node building the greeting from the posted body.
 */
export function n8nWorkflow(): Record<string, unknown> {
  return {
    id: WORKFLOW_ID,
    name: 'Flowgate peer benchmark',
    active: true,
    nodes: [
      {
        id: '3f4c2a3e-0b1d-4c55-9d6e-1a2b3c4d5e01',
        name: 'Webhook',
        type: 'n8n-nodes-base.webhook',
        typeVersion: 2,
        position: [0, 0],
        webhookId: '3f4c2a3e-0b1d-4c55-9d6e-1a2b3c4d5e02',
        parameters: { httpMethod: 'POST', path: N8N_WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
      },
      {
        id: '3f4c2a3e-0b1d-4c55-9d6e-1a2b3c4d5e03',
        name: 'Greeting',
        type: 'n8n-nodes-base.set',
        typeVersion: 3.4,
        position: [220, 0],
        parameters: {
          assignments: {
            assignments: [
              {
                id: '3f4c2a3e-0b1d-4c55-9d6e-1a2b3c4d5e04',
                name: 'greeting',
                value: '=Hello {{ $json.body.name }}! Order #{{ $json.body.id }}',
                type: 'string',
              },
            ],
          },
          options: {},
        },
      },
    ],
    connections: { Webhook: { main: [[{ node: 'Greeting', type: 'main', index: 0 }]] } },
    settings: { executionOrder: 'v1' },
    pinData: {},
  };
}

export interface N8nInstance {
  proc: ChildProcess;
  port: number;
  url: string;
  webhookUrl: string;
  databaseUrl: string;
  /** Peak RSS (VmHWM) of the n8n process, MB; after stop(), the value read just before it. */
  peakRssMb(): number;
  /** Executions in its database: all rows, and those with status success. */
  count(): Promise<{ total: number; success: number }>;
  /** The stored data of its latest execution (n8n's flattened JSON), to check what it computed. */
  lastOutput(): Promise<string>;
  /** Stops the process group, drops the database, removes the user folder. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * One n8n for one round: a fresh database, a fresh user folder, the workflow imported and
 * activated through n8n's CLI, then `n8n start` (regular mode, PostgreSQL) in its own process
 * group; resolves once the production webhook answers 200 (that first call is one execution).
 */
export async function startN8n(
  install: N8nInstall,
  baseDatabaseUrl: string,
  tag: string,
  /** Given stop() before anything is created, so an interrupted run can clean up a start in progress. */
  onStop?: (stop: () => Promise<void>) => void,
): Promise<N8nInstance> {
  const port = await freePort();
  const db = new URL(baseDatabaseUrl);
  db.pathname = `/n8n_bench_${tag}`;
  const databaseUrl = db.toString();
  const userFolder = join(install.dir, `user-${tag}`);
  mkdirSync(userFolder, { recursive: true });
  const env: Record<string, string> = {
    PATH: `${dirname(install.node)}${delimiter}${process.env.PATH ?? ''}`,
    HOME: userFolder,
    NODE_ENV: 'production',
    DB_TYPE: 'postgresdb',
    DB_POSTGRESDB_HOST: db.hostname,
    DB_POSTGRESDB_PORT: db.port || '5432',
    DB_POSTGRESDB_USER: decodeURIComponent(db.username || 'postgres'),
    DB_POSTGRESDB_PASSWORD: decodeURIComponent(db.password),
    DB_POSTGRESDB_DATABASE: databaseName(databaseUrl),
    N8N_PORT: String(port),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    N8N_USER_FOLDER: userFolder,
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_COMMUNITY_PACKAGES_ENABLED: 'false',
    // task runners (N8N_RUNNERS_ENABLED) stay at 1.82's default, off: they only serve the Code node
    N8N_DISABLE_UI: 'true',
    EXECUTIONS_MODE: 'regular',
    EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
    // pruning would soft-delete rows past 10,000 while we count them
    EXECUTIONS_DATA_PRUNE: 'false',
    N8N_LOG_LEVEL: 'warn',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
  };
  const cli = join(install.dir, 'node_modules', 'n8n', 'bin', 'n8n');
  const n8n = (args: string[], what: string) =>
    runCommand(install.node, [cli, ...args], { cwd: userFolder, env, timeoutMs: 300_000, what });

  let proc: ChildProcess | undefined;
  let client: Client | undefined;
  let lastPeak = NaN;
  let stopped = false;
  const alive = () => !!proc && proc.exitCode === null && proc.signalCode === null;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (proc && alive()) {
      lastPeak = peakRssMb(proc.pid!);
      const exited = new Promise((r) => proc!.once('exit', r));
      killGroup(proc, 'SIGTERM');
      const timer = setTimeout(() => killGroup(proc!, 'SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    // anything the group left behind
    if (proc) killGroup(proc, 'SIGKILL');
    await client?.end().catch(() => undefined);
    await dropDatabase(databaseUrl).catch(() => undefined);
    rmSync(userFolder, { recursive: true, force: true });
  };

  onStop?.(stop);
  try {
    await ensureDatabase(databaseUrl);
    const file = join(userFolder, 'workflow.json');
    writeFileSync(file, JSON.stringify([n8nWorkflow()])); // import:workflow reads an array
    // import deactivates what it imports; update:workflow activates it for the next start
    await n8n(['import:workflow', `--input=${file}`], 'n8n import:workflow');
    await n8n(['update:workflow', `--id=${WORKFLOW_ID}`, '--active=true'], 'n8n update:workflow');

    let output = '';
    proc = spawn(install.node, [cli, 'start'], { cwd: userFolder, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(proc);
    proc.once('exit', () => running.delete(proc!));
    const keep = (c: Buffer) => {
      output = (output + c.toString('utf8')).slice(-8000);
    };
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    const url = `http://127.0.0.1:${port}`;
    const webhookUrl = `${url}/webhook/${N8N_WEBHOOK_PATH}`;
    const deadline = Date.now() + Number(process.env.PEERS_N8N_START_TIMEOUT_MS ?? 300_000);
    for (;;) {
      if (!alive())
        throw new Error(`n8n start exited (${proc.exitCode ?? proc.signalCode}):\n${output.trim().split('\n').slice(-25).join('\n')}`);
      const status = await fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Ready', id: 0 }),
      })
        .then((r) => r.text().then(() => r.status))
        .catch(() => 0);
      if (status === 200) break;
      if (Date.now() > deadline)
        throw new Error(
          `n8n's production webhook POST ${webhookUrl} did not answer 200 (last: ${status || 'no answer'}):\n${output.trim().split('\n').slice(-25).join('\n')}`,
        );
      await new Promise((r) => setTimeout(r, 250));
    }
    client = new Client({ connectionString: databaseUrl });
    await client.connect();
    const pid = proc.pid!;
    return {
      proc,
      port,
      url,
      webhookUrl,
      databaseUrl,
      peakRssMb: () => (alive() ? (lastPeak = peakRssMb(pid)) : lastPeak),
      async count() {
        const r = await client!.query(
          `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'success')::int AS success FROM execution_entity`,
        );
        return r.rows[0] as { total: number; success: number };
      },
      async lastOutput() {
        const r = await client!.query(`SELECT data FROM execution_data ORDER BY "executionId" DESC LIMIT 1`);
        return String(r.rows[0]?.data ?? '');
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
