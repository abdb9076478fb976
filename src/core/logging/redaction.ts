import { hideSecrets, isPlainObject } from '../secrets';
import { serializeError } from './error-serializer';

/**
 * Every object a Flowgate logger writes (the fields of a line and a child logger's bindings)
 * passes through the one secret-hiding walk (core/secrets) before pino serializes it:
 * - the value of every key the shared secret-name matcher calls secret is replaced, at any
 *   depth of plain objects and arrays (8 levels below the line's fields, then `[too deep]`);
 * - every error, under any key, becomes the safe error shape (error-serializer.ts): no SQL,
 *   no bound values, no request config.
 * Only plain objects and arrays are walked: requests, responses and other class instances are
 * left to their serializers (the request serializer keeps id, method, path, route template).
 */
const LOG_WALK = {
  // the line itself is level 0, its fields level 1: 8 levels below the fields
  maxDepth: 8,
  walks: isPlainObject,
  replace: (value: object, key: string | undefined) => (value instanceof Error || key === 'err' ? serializeError(value) : undefined),
};

/** The log object with secrets hidden and errors made safe (a new object; the caller's is untouched). */
export function redactLogObject(obj: Record<string, unknown>): Record<string, unknown> {
  return hideSecrets({ ...obj }, LOG_WALK).value as Record<string, unknown>;
}
