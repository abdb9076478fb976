/** One difference between two workflow definitions. */
export interface DefinitionChange {
  /**
   * RFC 6901 JSON pointer to the value: into the newer definition (`to`) for `added`, `changed`
   * and `moved`, into the older one (`from`) for `removed`. E.g. `/steps/1/params/text`.
   */
  path: string;
  op: 'added' | 'removed' | 'changed' | 'moved';
  /** The step this change is in (steps are matched by name, which is unique in a workflow). */
  step?: string;
  /** The older value (`removed`, `changed`); for `moved`, the step's index in the older definition. */
  from?: unknown;
  /** The newer value (`added`, `changed`); for `moved`, the step's index in the newer definition. */
  to?: unknown;
}

/** The parts of a workflow a version keeps and a diff compares. */
export interface ComparableDefinition {
  name: string;
  description: string | null;
  trigger: unknown;
  steps: ReadonlyArray<{ name: string }>;
  settings: unknown;
  errorWorkflowId: string | null;
}

export const DIFFED_FIELDS = ['name', 'description', 'trigger', 'steps', 'settings', 'errorWorkflowId'] as const;

/**
 * What changed from `from` to `to` (either may be null: nothing on that side, so everything is
 * added or removed). Steps are matched by name, not by position: inserting a step early does
 * not show every later step as changed, and a step that only moved shows as one `moved`.
 * Inside a step, and everywhere else, objects are compared key by key and arrays by index.
 */
export function diffDefinitions(from: ComparableDefinition | null, to: ComparableDefinition | null): DefinitionChange[] {
  const out: DefinitionChange[] = [];
  for (const field of DIFFED_FIELDS) {
    const path = `/${field}`;
    if (field === 'steps') {
      diffSteps(from?.steps ?? [], to?.steps ?? [], out);
      continue;
    }
    diffValue(path, from ? from[field] : undefined, to ? to[field] : undefined, out);
  }
  return out;
}

function diffSteps(from: ComparableDefinition['steps'], to: ComparableDefinition['steps'], out: DefinitionChange[]): void {
  const before = new Map(from.map((s, i) => [s.name, i]));
  const after = new Map(to.map((s, i) => [s.name, i]));
  for (const [name, i] of before) {
    if (!after.has(name)) out.push({ path: `/steps/${i}`, op: 'removed', step: name, from: from[i] });
  }
  // The relative order of the steps both sides have: a step is `moved` when it is out of that order.
  const common = to.filter((s) => before.has(s.name)).map((s) => s.name);
  const oldOrder = from.filter((s) => after.has(s.name)).map((s) => s.name);
  const stay = new Set(longestCommonSubsequence(oldOrder, common));
  to.forEach((step, i) => {
    const was = before.get(step.name);
    if (was === undefined) {
      out.push({ path: `/steps/${i}`, op: 'added', step: step.name, to: step });
      return;
    }
    if (!stay.has(step.name)) out.push({ path: `/steps/${i}`, op: 'moved', step: step.name, from: was, to: i });
    const changes: DefinitionChange[] = [];
    diffValue(`/steps/${i}`, from[was], step, changes);
    out.push(...changes.map((c) => ({ ...c, step: step.name })));
  });
}

function diffValue(path: string, a: unknown, b: unknown, out: DefinitionChange[]): void {
  if (a === undefined && b === undefined) return;
  if (a === undefined) {
    out.push({ path, op: 'added', to: b });
    return;
  }
  if (b === undefined) {
    out.push({ path, op: 'removed', from: a });
    return;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) diffValue(`${path}/${escapePointer(k)}`, a[k], b[k], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      // a removed tail element is named in the older array; its pointer is the same index
      diffValue(`${path}/${i}`, i < a.length ? a[i] : undefined, i < b.length ? b[i] : undefined, out);
    }
    return;
  }
  if (a !== b) out.push({ path, op: 'changed', from: a, to: b });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** RFC 6901: `~` is `~0`, `/` is `~1`. */
export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function longestCommonSubsequence(a: string[], b: string[]): string[] {
  const dp: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      dp[i][j] = a[i] === b[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push(a[i]);
      i++;
      j++;
    } else if (dp[i + 1][j] >= dp[i][j + 1]) i++;
    else j++;
  }
  return out;
}
