import type { components } from '../../../api/generated/schema';
import type { WorkflowTrigger } from '../trigger/TriggerPanel';

export type Workflow = components['schemas']['WorkflowDto'];
export type StepView = components['schemas']['WorkflowStepView'];
export type StepKind = StepView['type'];
export type Connector = components['schemas']['ConnectorDto'];
export type ConnectorAction = components['schemas']['ConnectorActionDto'];
export type Credential = components['schemas']['CredentialDto'];
export type DryRunResult = components['schemas']['DryRunResultDto'];
export type DryRunStep = components['schemas']['DryRunStepResultDto'];
export type CreateBody = components['schemas']['CreateWorkflowDto'];
export type StepBody = components['schemas']['StepDto'];

/** A step being edited: the API's fields plus a client id that survives renames and moves. */
export interface DraftStep {
  uid: string;
  name: string;
  type: StepKind;
  connector?: string;
  action?: string;
  credentialId?: string;
  params: Record<string, unknown>;
}

export interface Draft {
  name: string;
  description: string;
  trigger: WorkflowTrigger;
  steps: DraftStep[];
}

/** The graph node and selection id of the trigger (step uids start with `s`). */
export const TRIGGER_ID = 'trigger';

let uidSeq = 0;
export const newUid = () => `s${++uidSeq}`;

export function emptyDraft(): Draft {
  return { name: '', description: '', trigger: { type: 'webhook' }, steps: [] };
}

export function toDraft(w: Workflow): Draft {
  return {
    name: w.name,
    description: w.description ?? '',
    trigger: w.trigger,
    steps: w.steps.map((s) => ({
      uid: newUid(),
      name: s.name,
      type: s.type,
      connector: s.connector,
      action: s.action,
      credentialId: s.credentialId,
      params: s.params,
    })),
  };
}

/** The steps as the API takes them (core steps carry no connector fields). */
export function toStepBodies(steps: DraftStep[]): StepBody[] {
  return steps.map((s) =>
    s.type === 'connector'
      ? {
          name: s.name,
          type: s.type,
          connector: s.connector,
          action: s.action,
          params: s.params,
          ...(s.credentialId ? { credentialId: s.credentialId } : {}),
        }
      : { name: s.name, type: s.type, params: s.params },
  );
}

/** A name not used yet: `<base>`, `<base>2`, `<base>3`… (the API wants unique names). */
export function suggestName(base: string, steps: DraftStep[]): string {
  const clean = base.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^[^A-Za-z]+/, '') || 'step';
  const taken = new Set(steps.map((s) => s.name));
  if (!taken.has(clean)) return clean;
  for (let i = 2; ; i++) if (!taken.has(`${clean}${i}`)) return `${clean}${i}`;
}

export const STEP_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** Condition branches: the names in `then` / `else` (steps after the condition). */
export function branchesOf(step: DraftStep): { then: string[]; else: string[] } {
  if (step.type !== 'condition') return { then: [], else: [] };
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return { then: list(step.params.then), else: list(step.params.else) };
}

/** Renames a step and every reference to it: branch lists and `{{steps.<name>…}}` templates. */
export function renameStep(steps: DraftStep[], uid: string, next: string): DraftStep[] {
  const old = steps.find((s) => s.uid === uid)?.name;
  if (old === undefined || old === next) return steps;
  const ref = new RegExp(`(\\{\\{\\s*steps\\.)${old.replace(/[-]/g, '\\-')}(?=[.\\s|}])`, 'g');
  const rewrite = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(ref, `$1${next}`);
    if (Array.isArray(v)) return v.map(rewrite);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rewrite(x)]));
    return v;
  };
  return steps.map((s) => {
    if (s.uid === uid) return { ...s, name: next };
    const params = rewrite(s.params) as Record<string, unknown>;
    if (s.type === 'condition') {
      for (const key of ['then', 'else'] as const) {
        const list = params[key];
        if (Array.isArray(list)) params[key] = list.map((n) => (n === old ? next : n));
      }
    }
    return { ...s, params };
  });
}

/** Deletes a step and drops it from every condition's branch lists. */
export function deleteStep(steps: DraftStep[], uid: string): DraftStep[] {
  const name = steps.find((s) => s.uid === uid)?.name;
  return steps
    .filter((s) => s.uid !== uid)
    .map((s) => {
      if (s.type !== 'condition') return s;
      const params = { ...s.params };
      for (const key of ['then', 'else'] as const) {
        const list = params[key];
        if (Array.isArray(list)) {
          const kept = list.filter((n) => n !== name);
          if (kept.length) params[key] = kept;
          else delete params[key];
        }
      }
      return { ...s, params };
    });
}

export function moveStep(steps: DraftStep[], index: number, delta: -1 | 1): DraftStep[] {
  const to = index + delta;
  if (to < 0 || to >= steps.length) return steps;
  const next = [...steps];
  [next[index], next[to]] = [next[to], next[index]];
  return next;
}

/**
 * The API's 400 details, placed: `steps[2].params.url` → step uid (as the steps were sent) and
 * `params.url`; anything else (`name`, `trigger.cron`, `steps`) stays at the workflow level.
 */
export interface PlacedErrors {
  /** uid → (path inside the step, e.g. `params.url`, `name`) → message */
  steps: Record<string, Record<string, string>>;
  /** `name`, `description`, `steps`… → message */
  workflow: Record<string, string>;
  /** `cron`, `intervalSeconds`… (the trigger's own fields) → message */
  trigger: Record<string, string>;
  /** Every problem in order, for the summary list. */
  list: Array<{ field?: string; message: string; uid?: string; at?: string }>;
}

export function placeErrors(details: Array<{ field?: string; message: string }>, sent: DraftStep[]): PlacedErrors {
  const out: PlacedErrors = { steps: {}, workflow: {}, trigger: {}, list: [] };
  for (const d of details) {
    const m = d.field?.match(/^steps\[(\d+)\]\.?(.*)$/);
    const uid = m ? sent[Number(m[1])]?.uid : undefined;
    if (m && uid) {
      const at = m[2] || 'step';
      out.steps[uid] = out.steps[uid] ?? {};
      out.steps[uid][at] ??= d.message;
    } else if (d.field?.startsWith('trigger')) {
      out.trigger[d.field.replace(/^trigger\.?/, '') || 'type'] ??= d.message;
    } else if (d.field) {
      out.workflow[d.field] ??= d.message;
    }
    // A trigger problem selects the trigger, as a step's selects the step.
    const target = uid ?? (d.field?.startsWith('trigger') ? TRIGGER_ID : undefined);
    out.list.push({ field: d.field, message: d.message, uid: target, at: m?.[2] || undefined });
  }
  return out;
}

/** Errors of one step's params by top-level param name (what SchemaForm shows under a field). */
export function paramErrors(errors: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(errors ?? {})) {
    const m = path.match(/^params\.([^.[]+)/);
    if (m) out[m[1]] ??= message;
  }
  return out;
}

/** `{{trigger.a.b}}` paths of a payload (objects only, a few levels deep). */
export function templatePaths(value: unknown, prefix: string, depth = 3): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value) || depth === 0) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) continue;
    const path = `${prefix}.${k}`;
    out.push(path);
    out.push(...templatePaths(v, path, depth - 1));
    if (out.length > 60) break;
  }
  return out;
}
