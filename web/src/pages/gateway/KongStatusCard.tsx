import { api, call } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { StatusBadge } from '../../components/StatusBadge';
import { useApi } from '../../lib/use-api';

/** Kong's figures worth a glance, read from its GET /status (the rest is Kong's own detail). */
function figures(status: Record<string, unknown>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const db = status.database;
  if (db && typeof db === 'object' && 'reachable' in db) out.push(['Kong database', db.reachable ? 'reachable' : 'unreachable']);
  const server = status.server;
  if (server && typeof server === 'object') {
    const s = server as Record<string, unknown>;
    if (typeof s.connections_active === 'number') out.push(['Active connections', String(s.connections_active)]);
    if (typeof s.total_requests === 'number') out.push(['Requests served', String(s.total_requests)]);
  }
  for (const key of ['version', 'configuration_hash']) {
    if (typeof status[key] === 'string') out.push([key === 'version' ? 'Version' : 'Configuration hash', String(status[key])]);
  }
  return out;
}

/** GET /api/kong/status: reachable and mode, or why not (503: not configured or unreachable). */
export function KongStatusCard() {
  const status = useApi(() => call(api.GET('/api/kong/status')), [], { pollMs: 30_000 });
  const s = status.data;
  return (
    <section className="card stack" aria-labelledby="kong-status-heading">
      <h2 id="kong-status-heading">Kong status</h2>
      {!s && status.loading && <Loading label="Asking Kong…" />}
      <ErrorBanner error={status.error} />
      {s && (
        <dl className="grid grid-4">
          <div className="stat">
            <dt className="stat-label">Reachable</dt>
            <dd className="stat-value">
              <StatusBadge status={s.reachable ? 'up' : 'down'} />
            </dd>
          </div>
          <div className="stat">
            <dt className="stat-label">Mode</dt>
            <dd className="stat-value">{s.mode === 'db' ? 'DB' : 'DB-less'}</dd>
          </div>
          {figures(s.status).map(([label, value]) => (
            <div className="stat" key={label}>
              <dt className="stat-label">{label}</dt>
              <dd className="stat-value small mono">{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
