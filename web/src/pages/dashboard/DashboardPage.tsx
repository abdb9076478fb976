import { useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { EmptyState, Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useApi } from '../../lib/use-api';
import { useSession } from '../../session/SessionContext';
import { LiveControls } from './LiveControls';
import { RunsPerHourChart } from './RunsPerHourChart';
import { StatCards } from './StatCards';
import { StatusBars } from './StatusBars';
import { windowLabel, type WindowHours } from './types';
import { FailingTable, SlowestTable } from './WorkflowTables';
import './dashboard.css';

/** How often the figures refresh while the page is open (and the tab visible). */
const POLL_MS = 10_000;

/** The tenant at a glance: GET /api/dashboard, polled live, for the chosen window. */
export default function DashboardPage() {
  const { can } = useSession();
  const [hours, setHours] = useState<WindowHours>(24);
  const [paused, setPaused] = useState(false);
  const { data, error, loading, reload } = useApi(() => call(api.GET('/api/dashboard', { params: { query: { hours } } })), [hours], {
    pollMs: paused ? undefined : POLL_MS,
  });
  const windowText = windowLabel(hours);
  // A figure for another window than the one picked is not shown while the new one loads.
  const current = data && Date.parse(data.window.to) - Date.parse(data.window.from) === hours * 3_600_000 ? data : undefined;

  return (
    <>
      <PageHeader
        title="Dashboard"
        description="Your workflows and their runs, live."
        actions={
          <LiveControls
            hours={hours}
            onHours={setHours}
            paused={paused}
            onTogglePaused={() => setPaused((p) => !p)}
            generatedAt={current?.generatedAt}
            refreshing={loading && !!current}
          />
        }
      />
      {/* Polling keeps the last figures on screen when a refresh fails: the error says they are stale. */}
      <ErrorBanner error={error} />
      {!current ? (
        loading ? (
          <Loading label="Loading the dashboard…" />
        ) : (
          error && (
            <button type="button" className="btn btn-secondary" onClick={() => void reload()}>
              Try again
            </button>
          )
        )
      ) : current.totalWorkflows === 0 ? (
        <EmptyState title="No workflows yet">
          <p>Runs, failures and the queue show here once a workflow runs.</p>
          {can('workflows.write') && (
            <Link className="btn" to="/workflows/new">
              Create a workflow
            </Link>
          )}
        </EmptyState>
      ) : (
        <div className="stack">
          <StatCards data={current} windowText={windowText} />
          <div className="grid grid-2">
            <StatusBars byStatus={current.runs.byStatus} total={current.runs.total} />
            <RunsPerHourChart hours={current.runsPerHour} windowText={windowText} />
          </div>
          <div className="grid grid-2">
            <SlowestTable rows={current.slowest} />
            <FailingTable rows={current.mostFailing} />
          </div>
        </div>
      )}
    </>
  );
}
