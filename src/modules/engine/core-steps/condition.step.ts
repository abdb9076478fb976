import { TemplateProblem } from '../templates/template-analysis';

/**
 * The `condition` core step: compares values (after template rendering) and chooses which of
 * the following steps run.
 *
 * params: `{ left, operator, right?, then?: [step names], else?: [step names] }`, or
 * `{ all: [comparison...] }` / `{ any: [comparison...] }` instead of one comparison.
 * - `then` steps run only when the result is true, `else` steps only when it is false; steps in
 *   neither list run either way.
 * - With neither `then` nor `else` the condition is a filter: false skips every following step
 *   and the run still succeeds.
 */
export const OPERATORS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'not_contains',
  'starts_with',
  'ends_with',
  'in',
  'not_in',
  'exists',
  'not_exists',
  'empty',
  'not_empty',
] as const;
export type Operator = (typeof OPERATORS)[number];

const UNARY: ReadonlySet<Operator> = new Set(['exists', 'not_exists', 'empty', 'not_empty']);

export interface Comparison {
  left: unknown;
  operator: Operator;
  right?: unknown;
}

export interface ConditionParams extends Partial<Comparison> {
  all?: Comparison[];
  any?: Comparison[];
  then?: string[];
  else?: string[];
}

export interface ConditionOutcome {
  result: boolean;
  branch: 'then' | 'else';
  /** Steps this condition turns off. */
  skip: string[];
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Templates inside text produce strings: "42" equals 42, "true" equals true.
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== undefined && nb !== undefined && (typeof a === 'number' || typeof b === 'number')) return na === nb;
  if (typeof a === 'boolean' && typeof b === 'string') return String(a) === b;
  if (typeof b === 'boolean' && typeof a === 'string') return String(b) === a;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every(
      (k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    );
  }
  return false;
}

function order(a: unknown, b: unknown): number | undefined {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== undefined && nb !== undefined) return na - nb;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0; // ISO dates compare as text
  return undefined;
}

function contains(haystack: unknown, needle: unknown): boolean {
  if (typeof haystack === 'string') return needle !== undefined && needle !== null && haystack.includes(String(needle));
  if (Array.isArray(haystack)) return haystack.some((x) => deepEqual(x, needle));
  if (haystack && typeof haystack === 'object' && typeof needle === 'string') return Object.prototype.hasOwnProperty.call(haystack, needle);
  return false;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

export function compare({ left, operator, right }: Comparison): boolean {
  switch (operator) {
    case 'eq':
      return deepEqual(left, right);
    case 'ne':
      return !deepEqual(left, right);
    case 'gt': {
      const o = order(left, right);
      return o !== undefined && o > 0;
    }
    case 'gte': {
      const o = order(left, right);
      return o !== undefined && o >= 0;
    }
    case 'lt': {
      const o = order(left, right);
      return o !== undefined && o < 0;
    }
    case 'lte': {
      const o = order(left, right);
      return o !== undefined && o <= 0;
    }
    case 'contains':
      return contains(left, right);
    case 'not_contains':
      return !contains(left, right);
    case 'starts_with':
      return typeof left === 'string' && right !== undefined && right !== null && left.startsWith(String(right));
    case 'ends_with':
      return typeof left === 'string' && right !== undefined && right !== null && left.endsWith(String(right));
    case 'in':
      return contains(right, left);
    case 'not_in':
      return !contains(right, left);
    case 'exists':
      return left !== undefined && left !== null;
    case 'not_exists':
      return left === undefined || left === null;
    case 'empty':
      return isEmpty(left);
    case 'not_empty':
      return !isEmpty(left);
  }
}

/** Runs a rendered condition. `following`: the names of the steps after this one. */
export function runCondition(params: ConditionParams, following: string[]): ConditionOutcome {
  const result = params.all
    ? params.all.every(compare)
    : params.any
      ? params.any.some(compare)
      : compare({ left: params.left, operator: params.operator as Operator, right: params.right });
  const hasBranches = params.then !== undefined || params.else !== undefined;
  let skip: string[];
  if (!hasBranches) skip = result ? [] : following;
  else skip = result ? (params.else ?? []) : (params.then ?? []);
  return { result, branch: result ? 'then' : 'else', skip };
}

function checkComparison(c: unknown, field: string): TemplateProblem[] {
  if (!c || typeof c !== 'object' || Array.isArray(c)) return [{ field, message: 'must be an object { left, operator, right }' }];
  const problems: TemplateProblem[] = [];
  const { operator, left, right, ...rest } = c as Record<string, unknown>;
  if (!OPERATORS.includes(operator as Operator)) {
    problems.push({ field: `${field}.operator`, message: `must be one of ${OPERATORS.join(', ')}` });
  } else if (!UNARY.has(operator as Operator) && right === undefined) {
    problems.push({ field: `${field}.right`, message: `is required for operator "${String(operator)}"` });
  }
  if (left === undefined) problems.push({ field: `${field}.left`, message: 'is required' });
  for (const k of Object.keys(rest)) problems.push({ field: `${field}.${k}`, message: 'is not a condition field' });
  void right;
  return problems;
}

/** Save-time checks. `field`: e.g. `steps[2].params`; `later`: names of the steps after this one. */
export function validateCondition(params: Record<string, unknown>, field: string, later: string[]): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const { then: thenList, else: elseList, all, any, ...single } = params;
  const forms = [all !== undefined, any !== undefined, Object.keys(single).length > 0].filter(Boolean).length;
  if (forms !== 1) {
    problems.push({ field, message: 'give exactly one of: a comparison { left, operator, right }, all: [...], or any: [...]' });
  } else if (all !== undefined || any !== undefined) {
    const key = all !== undefined ? 'all' : 'any';
    const list = all ?? any;
    if (!Array.isArray(list) || list.length === 0)
      problems.push({ field: `${field}.${key}`, message: 'must be a non-empty array of comparisons' });
    else list.forEach((c, i) => problems.push(...checkComparison(c, `${field}.${key}[${i}]`)));
  } else {
    problems.push(...checkComparison(single, field));
  }
  const laterSet = new Set(later);
  const seen = new Map<string, string>();
  for (const [key, list] of [
    ['then', thenList],
    ['else', elseList],
  ] as const) {
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) {
      problems.push({ field: `${field}.${key}`, message: 'must be an array of step names' });
      continue;
    }
    list.forEach((name: string, i) => {
      if (!laterSet.has(name)) problems.push({ field: `${field}.${key}[${i}]`, message: `"${name}" is not a step after this condition` });
      else if (seen.has(name))
        problems.push({ field: `${field}.${key}[${i}]`, message: `"${name}" is already listed in ${seen.get(name)}` });
      else seen.set(name, key);
    });
  }
  return problems;
}
