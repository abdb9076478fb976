import { useEffect } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, call } from '../../api/client';
import { ErrorBanner, Notice } from '../../components/ErrorBanner';
import { EmptyState, Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/StatusBadge';
import { dateTime, duration } from '../../lib/format';
import { useAction, useApi } from '../../lib/use-api';
import { useSession } from '../../session/SessionContext';
import { JsonBlock } from './JsonBlock';
import { ErrorDetails, StepList } from './StepList';
import './runs.css';

const POLL_MS = 2000;
const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

export default function RunDetailPage() {
  const { id = '' } = useParams();
  // Keyed by id: after a Retry (or a "Retry of" link) the new run starts from a clean state,
  // never showing the previous run's data under the new address.
  return <RunDetail key={id} id={id} />;
}

function RunDetail({ id }: { id: string }) {
  const navigate = useNavigate();
  const { can } = useSession();
  const run = useApi(() => call(api.GET('/api/executions/{id}', { params: { path: { id } } })), [id]);
  const e = run.data;
  const live = !!e && !FINAL.has(e.status);

  // A queued or running run is followed until it ends (its steps fill in as they finish).
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void run.reload();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [live, run.reload]);

  const retry = useAction(async () => {
    const accepted = await call(api.POST('/api/executions/{id}/retry', { params: { path: { id } } }));
    navigate(`/runs/${accepted.executionId}`);
  });

  if (!e) {
    return (
      <>
        <PageHeader title="Run" />
        {run.error ? <ErrorBanner error={run.error} /> : <Loading label="Loading the run…" />}
        <p>
          <Link to="/runs">Back to runs</Link>
        </p>
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={`Run of ${e.workflowName || 'a deleted workflow'}`}
        description={<span className="mono small">{e.id}</span>}
        actions={
          <>
            <Link className="btn btn-secondary" to="/runs">
              All runs
            </Link>
            {FINAL.has(e.status) && can('workflows.write') && (
              <button type="button" className="btn" onClick={() => void retry.run()} disabled={retry.busy}>
                {retry.busy ? 'Retrying…' : 'Retry'}
              </button>
            )}
          </>
        }
      />
      <ErrorBanner error={retry.error} onDismiss={retry.clearError} />
      <ErrorBanner error={run.error} />
      {live && <Notice>This run is {e.status}: the page follows it until it finishes.</Notice>}

      <section className="card run-section" aria-labelledby="run-summary">
        <h2 id="run-summary">Summary</h2>
        <dl className="run-meta">
          <dt>Status</dt>
          <dd>
            <StatusBadge status={e.status} />
          </dd>
          <dt>Workflow</dt>
          <dd>
            {e.workflowId ? (
              <Link to={`/workflows/${e.workflowId}`}>{e.workflowName || 'Open the workflow'}</Link>
            ) : (
              <>{e.workflowName} (deleted)</>
            )}
          </dd>
          <dt>Version</dt>
          <dd>
            {e.workflowVersion == null ? (
              '—'
            ) : e.workflowId && e.workflowVersionUrl ? (
              <Link to={`/workflows/${e.workflowId}?version=${e.workflowVersion}`}>version {e.workflowVersion}</Link>
            ) : (
              `version ${e.workflowVersion}`
            )}
          </dd>
          <dt>Trigger</dt>
          <dd>{e.trigger}</dd>
          {e.retryOf && (
            <>
              <dt>Retry of</dt>
              <dd>
                <Link to={`/runs/${e.retryOf}`}>the original run</Link>
              </dd>
            </>
          )}
          {e.scheduledFor && (
            <>
              <dt>Scheduled for</dt>
              <dd>{dateTime(e.scheduledFor)}</dd>
            </>
          )}
          <dt>Received</dt>
          <dd>{dateTime(e.receivedAt)}</dd>
          <dt>Started</dt>
          <dd>{dateTime(e.startedAt)}</dd>
          <dt>Finished</dt>
          <dd>{dateTime(e.finishedAt)}</dd>
          <dt>Duration</dt>
          <dd>{duration(e.durationMs)}</dd>
          <dt>Attempts</dt>
          <dd>{e.attempts}</dd>
        </dl>
        {e.error && (
          <>
            <h3>Error</h3>
            <ErrorDetails error={e.error} />
          </>
        )}
      </section>

      <section className="card run-section" aria-labelledby="run-payload">
        <h2 id="run-payload">Trigger payload</h2>
        {e.inputTruncated && <Notice tone="warning">The payload was larger than the stored size: it was cut.</Notice>}
        <JsonBlock value={e.input} label="Trigger payload" />
      </section>

      <section className="card run-section" aria-labelledby="run-steps">
        <h2 id="run-steps">Steps</h2>
        {e.steps.length === 0 ? (
          <EmptyState title={live ? 'No step has run yet' : 'No step results'}>
            <p className="muted">{live ? 'Steps appear here as the worker runs them.' : 'This run recorded no step.'}</p>
          </EmptyState>
        ) : (
          <StepList steps={e.steps} />
        )}
      </section>
    </>
  );
}
