import { ErrorDetail } from '../../../core/errors/app-exception';
import { DomainError } from '../../../core/errors/domain-error';
import { KongErrorBody } from './kong-admin.types';

/** Kong's Admin API refused or failed a call: a 4xx for a config Kong rejects, a 502 for Kong-side trouble. */
export class KongAdminError extends DomainError {
  constructor(status: number, code: string, message: string, details?: ErrorDetail[]) {
    super(message, { status, code, details, retryable: status >= 500 });
  }
}

/** Kong is not configured or not reachable (503): a dependency outage, retried later. */
export class KongUnavailableError extends DomainError {
  constructor(code: string, message: string, retryAfterSeconds?: number) {
    super(message, { status: 503, code, retryable: true, retryAfterSeconds });
  }
}

/** Kong's numeric error codes (kong/db/errors.lua). */
export const KONG_ERROR_CODES = {
  SCHEMA_VIOLATION: 2,
  FOREIGN_KEY_VIOLATION: 4,
  UNIQUE_VIOLATION: 5,
  OPERATION_UNSUPPORTED: 12,
  INVALID_DECLARATIVE_CONFIG: 14,
} as const;

/**
 * Kong nests field errors the way the entity nests its fields:
 * `{ config: { second: "..." }, "@entity": ["..."] }` → `config.second`, `@entity`.
 */
export function flattenKongFields(fields: unknown, prefix = ''): ErrorDetail[] {
  if (fields === null || fields === undefined) return [];
  if (typeof fields === 'string') return [{ field: prefix || '(entity)', message: fields }];
  if (Array.isArray(fields)) {
    // Arrays are either a list of messages (entity checks) or per-index errors of an array field.
    const out: ErrorDetail[] = [];
    fields.forEach((item, i) => {
      if (typeof item === 'string') out.push({ field: prefix || '(entity)', message: item });
      else out.push(...flattenKongFields(item, prefix ? `${prefix}[${i}]` : `[${i}]`));
    });
    return out;
  }
  if (typeof fields === 'object') {
    const out: ErrorDetail[] = [];
    for (const [k, v] of Object.entries(fields as Record<string, unknown>)) {
      out.push(...flattenKongFields(v, prefix ? `${prefix}.${k}` : k));
    }
    return out;
  }
  return [{ field: prefix || '(entity)', message: String(fields) }];
}

/** Removes secret values (keys, shared secrets) from anything Kong echoes back. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

function redactDetails(details: ErrorDetail[], secrets: readonly string[]): ErrorDetail[] {
  return details.map((d) => ({ ...d, message: redact(d.message, secrets) }));
}

/**
 * Turns a Kong error answer into Flowgate's error shape. Client-caused problems (a config Kong
 * rejects) are 4xx naming the fields; Kong-side problems are 502 with a message an operator
 * can act on. Secret values are scrubbed from Kong's messages (a unique violation on a
 * key-auth key would otherwise echo the key).
 */
export function mapKongError(
  status: number,
  body: KongErrorBody | string | undefined,
  what: string,
  secrets: readonly string[] = [],
): KongAdminError {
  const b: KongErrorBody = typeof body === 'object' && body ? body : { message: typeof body === 'string' ? body : undefined };
  const kongMessage = redact(b.message ?? `HTTP ${status}`, secrets);
  const details = redactDetails(flattenKongFields(b.fields), secrets);

  if (status === 400 && b.code === KONG_ERROR_CODES.SCHEMA_VIOLATION) {
    const summary = details.map((d) => `${d.field}: ${d.message}`).join('; ') || kongMessage;
    return new KongAdminError(400, 'KONG_SCHEMA_VIOLATION', `Kong rejected ${what}: ${summary}`, details);
  }
  if (status === 400 && b.code === KONG_ERROR_CODES.INVALID_DECLARATIVE_CONFIG) {
    const summary = details.map((d) => `${d.field}: ${d.message}`).join('; ') || kongMessage;
    return new KongAdminError(400, 'KONG_INVALID_DECLARATIVE_CONFIG', `Kong rejected the declarative configuration: ${summary}`, details);
  }
  if (status === 400 && b.code === KONG_ERROR_CODES.FOREIGN_KEY_VIOLATION) {
    return new KongAdminError(
      409,
      'KONG_FOREIGN_KEY_VIOLATION',
      `Kong refused ${what}: ${kongMessage}`,
      details.length ? details : undefined,
    );
  }
  if (status === 409 || b.code === KONG_ERROR_CODES.UNIQUE_VIOLATION) {
    return new KongAdminError(
      409,
      'KONG_UNIQUE_VIOLATION',
      `Kong already has an entity that conflicts with ${what}: ${kongMessage}`,
      details.length ? details : undefined,
    );
  }
  if (status === 405 || b.code === KONG_ERROR_CODES.OPERATION_UNSUPPORTED) {
    return new KongAdminError(
      502,
      'KONG_DBLESS_READ_ONLY',
      `Kong's Admin API is read-only (Kong runs without a database): ${kongMessage}. Set KONG_MODE=dbless so Flowgate loads a declarative configuration instead.`,
    );
  }
  if (status === 401 || status === 403) {
    return new KongAdminError(502, 'KONG_ADMIN_UNAUTHORIZED', `Kong's Admin API refused Flowgate (${status}); check KONG_ADMIN_TOKEN`);
  }
  if (status === 404) {
    return new KongAdminError(502, 'KONG_NOT_FOUND', `Kong could not find ${what}`);
  }
  return new KongAdminError(502, 'KONG_ERROR', `Kong failed on ${what} (${status}): ${kongMessage}`, details.length ? details : undefined);
}

/** The Admin API address is internal topology: it goes to the log, not into the answer. */
export function kongUnreachable(reason: string): KongUnavailableError {
  return new KongUnavailableError('KONG_UNREACHABLE', `Kong's Admin API is unreachable: ${reason}`, 5);
}

export function kongNotConfigured(): KongUnavailableError {
  return new KongUnavailableError('KONG_NOT_CONFIGURED', 'Kong is not configured: set KONG_ADMIN_URL to the Admin API address');
}
