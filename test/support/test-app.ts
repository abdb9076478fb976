import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { AppConfig } from '../../src/core/config/app-config';
import { loadConfig } from '../../src/core/config/load-config';
import { createFlowgateApp } from '../../src/flowgate-app';
import { HttpClient } from './http-client';
import { openApiContract } from './openapi-contract';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  url: string;
  http: HttpClient;
  /** Every log line the app wrote (JSON strings). */
  logs: string[];
  close(): Promise<void>;
}

/**
 * Boots the real application (Fastify, PostgreSQL, Redis, BullMQ) on a random loopback port.
 * Each app gets its own queue prefix so apps in other test files never take its jobs.
 */
export async function startTestApp(
  env: Record<string, string | undefined> = {},
  opts: { beforeListen?: (app: NestFastifyApplication) => void } = {},
): Promise<TestApp> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line) logs.push(line);
      cb();
    },
  });
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    RUN_MIGRATIONS: 'false',
    ADMIN_TOKEN: 'test-admin-token-0123456789',
    // Every test client shares 127.0.0.1; per-email limits still apply.
    AUTH_RATE_LIMIT_IP_LIMIT: '100000',
    RATE_LIMIT_LIMIT: '100000',
    QUEUE_PREFIX: `${process.env.QUEUE_PREFIX ?? 'fgt-local'}-${randomBytes(3).toString('hex')}`,
    ...env,
  });
  const app = await createFlowgateApp(config, { logDestination: sink });
  opts.beforeListen?.(app);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  return {
    app,
    config,
    url,
    http: new HttpClient(url, { contract: openApiContract() }),
    logs,
    close: () => app.close(),
  };
}

let counter = 0;
export function uniqueEmail(tag = 'user'): string {
  return `${tag}-${Date.now().toString(36)}-${process.pid}-${++counter}@example.test`;
}

/** Registers a fresh tenant and returns its owner's token and ids. */
export async function registerTenant(http: HttpClient, name = 'Test tenant') {
  const email = uniqueEmail('owner');
  const password = 'Sup3r-secret-passw0rd';
  const res = await http.post('/api/auth/register', { email, password, tenantName: name });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
  return {
    token: res.body.accessToken as string,
    userId: res.body.user.id as string,
    tenantId: res.body.tenant.id as string,
    email,
    password,
  };
}
