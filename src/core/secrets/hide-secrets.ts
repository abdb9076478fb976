import { isSecretName, looksLikeCredentialText, REDACTED } from './secret-names';

/** What a container nested deeper than a walk goes replaces it with. */
export const TOO_DEEP = '[too deep]';

export interface HideSecretsOptions {
  /** Containers nested deeper than this (the root is at depth 0) become `[too deep]`. Default 64. */
  maxDepth?: number;
  /** Also hide strings that are credentials whatever their key (`Bearer …`, `Basic …`). Default false. */
  credentialText?: boolean;
  /** Which non-array objects are walked key by key; the others are kept as they are. Default: every object. */
  walks?: (value: object) => boolean;
  /**
   * Called for every object (array or not) before it is walked, with the key it sits under;
   * a result other than `undefined` is used instead and not walked (the logs turn errors into
   * their safe shape here).
   */
  replace?: (value: object, key: string | undefined) => unknown;
}

export interface HiddenCopy {
  /** A copy with every secret value replaced by `[redacted]` (the input is never changed). */
  value: unknown;
  /** True when at least one value was hidden. */
  hidden: boolean;
  /**
   * An upper bound of the copy's JSON size in bytes (6 bytes per UTF-16 unit covers UTF-8 and
   * `\u00XX` escapes), so a caller that caps stored values rarely needs a trial JSON.stringify.
   * Counts only what the walk copied: exact as a bound when every object is walked and nothing
   * is replaced.
   */
  jsonBytesBound: number;
}

interface Walk {
  maxDepth: number;
  credentialText: boolean;
  walks?: (value: object) => boolean;
  replace?: (value: object, key: string | undefined) => unknown;
  hidden: boolean;
  bound: number;
}

/** `[redacted]` with its quotes. */
const HIDDEN_BYTES = REDACTED.length + 2;
/** The longest JSON number, or `true`/`false`/`null`. */
const SCALAR_BYTES = 24;

/**
 * The one walk that hides secrets in a value: the value of every key the secret-name matcher
 * calls secret (unless null, undefined or empty: nothing to hide), at any depth of objects and
 * arrays, and optionally credential-looking strings under any key. Log lines, stored
 * executions and dry runs, and connector error details all go through it, each with its own
 * depth limit and object policy.
 */
export function hideSecrets(value: unknown, options: HideSecretsOptions = {}): HiddenCopy {
  const walk: Walk = {
    maxDepth: options.maxDepth ?? 64,
    credentialText: options.credentialText ?? false,
    walks: options.walks,
    replace: options.replace,
    hidden: false,
    bound: 0,
  };
  const copy = visit(walk, undefined, value, 0);
  return { value: copy, hidden: walk.hidden, jsonBytesBound: walk.bound };
}

function hide(walk: Walk): string {
  walk.hidden = true;
  walk.bound += HIDDEN_BYTES;
  return REDACTED;
}

function visit(walk: Walk, key: string | undefined, value: unknown, depth: number): unknown {
  if (key !== undefined && value !== undefined && value !== null && value !== '' && isSecretName(key)) return hide(walk);
  if (typeof value === 'string') {
    if (walk.credentialText && looksLikeCredentialText(value)) return hide(walk);
    walk.bound += value.length * 6 + 2;
    return value;
  }
  if (value === null || typeof value !== 'object') {
    walk.bound += SCALAR_BYTES;
    return value;
  }
  if (walk.replace) {
    const replaced = walk.replace(value, key);
    if (replaced !== undefined) return replaced;
  }
  const isArray = Array.isArray(value);
  if (!isArray && walk.walks && !walk.walks(value)) return value;
  if (depth > walk.maxDepth) {
    walk.bound += TOO_DEEP.length + 2;
    return TOO_DEEP;
  }
  if (isArray) {
    walk.bound += 2 + value.length;
    return value.map((v) => visit(walk, undefined, v, depth + 1));
  }
  const out: Record<string, unknown> = {};
  walk.bound += 2;
  for (const k of Object.keys(value)) {
    walk.bound += k.length * 6 + 4;
    const copy = visit(walk, k, (value as Record<string, unknown>)[k], depth + 1);
    // defineProperty keeps a "__proto__" key plain data instead of a prototype
    if (k === '__proto__') Object.defineProperty(out, k, { value: copy, enumerable: true, writable: true, configurable: true });
    else out[k] = copy;
  }
  return out;
}

/** Objects made by `{}`, `Object.create(null)` or JSON.parse, not class instances (requests, buffers, errors). */
export function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
