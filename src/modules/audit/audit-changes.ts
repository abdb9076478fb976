import { hideSecrets, isSecretName } from '../../core/secrets';
import type { AuditChanges } from './entities/audit-entry.entity';

/** What a secret field shows in the audit log instead of its value. */
export const SECRET_CHANGED = '[changed]';
export const SECRET_SET = '[set]';

export interface AuditChangesOptions {
  /** Fields whose whole value is secret (a credential's `secrets`), besides secret-looking names. */
  secretFields?: string[];
}

/**
 * The fields that differ between `before` and `after` (either may be null: a create, a delete),
 * each side holding only those fields. A secret field (named in `secretFields`, or a name the
 * secret matcher calls secret) records only that it was set or changed: `[set]` before when it
 * had a value, `[changed]` after. Secret-looking keys nested in other values are hidden too.
 * Null when nothing changed.
 */
export function auditChanges(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
  options: AuditChangesOptions = {},
): AuditChanges | null {
  const secret = new Set(options.secretFields ?? []);
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const out: AuditChanges = { before: {}, after: {} };
  let changed = false;
  for (const key of keys) {
    const b = before?.[key];
    const a = after?.[key];
    if (sameJson(b, a)) continue;
    changed = true;
    if (secret.has(key) || isSecretName(key)) {
      if (before && b !== undefined && b !== null) out.before[key] = SECRET_SET;
      if (after && a !== undefined && a !== null) out.after[key] = SECRET_CHANGED;
      continue;
    }
    if (before && b !== undefined) out.before[key] = hideSecrets(b).value;
    if (after && a !== undefined) out.after[key] = hideSecrets(a).value;
  }
  return changed ? out : null;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}

/** Dates as ISO strings and object keys sorted, so equal values compare equal. */
function normalise(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, normalise((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}
