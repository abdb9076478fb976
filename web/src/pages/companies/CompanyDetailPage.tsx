import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, call } from '../../api/client';
import { ErrorBanner, Notice } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/StatusBadge';
import { dateTime, relativeTime } from '../../lib/format';
import { useAction, useApi } from '../../lib/use-api';
import { CompanyRecords } from './CompanyRecords';
import { DeleteCompany } from './DeleteCompany';
import { isActive, SyncRunsTable } from './SyncRuns';
import './companies.css';

/** One company: its token, "Sync now", its sync runs (polled while one runs) and its records. */
export default function CompanyDetailPage() {
  const { id = '' } = useParams();
  const company = useApi(() => call(api.GET('/api/companies/{id}', { params: { path: { id } } })), [id]);
  const [polling, setPolling] = useState(false);
  const runs = useApi(() => call(api.GET('/api/companies/{id}/sync-runs', { params: { path: { id }, query: { limit: 20 } } })), [id], {
    pollMs: polling ? 1500 : undefined,
  });
  const running = runs.data?.items.some(isActive) ?? false;
  // Records reload when a run finishes: the version counts runs seen going from active to done.
  const [version, setVersion] = useState(0);
  const wasRunning = useRef(false);
  useEffect(() => {
    setPolling(running);
    if (wasRunning.current && !running) {
      setVersion((v) => v + 1);
      void company.reload();
    }
    wasRunning.current = running;
  }, [running]);

  const [joined, setJoined] = useState(false);
  const sync = useAction(async () => {
    const accepted = await call(api.POST('/api/companies/{id}/sync', { params: { path: { id } } }));
    setJoined(accepted.alreadyInProgress);
    await runs.reload();
  });

  const c = company.data;
  const name = c ? (c.businessName ?? c.connectionId) : 'Company';
  return (
    <>
      <PageHeader
        title={name}
        description={<Link to="/companies">All companies</Link>}
        actions={
          c && (
            <>
              <button type="button" className="btn" onClick={() => void sync.run()} disabled={sync.busy || running}>
                {sync.busy ? 'Starting…' : running ? 'Syncing…' : 'Sync now'}
              </button>
              <DeleteCompany id={id} name={name} />
            </>
          )
        }
      />
      <div className="stack">
        <ErrorBanner error={company.error} />
        {!c && company.loading && <Loading label="Loading company…" />}
        {c && (
          <section className="card" aria-labelledby="company-status-heading">
            <h2 id="company-status-heading">Connection</h2>
            <dl className="grid grid-4">
              <div className="stat">
                <dt className="stat-label">Status</dt>
                <dd className="stat-value">
                  <StatusBadge status={c.status} />
                </dd>
              </div>
              <div className="stat">
                <dt className="stat-label">Integration</dt>
                <dd className="stat-value">{c.providerConfigKey}</dd>
              </div>
              <div className="stat">
                <dt className="stat-label">Token expires</dt>
                <dd className="stat-value" title={dateTime(c.tokenExpiresAt)}>
                  {c.tokenExpiresAt ? relativeTime(c.tokenExpiresAt) : '—'}
                </dd>
              </div>
              <div className="stat">
                <dt className="stat-label">Last sync</dt>
                <dd className="stat-value" title={dateTime(c.lastSyncedAt)}>
                  {c.lastSyncedAt ? relativeTime(c.lastSyncedAt) : 'never'}
                </dd>
              </div>
            </dl>
            {c.lastRefreshError && <p className="muted small">Last token refresh failed: {c.lastRefreshError}</p>}
            <p className="muted small mono">Connection {c.connectionId}</p>
          </section>
        )}
        <section className="card stack" aria-labelledby="sync-runs-heading">
          <h2 id="sync-runs-heading">Sync runs</h2>
          <ErrorBanner error={sync.error} />
          {joined && running && <Notice>A sync was already running: following that one.</Notice>}
          <ErrorBanner error={runs.error} />
          {!runs.data && runs.loading && <Loading label="Loading sync runs…" />}
          {runs.data && <SyncRunsTable runs={runs.data.items} />}
        </section>
        {c && (
          <>
            <CompanyRecords kind="locations" title="Locations" companyId={id} version={version} />
            <CompanyRecords kind="contacts" title="Contacts" companyId={id} version={version} />
            <CompanyRecords kind="products" title="Products" companyId={id} version={version} />
          </>
        )}
      </div>
    </>
  );
}
