import { Field } from '../../components/Field';
import type { components } from '../../api/generated/schema';
import { STATUSES, TRIGGERS, fromLocalInput, toLocalInput, type RunFilters, type RunStatus } from './run-filters';

type Workflow = components['schemas']['WorkflowDto'];

const PRESETS: Array<{ label: string; ms: number }> = [
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 24 hours', ms: 86_400_000 },
  { label: 'Last 7 days', ms: 7 * 86_400_000 },
];

function toggle<T>(list: T[], value: T, on: boolean): T[] {
  return on ? [...list.filter((v) => v !== value), value] : list.filter((v) => v !== value);
}

/**
 * The Runs filters. Every change goes straight to the URL (the page reads its filters from
 * there), so there is no Apply button; `fieldErrors` are the API's 400 by query parameter.
 */
export function RunFiltersForm({
  filters,
  onChange,
  workflows,
  fieldErrors,
}: {
  filters: RunFilters;
  onChange: (next: RunFilters) => void;
  workflows: Workflow[] | undefined;
  fieldErrors: Record<string, string>;
}) {
  const knownWorkflow = !filters.workflowId || workflows?.some((w) => w.id === filters.workflowId);
  // A trigger from a link that is not built in (a deployment's own) still shows as a checkbox.
  const triggers = [...TRIGGERS, ...filters.trigger.filter((t) => !(TRIGGERS as readonly string[]).includes(t))];
  const any = filters.status.length || filters.trigger.length || filters.workflowId || filters.from || filters.to;
  return (
    <form className="card runs-filters" aria-label="Run filters" onSubmit={(e) => e.preventDefault()}>
      <fieldset>
        <legend>Status</legend>
        <div className="runs-checks">
          {STATUSES.map((s: RunStatus) => (
            <label key={s} className="runs-check">
              <input
                type="checkbox"
                checked={filters.status.includes(s)}
                onChange={(e) => onChange({ ...filters, status: toggle(filters.status, s, e.target.checked) })}
              />
              {s}
            </label>
          ))}
        </div>
        {fieldErrors.status && <div className="field-error">{fieldErrors.status}</div>}
      </fieldset>
      <fieldset>
        <legend>Trigger</legend>
        <div className="runs-checks">
          {triggers.map((t) => (
            <label key={t} className="runs-check">
              <input
                type="checkbox"
                checked={filters.trigger.includes(t)}
                onChange={(e) => onChange({ ...filters, trigger: toggle(filters.trigger, t, e.target.checked) })}
              />
              {t}
            </label>
          ))}
        </div>
        {fieldErrors.trigger && <div className="field-error">{fieldErrors.trigger}</div>}
      </fieldset>
      <div className="inline-fields">
        <Field label="Workflow" error={fieldErrors.workflowId}>
          {(a) => (
            <select
              {...a}
              value={filters.workflowId ?? ''}
              onChange={(e) => onChange({ ...filters, workflowId: e.target.value || undefined })}
            >
              <option value="">All workflows</option>
              {!knownWorkflow && <option value={filters.workflowId}>Workflow {filters.workflowId} (not in the list)</option>}
              {workflows?.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Received from" error={fieldErrors.from}>
          {(a) => (
            <input
              {...a}
              type="datetime-local"
              value={toLocalInput(filters.from)}
              onChange={(e) => onChange({ ...filters, from: fromLocalInput(e.target.value) })}
            />
          )}
        </Field>
        <Field label="Received before" error={fieldErrors.to}>
          {(a) => (
            <input
              {...a}
              type="datetime-local"
              value={toLocalInput(filters.to)}
              onChange={(e) => onChange({ ...filters, to: fromLocalInput(e.target.value) })}
            />
          )}
        </Field>
      </div>
      <div className="row runs-presets" role="group" aria-labelledby="runs-presets-label">
        <span id="runs-presets-label" className="muted small">
          Quick range:
        </span>
        {PRESETS.map((p) => (
          <button
            key={p.label}
            type="button"
            className="btn btn-secondary btn-sm"
            onClick={() => onChange({ ...filters, from: new Date(Date.now() - p.ms).toISOString(), to: undefined })}
          >
            {p.label}
          </button>
        ))}
        {any ? (
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => onChange({ status: [], trigger: [], workflowId: undefined, from: undefined, to: undefined })}
          >
            Clear filters
          </button>
        ) : null}
      </div>
    </form>
  );
}
