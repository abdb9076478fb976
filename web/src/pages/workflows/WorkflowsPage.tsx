import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, call } from '../../api/client';
import { ApiError } from '../../api/errors';
import { ErrorBanner, Notice } from '../../components/ErrorBanner';
import { EmptyState, Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useApi } from '../../lib/use-api';
import { useSession } from '../../session/SessionContext';
import { DeleteDialog } from './list/DeleteDialog';
import { downloadJson, exportFileName } from '../../lib/download';
import { ImportDialog } from './list/ImportDialog';
import { Pager } from './list/Pager';
import type { WorkflowListItem } from './list/types';
import { WorkflowsTable } from './list/WorkflowsTable';
import './list/workflows.css';

type StateFilter = 'all' | 'active' | 'inactive';

/** The page and the filter live in the URL: a reload or a shared link shows the same list. */
function useListParams() {
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const limit = [10, 20, 50, 100].includes(Number(params.get('limit'))) ? Number(params.get('limit')) : 20;
  const raw = params.get('state');
  const state: StateFilter = raw === 'active' || raw === 'inactive' ? raw : 'all';
  const set = (next: { page?: number; limit?: number; state?: StateFilter }) => {
    const p = new URLSearchParams(params);
    const entries: Array<[string, string | undefined]> = [
      ['page', String(next.page ?? page)],
      ['limit', String(next.limit ?? limit)],
      ['state', next.state ?? state],
    ];
    for (const [k, v] of entries) p.set(k, v ?? '');
    setParams(p, { replace: false });
  };
  return { page, limit, state, set };
}

export default function WorkflowsPage() {
  const navigate = useNavigate();
  const { can } = useSession();
  const canWrite = can('workflows.write');
  const { page, limit, state, set } = useListParams();
  const list = useApi(
    () =>
      call(
        api.GET('/api/workflows', {
          params: { query: { page, limit, ...(state === 'all' ? {} : { active: state === 'active' }) } },
        }),
      ),
    [page, limit, state],
  );
  const [toggling, setToggling] = useState<ReadonlySet<string>>(new Set());
  const [exporting, setExporting] = useState<string>();
  const [actionError, setActionError] = useState<ApiError>();
  const [notice, setNotice] = useState<string>();
  const [importOpen, setImportOpen] = useState(false);
  const [deleting, setDeleting] = useState<WorkflowListItem>();

  const patchItem = (id: string, patch: Partial<WorkflowListItem>) => {
    if (!list.data) return;
    list.setData({ ...list.data, items: list.data.items.map((w) => (w.id === id ? { ...w, ...patch } : w)) });
  };

  // Optimistic: the switch flips at once and flips back if the API refuses.
  const toggle = async (w: WorkflowListItem) => {
    const next = !w.active;
    setActionError(undefined);
    setNotice(undefined);
    setToggling((s) => new Set(s).add(w.id));
    patchItem(w.id, { active: next });
    try {
      const saved = await call(api.PUT('/api/workflows/{id}/toggle', { params: { path: { id: w.id } }, body: { active: next } }));
      patchItem(w.id, { active: saved.active, version: saved.version, updatedAt: saved.updatedAt });
    } catch (e) {
      patchItem(w.id, { active: w.active });
      const err = e instanceof ApiError ? e : new ApiError(0, (e as Error).message);
      setActionError(new ApiError(err.status, `Could not ${next ? 'activate' : 'deactivate'} "${w.name}": ${err.message}`, err.code));
    } finally {
      setToggling((s) => {
        const copy = new Set(s);
        copy.delete(w.id);
        return copy;
      });
    }
  };

  const exportOne = async (w: WorkflowListItem) => {
    setActionError(undefined);
    setExporting(w.id);
    try {
      const doc = await call(api.GET('/api/workflows/{id}/export', { params: { path: { id: w.id } } }));
      downloadJson(exportFileName(w.name), doc);
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, (e as Error).message);
      setActionError(new ApiError(err.status, `Could not export "${w.name}": ${err.message}`, err.code));
    } finally {
      setExporting(undefined);
    }
  };

  const data = list.data;
  const filtered = state !== 'all';
  return (
    <>
      <PageHeader
        title="Workflows"
        description="What starts each workflow, whether it runs, and how its last run went."
        actions={
          canWrite && (
            <>
              <button type="button" className="btn btn-secondary" onClick={() => setImportOpen(true)}>
                Import
              </button>
              <Link className="btn" to="/workflows/new">
                New workflow
              </Link>
            </>
          )
        }
      />
      <div className="row wf-toolbar">
        <label htmlFor="wf-state">Show</label>
        <select id="wf-state" value={state} onChange={(e) => set({ state: e.target.value as StateFilter, page: 1 })}>
          <option value="all">All workflows</option>
          <option value="active">Active only</option>
          <option value="inactive">Inactive only</option>
        </select>
      </div>
      {notice && <Notice tone="success">{notice}</Notice>}
      <ErrorBanner error={actionError} onDismiss={() => setActionError(undefined)} />
      <ErrorBanner error={list.error} />
      {list.loading && !data && <Loading label="Loading workflows…" />}
      {data && data.items.length === 0 && (
        <EmptyState title={filtered ? `No ${state} workflows` : 'No workflows yet'}>
          {filtered ? (
            <p className="muted">Show all workflows to see the others.</p>
          ) : (
            <p className="muted">
              A workflow runs steps when a webhook is called or on a schedule.{' '}
              {canWrite && (
                <>
                  <Link to="/workflows/new">Create one</Link> or import a file exported from another Flowgate.
                </>
              )}
            </p>
          )}
        </EmptyState>
      )}
      {data && data.items.length > 0 && (
        <>
          <WorkflowsTable
            items={data.items}
            toggling={toggling}
            exporting={exporting}
            canWrite={canWrite}
            onToggle={(w) => void toggle(w)}
            onExport={(w) => void exportOne(w)}
            onDelete={setDeleting}
          />
          <Pager
            page={data.page}
            limit={data.limit}
            total={data.total}
            onPage={(p) => set({ page: p })}
            onLimit={(l) => set({ limit: l, page: 1 })}
          />
        </>
      )}
      <ImportDialog open={importOpen} onClose={() => setImportOpen(false)} onImported={(id) => navigate(`/workflows/${id}`)} />
      <DeleteDialog
        workflow={deleting}
        onClose={() => setDeleting(undefined)}
        onDeleted={(w) => {
          setDeleting(undefined);
          setNotice(`"${w.name}" was deleted.`);
          // The last item of a page gone: show the page before it.
          if (data && data.items.length === 1 && page > 1) set({ page: page - 1 });
          else void list.reload();
        }}
      />
    </>
  );
}
