import { Client } from 'pg';
import { databaseName, withDatabase } from './database-url';

/** PostgreSQL's error code for "database … does not exist". */
export const MISSING_DATABASE = '3D000';

export function pgErrorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

async function connect(url: string, timeoutMs: number): Promise<Client> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined); // a connection that drops later is seen by its next query
  try {
    await client.connect();
    return client;
  } catch (e) {
    await client.end().catch(() => undefined);
    throw e;
  }
}

/**
 * Makes sure the database named in the URL exists. The target is tried first, so a database
 * that exists never costs a connection to the maintenance database (which managed services may
 * not even let the role open); only on 3D000 does it connect there and create it.
 * With `create: false` the 3D000 error is thrown as it is. Returns whether it created it.
 */
export async function ensureDatabase(url: string, opts: { create?: boolean; timeoutMs?: number } = {}): Promise<boolean> {
  const { create = true, timeoutMs = 5000 } = opts;
  try {
    const client = await connect(url, timeoutMs);
    await client.end().catch(() => undefined);
    return false;
  } catch (e) {
    if (!create || pgErrorCode(e) !== MISSING_DATABASE) throw e;
  }
  return createDatabase(url, timeoutMs);
}

/** CREATE DATABASE through the maintenance database; false when another replica was first. */
async function createDatabase(url: string, timeoutMs: number): Promise<boolean> {
  const client = await connectMaintenance(url, timeoutMs);
  try {
    await client.query(`CREATE DATABASE ${quoteIdent(databaseName(url))}`);
    return true;
  } catch (e) {
    // Another replica created it between our probe and our create: 42P04, or 23505 when
    // both CREATE DATABASE statements raced inside the catalog.
    if (['42P04', '23505'].includes(pgErrorCode(e) ?? '')) return false;
    throw e;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `postgres`, or `template1` on a server that has no `postgres` database. */
async function connectMaintenance(url: string, timeoutMs: number): Promise<Client> {
  try {
    return await connect(withDatabase(url, 'postgres'), timeoutMs);
  } catch (e) {
    if (pgErrorCode(e) !== MISSING_DATABASE) throw e;
    return connect(withDatabase(url, 'template1'), timeoutMs);
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const client = await connectMaintenance(url, 5000);
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(databaseName(url))} WITH (FORCE)`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
