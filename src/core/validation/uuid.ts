/**
 * The one UUID check: any version, any case (the shape Postgres' `uuid` type accepts in its
 * canonical form). Path parameters, ids read from job ids and ids taken from the outside go
 * through it before they reach a query, so a malformed id is a 400 or "not found", never a
 * database error.
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}
