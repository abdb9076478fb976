import { useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { EmptyState, Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/StatusBadge';
import { dateTime, relativeTime } from '../../lib/format';
import { useApi } from '../../lib/use-api';
import { ConnectCompany } from './ConnectCompany';
import { Pager } from './Pager';
import './companies.css';

const LIMIT = 25;

/** The tenant's marketplace companies (Nango connections) and connecting a new one. */
export default function CompaniesPage() {
  const [page, setPage] = useState(1);
  const companies = useApi(() => call(api.GET('/api/companies', { params: { query: { page, limit: LIMIT } } })), [page]);
  const data = companies.data;

  return (
    <>
      <PageHeader
        title="Companies"
        description="Businesses connected through Nango (QuickBooks, HubSpot…): their tokens and synced records."
      />
      <div className="stack">
        <ConnectCompany onConnected={() => void companies.reload()} />
        <section className="card stack" aria-labelledby="companies-heading">
          <h2 id="companies-heading">Connected companies</h2>
          <ErrorBanner error={companies.error} />
          {!data && companies.loading && <Loading label="Loading companies…" />}
          {data && data.items.length === 0 && (
            <EmptyState title="No company connected yet.">
              <p className="muted">Connect one above: the customer signs in to their provider through Nango.</p>
            </EmptyState>
          )}
          {data && data.items.length > 0 && (
            <div className="table-wrap">
              <table className="table">
                <caption className="sr-only">Connected companies</caption>
                <thead>
                  <tr>
                    <th scope="col">Company</th>
                    <th scope="col">Integration</th>
                    <th scope="col">Status</th>
                    <th scope="col">Token expires</th>
                    <th scope="col">Last token refresh</th>
                    <th scope="col">Last sync</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((c) => (
                    <tr key={c.id}>
                      <th scope="row">
                        <Link to={`/companies/${c.id}`}>{c.businessName ?? c.connectionId}</Link>
                      </th>
                      <td>
                        {c.providerConfigKey}
                        {c.provider !== c.providerConfigKey && <span className="muted small"> ({c.provider})</span>}
                      </td>
                      <td>
                        <StatusBadge status={c.status} />
                      </td>
                      <td title={dateTime(c.tokenExpiresAt)}>{c.tokenExpiresAt ? relativeTime(c.tokenExpiresAt) : '—'}</td>
                      <td>
                        {c.lastRefreshAt ? relativeTime(c.lastRefreshAt) : 'never'} <StatusBadge status={c.lastRefreshStatus} />
                      </td>
                      <td title={dateTime(c.lastSyncedAt)}>{c.lastSyncedAt ? relativeTime(c.lastSyncedAt) : 'never'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {data && <Pager label="Companies" page={page} limit={data.limit} total={data.total} onPage={setPage} />}
        </section>
      </div>
    </>
  );
}
