import { api, adminHeaders } from '../../api/client';
import type { components } from '../../api/generated/schema';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { StatusBadge } from '../../components/StatusBadge';
import { useApi } from '../../lib/use-api';
import { adminCall } from './admin-call';

type Dependency = components['schemas']['DependencyStatusDto'];

/** System health (/api/admin/system/health) and each dependency (/health/detailed). */
export function SystemHealth({ onRefused }: { onRefused: (e: unknown) => void }) {
  const health = useApi(
    () =>
      Promise.all([
        adminCall(api.GET('/api/admin/system/health', { headers: adminHeaders() })),
        adminCall(api.GET('/health/detailed', { headers: adminHeaders() })),
      ]).catch((e) => {
        onRefused(e);
        throw e;
      }),
    [],
    { pollMs: 15_000 },
  );
  const [system, detailed] = health.data ?? [];
  // Same dependencies in both answers; the detailed one is checked fresh (cached a few seconds).
  const deps: Array<[string, Dependency]> = Object.entries(detailed?.dependencies ?? system?.dependencies ?? {});

  return (
    <section className="card stack" aria-labelledby="health-heading">
      <div className="row">
        <h2 id="health-heading">System health</h2>
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => void health.reload()} disabled={health.loading}>
          {health.loading ? 'Checking…' : 'Check again'}
        </button>
      </div>
      <ErrorBanner error={health.error} />
      {!health.data && health.loading && <Loading label="Checking system health…" />}
      {system && (
        <dl className="grid grid-4">
          <div className="stat">
            <dt className="stat-label">Overall</dt>
            <dd className="stat-value">
              <StatusBadge status={system.status} />
            </dd>
          </div>
          <div className="stat">
            <dt className="stat-label">Version</dt>
            <dd className="stat-value mono">{system.version}</dd>
          </div>
          <div className="stat">
            <dt className="stat-label">Environment / role</dt>
            <dd className="stat-value">
              {system.environment} / {system.role}
            </dd>
          </div>
          <div className="stat">
            <dt className="stat-label">Uptime</dt>
            <dd className="stat-value">{Math.round(system.uptimeSeconds / 60)} min</dd>
          </div>
        </dl>
      )}
      {deps.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Dependencies</caption>
            <thead>
              <tr>
                <th scope="col">Dependency</th>
                <th scope="col">Status</th>
                <th scope="col">Latency</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {deps.map(([name, d]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td>
                    <StatusBadge status={d.status} />
                  </td>
                  <td>{d.latencyMs} ms</td>
                  <td>{d.error ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {system && <QueueCounts queues={system.queues} />}
    </section>
  );
}

type Queues = components['schemas']['SystemHealthDto']['queues'];

/** Job counts per queue (waiting, active, delayed, failed…), or why they could not be read. */
function QueueCounts({ queues }: { queues: Queues }) {
  if ('error' in queues && typeof queues.error === 'string') return <p className="muted small">Queues could not be read: {queues.error}</p>;
  const counts = Object.entries(queues as Record<string, Record<string, number>>);
  return (
    <ul className="muted small">
      {counts.map(([queue, c]) => (
        <li key={queue}>
          <strong>{queue}</strong>:{' '}
          {Object.entries(c)
            .map(([state, n]) => `${state} ${n}`)
            .join(', ')}
        </li>
      ))}
    </ul>
  );
}
