import type { RunsByStatus } from './types';

const STATUSES: Array<{ key: keyof RunsByStatus; label: string }> = [
  { key: 'succeeded', label: 'Succeeded' },
  { key: 'failed', label: 'Failed' },
  { key: 'running', label: 'Running' },
  { key: 'queued', label: 'Queued' },
  { key: 'cancelled', label: 'Cancelled' },
];

/**
 * One bar per status, its length the share of the window's runs. Each bar has its word and
 * count beside it; the table below says the same to a screen reader (the bars are hidden from it).
 */
export function StatusBars({ byStatus, total }: { byStatus: RunsByStatus; total: number }) {
  return (
    <section className="card" aria-labelledby="dash-status-title">
      <h2 id="dash-status-title">Runs by status</h2>
      <ul className="dash-bars" aria-hidden="true">
        {STATUSES.map(({ key, label }) => (
          <li key={key} className="dash-bar-row">
            <span className="dash-bar-label">{label}</span>
            <span className="dash-bar-track">
              <span className={`dash-bar dash-${key}`} style={{ width: total ? `${(byStatus[key] / total) * 100}%` : '0%' }} />
            </span>
            <span className="dash-bar-count mono">{byStatus[key]}</span>
          </li>
        ))}
      </ul>
      <table className="sr-only">
        <caption>Runs by status in the window ({total} in total)</caption>
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Runs</th>
          </tr>
        </thead>
        <tbody>
          {STATUSES.map(({ key, label }) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              <td>{byStatus[key]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
