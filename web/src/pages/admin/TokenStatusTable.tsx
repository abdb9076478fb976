import { useCallback, useState } from 'react';
import { api, adminHeaders } from '../../api/client';
import type { components } from '../../api/generated/schema';
import { ErrorBanner, Notice } from '../../components/ErrorBanner';
import { EmptyState, Loading } from '../../components/Loading';
import { StatusBadge } from '../../components/StatusBadge';
import { dateTime, relativeTime } from '../../lib/format';
import { useAction, useApi } from '../../lib/use-api';
import { adminCall } from './admin-call';

type RefreshResult = components['schemas']['RefreshAllAcceptedDto'];
const LIMIT = 50;

/** Every company's token across tenants, and "Refresh all" (enqueues a refresh per company). */
export function TokenStatusTable({ onRefused }: { onRefused: (e: unknown) => void }) {
  const [page, setPage] = useState(1);
  const tokens = useApi(
    () =>
      adminCall(api.GET('/api/admin/tokens', { params: { query: { page, limit: LIMIT } }, headers: adminHeaders() })).catch((e) => {
        onRefused(e);
        throw e;
      }),
    [page],
  );
  const [result, setResult] = useState<RefreshResult>();
  const refresh = useAction(
    useCallback(async () => {
      setResult(undefined);
      try {
        const r = await adminCall(api.POST('/api/admin/tokens/refresh-all', { headers: adminHeaders() }));
        setResult(r);
        await tokens.reload();
      } catch (e) {
        onRefused(e);
        throw e;
      }
    }, [tokens, onRefused]),
  );
  const data = tokens.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.limit)) : 1;

  return (
    <section className="card stack" aria-labelledby="tokens-heading">
      <div className="row">
        <h2 id="tokens-heading">Company tokens</h2>
        <button type="button" className="btn btn-secondary" onClick={() => void refresh.run()} disabled={refresh.busy}>
          {refresh.busy ? 'Refreshing…' : 'Refresh all'}
        </button>
      </div>
      <ErrorBanner error={refresh.error} />
      {result && (
        <Notice tone="success">
          Refresh started for {result.companies} {result.companies === 1 ? 'company' : 'companies'}: {result.enqueued} refresh
          {result.enqueued === 1 ? '' : 'es'} queued.
        </Notice>
      )}
      <ErrorBanner error={tokens.error} />
      {!data && tokens.loading && <Loading label="Loading token statuses…" />}
      {data && data.items.length === 0 && <EmptyState title="No connected companies yet." />}
      {data && data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Token status per company</caption>
            <thead>
              <tr>
                <th scope="col">Company</th>
                <th scope="col">Tenant</th>
                <th scope="col">Status</th>
                <th scope="col">Expires</th>
                <th scope="col">Last refresh</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((t) => (
                <tr key={t.companyId}>
                  <th scope="row">
                    {t.businessName ?? t.connectionId}
                    <div className="muted small">{t.provider}</div>
                  </th>
                  <td className="mono small">{t.tenantId}</td>
                  <td>
                    <StatusBadge status={t.status} />
                  </td>
                  <td title={dateTime(t.tokenExpiresAt)}>{t.tokenExpiresAt ? relativeTime(t.tokenExpiresAt) : '—'}</td>
                  <td>
                    {t.lastRefreshAt ? relativeTime(t.lastRefreshAt) : 'never'} <StatusBadge status={t.lastRefreshStatus} />
                  </td>
                  <td>{t.lastRefreshError ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && pages > 1 && (
        <nav className="row" aria-label="Token pages">
          <button type="button" className="btn btn-secondary btn-sm" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Previous page
          </button>
          <span className="muted small">
            Page {page} of {pages}
          </span>
          <button type="button" className="btn btn-secondary btn-sm" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            Next page
          </button>
        </nav>
      )}
    </section>
  );
}
