/**
 * The size in bytes of `JSON.stringify(value)` (UTF-8), measured without building the text and
 * given up as soon as it passes a limit, so measuring costs at most the limit, never the value.
 * Templates hand out references (`{{steps.a}}` is the same object as step a's output), so one
 * small object read twice per step for 30 steps is 2^30 times its size as JSON while taking
 * almost no memory: only a walk that stops early can measure it safely.
 */

// Characters JSON.stringify writes longer than UTF-8 does: quote, backslash, controls, lone surrogates.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** Bytes of a string written as JSON, quotes included. Costs O(length): callers check `length` against their limit first. */
export function jsonStringBytes(s: string): number {
  let n = Buffer.byteLength(s, 'utf8') + 2;
  if (!NEEDS_ESCAPE.test(s)) return n;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d) n += 1;
    else if (c < 0x20)
      n += 5; // \u00XX for one byte
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff)
        i++; // a pair: 4 bytes of UTF-8 either way
      else n += 3; // lone: \udXXX (6) instead of U+FFFD (3)
    } else if (c >= 0xdc00 && c <= 0xdfff) n += 3;
  }
  return n;
}

/** What JSON.stringify writes for a value: `toJSON` applied (dates), or undefined when it writes nothing. */
function jsonValue(v: unknown, key: string): unknown {
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function')
    v = (v as { toJSON(k: string): unknown }).toJSON(key);
  return typeof v === 'function' || typeof v === 'symbol' ? undefined : v;
}

function scalarBytes(v: unknown): number {
  if (typeof v === 'string') return jsonStringBytes(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v).length : 4;
  if (typeof v === 'boolean') return v ? 4 : 5;
  if (typeof v === 'bigint') return String(v).length;
  return 4; // null
}

/**
 * `JSON.stringify(value)`'s UTF-8 length when it is at most `limit`; otherwise some number above
 * `limit` (the walk stops there). Undefined writes nothing: 0. Iterative, so nesting depth cannot
 * overflow the stack; every node costs at least one byte, so even a cycle ends at the limit.
 */
export function jsonSize(value: unknown, limit: number): number {
  const first = jsonValue(value, '');
  if (first === undefined) return 0;
  let total = 0;
  const stack: unknown[] = [first];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') {
      if (typeof v === 'string' && v.length + 2 > limit - total) return limit + 1; // UTF-8 is never shorter than UTF-16
      total += scalarBytes(v);
    } else if (Array.isArray(v)) {
      total += 2 + Math.max(0, v.length - 1); // brackets and commas
      if (total > limit) return total;
      for (let i = v.length - 1; i >= 0; i--) {
        const item = jsonValue(v[i], String(i));
        if (item === undefined)
          total += 4; // written as null
        else stack.push(item);
      }
    } else {
      total += 2;
      let first = true;
      for (const k in v) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
        const item = jsonValue((v as Record<string, unknown>)[k], k);
        if (item === undefined) continue; // JSON leaves the key out
        if (k.length + 3 > limit - total) return limit + 1;
        total += jsonStringBytes(k) + 1 + (first ? 0 : 1); // "key": and a comma before all but the first
        first = false;
        if (total > limit) return total;
        stack.push(item);
      }
    }
    if (total > limit) return total;
  }
  return total;
}
