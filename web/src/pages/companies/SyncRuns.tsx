import type { components } from '../../api/generated/schema';
import { EmptyState } from '../../components/Loading';
import { StatusBadge } from '../../components/StatusBadge';
import { dateTime, duration, relativeTime } from '../../lib/format';

type SyncRun = components['schemas']['SyncRunDto'];

export const isActive = (r: SyncRun) => r.status === 'queued' || r.status === 'running';

/** A company's sync runs: when, how long, what was upserted, what failed. */
export function SyncRunsTable({ runs }: { runs: SyncRun[] }) {
  if (runs.length === 0) return <EmptyState title="Never synced yet." />;
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="sr-only">Sync runs</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Status</th>
            <th scope="col">Duration</th>
            <th scope="col">Locations</th>
            <th scope="col">Contacts</th>
            <th scope="col">Products</th>
            <th scope="col">Errors</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id}>
              <th scope="row" title={dateTime(r.startedAt ?? r.createdAt)}>
                {relativeTime(r.startedAt ?? r.createdAt)}
              </th>
              <td>
                <StatusBadge status={r.status} />
              </td>
              <td>{r.startedAt && r.finishedAt ? duration(Date.parse(r.finishedAt) - Date.parse(r.startedAt)) : '—'}</td>
              <td>{r.counts.locations ?? '—'}</td>
              <td>{r.counts.contacts ?? '—'}</td>
              <td>{r.counts.products ?? '—'}</td>
              <td>{r.errors.length === 0 ? 'none' : r.errors.map((e) => `${e.entity}: ${e.message}`).join('; ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
