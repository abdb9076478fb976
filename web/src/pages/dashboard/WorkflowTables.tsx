import { Link } from 'react-router';
import { duration, percent } from '../../lib/format';
import type { FailingWorkflow, SlowWorkflow } from './types';

const failedRunsHref = (workflowId: string) => `/runs?${new URLSearchParams({ workflowId, status: 'failed' }).toString()}`;

export function SlowestTable({ rows }: { rows: SlowWorkflow[] }) {
  return (
    <section className="card" aria-labelledby="dash-slowest-title">
      <h2 id="dash-slowest-title">Slowest workflows</h2>
      {rows.length === 0 ? (
        <p className="muted">No finished runs in this window.</p>
      ) : (
        <div className="table-wrap">
          <table className="dash-table" aria-labelledby="dash-slowest-title">
            <thead>
              <tr>
                <th scope="col">Workflow</th>
                <th scope="col">p95</th>
                <th scope="col">Average</th>
                <th scope="col">Finished runs</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.workflowId}>
                  <th scope="row">
                    <Link to={`/workflows/${r.workflowId}`}>{r.name}</Link>
                  </th>
                  <td className="mono">{duration(r.p95DurationMs)}</td>
                  <td className="mono">{duration(r.avgDurationMs)}</td>
                  <td>{r.runs}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function FailingTable({ rows }: { rows: FailingWorkflow[] }) {
  return (
    <section className="card" aria-labelledby="dash-failing-title">
      <h2 id="dash-failing-title">Most failing workflows</h2>
      {rows.length === 0 ? (
        <p className="muted">No failed runs in this window.</p>
      ) : (
        <div className="table-wrap">
          <table className="dash-table" aria-labelledby="dash-failing-title">
            <thead>
              <tr>
                <th scope="col">Workflow</th>
                <th scope="col">Failed</th>
                <th scope="col">Failure rate</th>
                <th scope="col">
                  <span className="sr-only">Failed runs</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.workflowId}>
                  <th scope="row">
                    <Link to={`/workflows/${r.workflowId}`}>{r.name}</Link>
                  </th>
                  <td>
                    {r.failed} of {r.runs}
                  </td>
                  <td>{percent(r.failureRate)}</td>
                  <td>
                    <Link to={failedRunsHref(r.workflowId)} aria-label={`Failed runs of ${r.name}`}>
                      Failed runs
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
