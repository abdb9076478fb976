import { isSecretName, REDACTED } from '../security/secret-names';
import { serializeError } from './error-serializer';

/**
 * Every object a Flowgate logger writes (the fields of a line and a child logger's bindings)
 * passes through here before pino serializes it:
 * - the value of every key the shared secret-name matcher (core/security/secret-names.ts)
 *   calls secret is replaced, at any depth of plain objects and arrays;
 * - every error, under any key, becomes the safe error shape (error-serializer.ts): no SQL,
 *   no bound values, no request config.
 * Only plain objects and arrays are walked: requests, responses and other class instances are
 * left to their serializers (the request serializer keeps id, method, path, route template).
 */
const MAX_DEPTH = 8;

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function redactValue(key: string | undefined, value: unknown, depth: number): unknown {
  if (key !== undefined && isSecretName(key) && value !== undefined && value !== null && value !== '') return REDACTED;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error || key === 'err') return serializeError(value);
  if (depth >= MAX_DEPTH) return Array.isArray(value) || isPlainObject(value) ? '[too deep]' : value;
  if (Array.isArray(value)) return value.map((v) => redactValue(undefined, v, depth + 1));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) out[k] = redactValue(k, value[k], depth + 1);
  return out;
}

/** The log object with secrets hidden and errors made safe (a new object; the caller's is untouched). */
export function redactLogObject(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) out[k] = redactValue(k, obj[k], 0);
  return out;
}
