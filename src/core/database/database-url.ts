/**
 * DATABASE_URL helpers. Nothing here ever returns or prints the password: the URL is only
 * described by user, host, port and database.
 */

/** Why DATABASE_URL cannot be used, or undefined when it can (checked once, at config load). */
export function databaseUrlProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'must be a URL such as postgres://user:password@host:5432/flowgate';
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    return `must start with postgres:// or postgresql://, got "${u.protocol}//"`;
  }
  if (!databaseName(url)) return 'must name a database, e.g. postgres://user:password@host:5432/flowgate';
  return undefined;
}

/** The database the URL names ("flowgate" in postgres://…/flowgate). */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

/** `user@host:port/database`, for log lines and error messages. */
export function describeDatabaseUrl(url: string): string {
  return `${describeServer(url)}/${databaseName(url)}`;
}

/** `user@host:port`. */
export function describeServer(url: string): string {
  const u = new URL(url);
  const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
  return `${user}${u.hostname || 'localhost'}:${u.port || '5432'}`;
}

/** The same server and credentials, another database (the maintenance database). */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

/** Replaces the URL's password, raw or decoded, wherever it appears in `text` (driver messages). */
export function withoutPassword(text: string, url: string): string {
  const raw = new URL(url).password;
  if (!raw) return text;
  let out = text;
  for (const secret of new Set([raw, decodeURIComponent(raw)])) out = out.split(secret).join('***');
  return out;
}
