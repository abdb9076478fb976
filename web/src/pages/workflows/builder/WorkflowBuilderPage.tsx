import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, call } from '../../../api/client';
import { ApiError } from '../../../api/errors';
import { ErrorBanner, Notice } from '../../../components/ErrorBanner';
import { Loading } from '../../../components/Loading';
import { PageHeader } from '../../../components/PageHeader';
import { useApi } from '../../../lib/use-api';
import { TriggerPanel } from '../trigger/TriggerPanel';
import { AddStepDialog } from './AddStepDialog';
import { BuilderGraph } from './BuilderGraph';
import { BuilderTopBar } from './BuilderTopBar';
import { ConfirmDialog } from './ConfirmDialog';
import { DryRunDialog } from './DryRunDialog';
import { DryRunSummary } from './DryRunSummary';
import { ErrorSummary } from './ErrorSummary';
import {
  deleteStep,
  emptyDraft,
  moveStep,
  placeErrors,
  renameStep,
  toDraft,
  toStepBodies,
  TRIGGER_ID,
  type Connector,
  type Draft,
  type DraftStep,
  type DryRunResult,
  type PlacedErrors,
  type Workflow,
} from './model';
import { StepOutline } from './StepOutline';
import { StepPanel } from './StepPanel';
import { parsePayload, templatesFor } from './templates';
import { useUnsavedGuard } from './useUnsavedGuard';
import './builder.css';

/** Dry-run payloads typed this session, per workflow ('new' before the first save). */
const payloads = new Map<string, string>();
/**
 * The state of a workflow just created, handed to the page at its own address (another route,
 * so another page instance): that page starts where this one stopped (draft, selection, dry run).
 */
interface Handoff {
  workflow: Workflow;
  draft: Draft;
  dirty: boolean;
  selected: string | undefined;
  dryRun: DryRunResult | undefined;
}
const handoff = new Map<string, Handoff>();
/** The connector catalog is fixed per deployment: loaded once per session, shared by every builder page. */
let connectorCatalog: Promise<Connector[]> | undefined;
function loadConnectors(): Promise<Connector[]> {
  connectorCatalog ??= call(api.GET('/api/connectors')).catch((e: unknown) => {
    connectorCatalog = undefined; // a failed load is tried again next time
    throw e;
  });
  return connectorCatalog;
}
const DEFAULT_PAYLOAD = '{\n  "order": { "id": 42, "amount": 120 }\n}';

export default function WorkflowBuilderPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const key = id ?? 'new';
  // Opened from a run (`?version=N`): say when the run used another version than this one.
  const [search] = useSearchParams();
  const ranVersion = Number(search.get('version')) || undefined;

  const [initial] = useState(() => (id ? handoff.get(id) : undefined));
  const loaded = useApi(() => call(api.GET('/api/workflows/{id}', { params: { path: { id: id! } } })), [id], {
    enabled: Boolean(id) && !initial,
  });
  const connectorsState = useApi(loadConnectors, []);
  const credentialsState = useApi(() => call(api.GET('/api/credentials')), []);
  const connectors = useMemo(() => connectorsState.data ?? [], [connectorsState.data]);
  const credentials = useMemo(() => credentialsState.data ?? [], [credentialsState.data]);

  const [workflow, setWorkflow] = useState<Workflow | undefined>(initial?.workflow);
  const [draft, setDraftState] = useState<Draft>(() => initial?.draft ?? emptyDraft());
  const dirtyRef = useRef(initial?.dirty ?? false);
  const [dirty, setDirtyState] = useState(initial?.dirty ?? false);
  const setDirty = (v: boolean) => {
    dirtyRef.current = v;
    setDirtyState(v);
  };
  useUnsavedGuard(dirtyRef);

  const [selected, setSelected] = useState<string | undefined>(initial?.selected);
  const [errors, setErrors] = useState<PlacedErrors>();
  const [actionError, setActionError] = useState<ApiError>();
  const [conflict, setConflict] = useState(false);
  const [saving, setSaving] = useState(false);
  const [savedNote, setSavedNote] = useState<string>();
  const [dryRun, setDryRun] = useState<DryRunResult | undefined>(initial?.dryRun);
  const [dryOpen, setDryOpen] = useState(false);
  const [dryBusy, setDryBusy] = useState(false);
  const [dryError, setDryError] = useState<ApiError>();
  const [addAt, setAddAt] = useState<number>();
  const [deleting, setDeleting] = useState<string>();
  const payloadText = payloads.get(key) ?? DEFAULT_PAYLOAD;

  // A handed-over state is used once: a later visit loads the workflow afresh.
  useEffect(() => {
    if (id) handoff.delete(id);
  }, [id]);

  // A loaded workflow becomes the draft (once per load; later saves keep the draft as edited).
  useEffect(() => {
    if (!loaded.data) return;
    setWorkflow(loaded.data);
    setDraftState(toDraft(loaded.data));
    setDirty(false);
    setConflict(false);
    setErrors(undefined);
  }, [loaded.data]);

  const edit = useCallback((update: (d: Draft) => Draft) => {
    setDraftState(update);
    dirtyRef.current = true;
    setDirtyState(true);
    setSavedNote(undefined);
  }, []);

  const results = useMemo(() => Object.fromEntries((dryRun?.steps ?? []).map((s) => [s.name, s])), [dryRun]);
  const errorCounts = useMemo(
    () => Object.fromEntries(Object.entries(errors?.steps ?? {}).map(([uid, e]) => [uid, Object.keys(e).length])),
    [errors],
  );
  const triggerErrorCount = Object.keys(errors?.trigger ?? {}).length;

  /** POST (new) or PUT with expectedVersion; on 400 the API's problems are placed on steps and fields. */
  const save = async (): Promise<Workflow | undefined> => {
    const sent = draft.steps;
    setSaving(true);
    setActionError(undefined);
    setSavedNote(undefined);
    try {
      const body = { name: draft.name, description: draft.description, trigger: draft.trigger, steps: toStepBodies(sent) };
      const saved = workflow
        ? await call(
            api.PUT('/api/workflows/{id}', { params: { path: { id: workflow.id } }, body: { ...body, expectedVersion: workflow.version } }),
          )
        : await call(api.POST('/api/workflows', { body: { ...body, active: false } }));
      setWorkflow(saved);
      setErrors(undefined);
      setConflict(false);
      setDirty(false);
      setSavedNote(`Saved (version ${saved.version}).`);
      return saved;
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, (e as Error).message);
      if (err.status === 400 && err.details.length > 0) {
        const placed = placeErrors(err.details, sent);
        setErrors(placed);
        const firstStep = placed.list.find((p) => p.uid)?.uid;
        if (firstStep) setSelected(firstStep);
      } else if (err.status === 409 && err.code === 'VERSION_CONFLICT') {
        setConflict(true);
      } else setActionError(err);
      return undefined;
    } finally {
      setSaving(false);
    }
  };

  /** After the first save the page moves to the workflow's own address. */
  const goToSaved = (saved: Workflow, result?: DryRunResult) => {
    if (id) return;
    handoff.set(saved.id, { workflow: saved, draft, dirty: false, selected, dryRun: result ?? dryRun });
    void navigate(`/workflows/${saved.id}`, { replace: true });
  };

  const onSave = async () => {
    const saved = await save();
    if (saved) goToSaved(saved);
  };

  const runDry = async (text: string, payload: Record<string, unknown> | null, sideEffects: boolean) => {
    payloads.set(key, text);
    setDryError(undefined);
    setDryBusy(true);
    try {
      let target = workflow;
      if (!target || dirtyRef.current) {
        target = await save();
        if (!target) {
          setDryOpen(false); // the save's problems are shown on the page
          return;
        }
      }
      if (!id) payloads.set(target.id, text);
      const result = await call(
        api.POST('/api/workflows/{id}/dry-run', { params: { path: { id: target.id } }, body: { payload, sideEffects } }),
      );
      setDryRun(result);
      setDryOpen(false);
      goToSaved(target, result);
    } catch (e) {
      setDryError(e instanceof ApiError ? e : new ApiError(0, (e as Error).message));
    } finally {
      setDryBusy(false);
    }
  };

  const onSelect = useCallback((target: string) => setSelected(target), []);
  const onMove = useCallback((index: number, delta: -1 | 1) => edit((d) => ({ ...d, steps: moveStep(d.steps, index, delta) })), [edit]);
  const onAddAt = useCallback((at: number) => setAddAt(at), []);
  const onAskDelete = useCallback((uid: string) => setDeleting(uid), []);
  const addStep = (step: DraftStep) => {
    const at = addAt ?? draft.steps.length;
    edit((d) => ({ ...d, steps: [...d.steps.slice(0, at), step, ...d.steps.slice(at)] }));
    setAddAt(undefined);
    setSelected(step.uid);
  };
  const updateStep = (step: DraftStep) => edit((d) => ({ ...d, steps: d.steps.map((s) => (s.uid === step.uid ? step : s)) }));

  if (id && !workflow) {
    if (loaded.error)
      return (
        <>
          <PageHeader title="Workflow" />
          <ErrorBanner error={loaded.error} />
          <Link to="/workflows">Back to workflows</Link>
        </>
      );
    return <Loading label="Loading workflow…" />;
  }

  const selectedIndex = draft.steps.findIndex((s) => s.uid === selected);
  const selectedStep = selectedIndex >= 0 ? draft.steps[selectedIndex] : undefined;
  const deletingStep = draft.steps.find((s) => s.uid === deleting);

  return (
    <div className="builder" data-workflow-route={key}>
      <PageHeader
        title={workflow ? `Workflow: ${workflow.name}` : 'New workflow'}
        description={dirty ? 'Unsaved changes' : workflow ? `Version ${workflow.version}` : undefined}
      />
      <BuilderTopBar
        draft={draft}
        workflow={workflow}
        nameError={errors?.workflow.name}
        descriptionError={errors?.workflow.description}
        saving={saving}
        onChange={(patch) => edit((d) => ({ ...d, ...patch }))}
        onSave={() => void onSave()}
        onDryRun={() => setDryOpen(true)}
        onWorkflowChange={setWorkflow}
        onError={setActionError}
      />
      <ErrorBanner error={actionError} onDismiss={() => setActionError(undefined)} />
      <ErrorBanner error={connectorsState.error ?? credentialsState.error ?? loaded.error} />
      {conflict && (
        <div className="banner banner-warning" role="alert">
          <span>
            Someone else changed this workflow since you opened it. Reload to get their version (your unsaved changes here will be lost).
          </span>{' '}
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => void loaded.reload()}>
            Reload workflow
          </button>
        </div>
      )}
      {ranVersion && workflow && ranVersion !== workflow.version && (
        <Notice tone="warning">
          The run you came from used version {ranVersion}; this is version {workflow.version}, the current one.
        </Notice>
      )}
      {savedNote && <Notice tone="success">{savedNote}</Notice>}
      {errors && <ErrorSummary errors={errors} stepName={(uid) => draft.steps.find((s) => s.uid === uid)?.name} onSelect={onSelect} />}
      {dryRun && <DryRunSummary result={dryRun} />}
      <div className="builder-body">
        <StepOutline
          steps={draft.steps}
          selected={selected}
          errorCounts={errorCounts}
          results={results}
          onSelect={onSelect}
          onMove={onMove}
          onDelete={onAskDelete}
          onAdd={onAddAt}
        />
        <BuilderGraph
          triggerType={draft.trigger.type}
          steps={draft.steps}
          selected={selected}
          errorCounts={errorCounts}
          triggerErrors={triggerErrorCount}
          results={results}
          onSelect={onSelect}
        />
        <aside className="builder-panel card" aria-label="Selected step">
          {selected === TRIGGER_ID ? (
            <section className="stack" aria-labelledby="trigger-title">
              <h2 id="trigger-title">Trigger</h2>
              <TriggerPanel
                trigger={draft.trigger}
                onChange={(trigger) => edit((d) => ({ ...d, trigger }))}
                workflow={workflow}
                onWorkflowChange={setWorkflow}
                errors={errors?.trigger}
                disabled={saving}
              />
            </section>
          ) : selectedStep ? (
            <StepPanel
              key={selectedStep.uid}
              step={selectedStep}
              index={selectedIndex}
              steps={draft.steps}
              connectors={connectors}
              connectorsLoading={connectorsState.loading && !connectorsState.data}
              credentials={credentials}
              errors={errors?.steps[selectedStep.uid]}
              templates={templatesFor(selectedIndex, draft.steps, parsePayload(payloadText), connectors, results)}
              result={results[selectedStep.name]}
              onChange={updateStep}
              onRename={(name) => edit((d) => ({ ...d, steps: renameStep(d.steps, selectedStep.uid, name) }))}
            />
          ) : (
            <div className="empty">
              <p className="empty-title">Nothing selected</p>
              <p>
                Select the trigger or a step in the outline or the graph to edit it
                {draft.steps.length === 0 ? ', or add the first step' : ''}.
              </p>
            </div>
          )}
        </aside>
      </div>
      <AddStepDialog
        open={addAt !== undefined}
        connectors={connectors}
        connectorsLoading={connectorsState.loading && !connectorsState.data}
        steps={draft.steps}
        onAdd={addStep}
        onClose={() => setAddAt(undefined)}
      />
      <ConfirmDialog
        open={deletingStep !== undefined}
        title={`Delete step ${deletingStep?.name ?? ''}?`}
        message="The step is removed from the workflow (and from any condition's branches) when you save."
        confirmLabel="Delete step"
        onConfirm={() => {
          if (deleting) edit((d) => ({ ...d, steps: deleteStep(d.steps, deleting) }));
          if (selected === deleting) setSelected(undefined);
          setDeleting(undefined);
        }}
        onCancel={() => setDeleting(undefined)}
      />
      <DryRunDialog
        open={dryOpen}
        payload={payloadText}
        busy={dryBusy || saving}
        willSave={!workflow || dirty}
        error={dryError}
        onRun={(text, payload, sideEffects) => void runDry(text, payload, sideEffects)}
        onClose={() => setDryOpen(false)}
      />
    </div>
  );
}
