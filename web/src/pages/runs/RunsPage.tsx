import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ErrorBanner, Notice } from '../../components/ErrorBanner';
import { EmptyState, Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useApi } from '../../lib/use-api';
import { loadWorkflows } from './load-workflows';
import { filtersFromSearch, filtersToSearch, type RunFilters } from './run-filters';
import { RunFiltersForm } from './RunFiltersForm';
import { RunsTable } from './RunsTable';
import { useRunPages } from './use-run-pages';
import './runs.css';

const REFRESH_MS = 5000;

export default function RunsPage() {
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const [autoRefresh, setAutoRefresh] = useState(false);
  const runs = useRunPages(filters, autoRefresh ? REFRESH_MS : undefined);
  const workflows = useApi(loadWorkflows, []);

  // Each change is a new history entry: Back returns to the previous filters.
  const setFilters = useCallback((next: RunFilters) => setSearch(filtersToSearch(next)), [setSearch]);
  const filtered = search.toString() !== '';

  return (
    <>
      <PageHeader title="Runs" description="Every execution of your workflows, newest first. Open a run to see its steps." />
      <RunFiltersForm filters={filters} onChange={setFilters} workflows={workflows.data} fieldErrors={runs.error?.fieldErrors ?? {}} />
      {workflows.error && <ErrorBanner error={workflows.error} />}
      <div className="runs-toolbar">
        <p className="runs-count muted small" role="status">
          {runs.loading
            ? 'Loading runs…'
            : `${runs.items.length} ${runs.items.length === 1 ? 'run' : 'runs'} loaded${runs.hasMore ? '' : ' (end of list)'}`}
        </p>
        <label className="runs-check">
          <input type="checkbox" checked={autoRefresh} onChange={(e) => setAutoRefresh(e.target.checked)} />
          Auto-refresh every 5 s
        </label>
        <button type="button" className="btn btn-secondary btn-sm" onClick={runs.reload} disabled={runs.loading}>
          Refresh
        </button>
      </div>
      <ErrorBanner error={runs.error} />
      {runs.queueIncomplete && (
        <Notice tone="warning">Many runs are waiting in the queue: some of the oldest queued runs may not be listed yet.</Notice>
      )}
      {runs.loading ? (
        <Loading label="Loading runs…" />
      ) : runs.items.length === 0 ? (
        !runs.error && (
          <EmptyState title={filtered ? 'No runs match these filters' : 'No runs yet'}>
            <p className="muted">
              {filtered
                ? 'Change or clear the filters to see more runs.'
                : 'Runs appear here when a workflow is triggered by a webhook, a schedule or a manual run.'}
            </p>
          </EmptyState>
        )
      ) : (
        <>
          <RunsTable
            items={runs.items}
            hasMore={runs.hasMore}
            loadingMore={runs.loadingMore}
            onLoadMore={runs.loadMore}
            autoLoad={!runs.error}
          />
          {runs.hasMore && (
            // The list also loads on scroll; the button is the keyboard's and screen reader's way.
            <div className="row runs-more">
              <button type="button" className="btn btn-secondary" onClick={runs.loadMore} disabled={runs.loadingMore}>
                {runs.loadingMore ? 'Loading more…' : 'Load more'}
              </button>
            </div>
          )}
        </>
      )}
    </>
  );
}
