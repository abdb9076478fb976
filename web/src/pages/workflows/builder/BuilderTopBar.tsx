import { useState } from 'react';
import { api, call } from '../../../api/client';
import { ApiError } from '../../../api/errors';
import { Field } from '../../../components/Field';
import { downloadJson } from '../../../lib/download';
import type { Draft, Workflow } from './model';

/** Name, description and the workflow-wide actions: Save, Dry run, Active, Export JSON. */
export function BuilderTopBar({
  draft,
  workflow,
  nameError,
  descriptionError,
  saving,
  onChange,
  onSave,
  onDryRun,
  onWorkflowChange,
  onError,
}: {
  draft: Draft;
  workflow: Workflow | undefined;
  nameError?: string;
  descriptionError?: string;
  saving: boolean;
  onChange: (patch: Partial<Draft>) => void;
  onSave: () => void;
  onDryRun: () => void;
  onWorkflowChange: (w: Workflow) => void;
  onError: (e: ApiError | undefined) => void;
}) {
  const [toggling, setToggling] = useState(false);
  const [exporting, setExporting] = useState(false);
  const asApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, (e as Error).message));

  const toggle = async (active: boolean) => {
    if (!workflow) return;
    setToggling(true);
    onError(undefined);
    try {
      onWorkflowChange(await call(api.PUT('/api/workflows/{id}/toggle', { params: { path: { id: workflow.id } }, body: { active } })));
    } catch (e) {
      onError(asApiError(e));
    } finally {
      setToggling(false);
    }
  };
  const exportJson = async () => {
    if (!workflow) return;
    setExporting(true);
    onError(undefined);
    try {
      const doc = await call(api.GET('/api/workflows/{id}/export', { params: { path: { id: workflow.id } } }));
      downloadJson(`${workflow.name.replace(/[^A-Za-z0-9_-]+/g, '-') || 'workflow'}.json`, doc);
    } catch (e) {
      onError(asApiError(e));
    } finally {
      setExporting(false);
    }
  };

  return (
    <section className="builder-topbar card" aria-label="Workflow">
      <div className="builder-topbar-fields">
        <Field label="Workflow name" error={nameError} required>
          {(a) => <input {...a} value={draft.name} maxLength={200} onChange={(e) => onChange({ name: e.target.value })} />}
        </Field>
        <Field label="Description" error={descriptionError}>
          {(a) => <input {...a} value={draft.description} maxLength={2000} onChange={(e) => onChange({ description: e.target.value })} />}
        </Field>
      </div>
      <div className="row builder-topbar-actions">
        <button type="button" className="btn" onClick={onSave} disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onDryRun} disabled={saving}>
          Dry run
        </button>
        {workflow && (
          <>
            <label className="row builder-switch">
              <input
                type="checkbox"
                role="switch"
                checked={workflow.active}
                disabled={toggling}
                onChange={(e) => void toggle(e.target.checked)}
              />
              Active
              <span className="muted small">({workflow.active ? 'runs on its trigger' : 'ignores its trigger'})</span>
            </label>
            <button type="button" className="btn btn-ghost" onClick={() => void exportJson()} disabled={exporting}>
              {exporting ? 'Exporting…' : 'Export JSON'}
            </button>
          </>
        )}
      </div>
    </section>
  );
}
