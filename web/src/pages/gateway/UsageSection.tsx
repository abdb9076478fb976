import { useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/generated/schema';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { EmptyState, Loading } from '../../components/Loading';
import { percent } from '../../lib/format';
import { useApi } from '../../lib/use-api';
import { BarChart } from './BarChart';

type GroupBy = components['schemas']['UsageReportDto']['groupBy'];
const DAY_MS = 86_400_000;

/** Usage Kong metered (usage_tracking deployments): requests and latency percentiles. */
export function UsageSection() {
  const [days, setDays] = useState(7);
  const [groupBy, setGroupBy] = useState<GroupBy>('day');
  const usage = useApi(() => {
    // Whole UTC days: today included, `days` days in all.
    const to = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS);
    const from = new Date(to.getTime() - days * DAY_MS);
    return call(api.GET('/api/usage', { params: { query: { from: from.toISOString(), to: to.toISOString(), groupBy } } }));
  }, [days, groupBy]);
  const report = usage.data;
  const groups = report?.groups ?? [];
  const labels = groups.map((g) => g.key);

  return (
    <section className="card stack" aria-labelledby="usage-heading">
      <h2 id="usage-heading">Usage</h2>
      <div className="inline-fields">
        <Field label="Range">
          {(props) => (
            <select {...props} value={days} onChange={(e) => setDays(Number(e.target.value))}>
              <option value={7}>Last 7 days</option>
              <option value={30}>Last 30 days</option>
            </select>
          )}
        </Field>
        <Field label="Group by">
          {(props) => (
            <select {...props} value={groupBy} onChange={(e) => setGroupBy(e.target.value as GroupBy)}>
              <option value="day">Day</option>
              <option value="consumer">Consumer</option>
              <option value="route">Route</option>
            </select>
          )}
        </Field>
      </div>
      <ErrorBanner error={usage.error} />
      {!report && usage.loading && <Loading label="Loading usage…" />}
      {report && (
        <p className="muted">
          {report.totals.requests} requests, {report.totals.errors} errors (
          {percent(report.totals.requests ? report.totals.errors / report.totals.requests : null)}), latency p50{' '}
          {report.totals.latencyMs.p50} ms · p95 {report.totals.latencyMs.p95} ms · p99 {report.totals.latencyMs.p99} ms.
        </p>
      )}
      {report && groups.length === 0 && (
        <EmptyState title="No usage in this range.">
          <p className="muted">Usage is metered for workflows with the Usage tracking pattern applied.</p>
        </EmptyState>
      )}
      {groups.length > 0 && (
        <>
          <div className="grid grid-2">
            <BarChart
              title="Requests"
              unit="requests"
              labels={labels}
              series={[
                { name: 'Requests', className: 'bar-requests', values: groups.map((g) => g.requests) },
                { name: 'Errors (4xx/5xx)', className: 'bar-errors', values: groups.map((g) => g.errors) },
              ]}
            />
            <BarChart
              title="Latency"
              unit="ms"
              labels={labels}
              series={[
                { name: 'p50', className: 'bar-p50', values: groups.map((g) => g.latencyMs.p50) },
                { name: 'p95', className: 'bar-p95', values: groups.map((g) => g.latencyMs.p95) },
                { name: 'p99', className: 'bar-p99', values: groups.map((g) => g.latencyMs.p99) },
              ]}
            />
          </div>
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">Usage by {groupBy}</caption>
              <thead>
                <tr>
                  <th scope="col">{groupBy === 'day' ? 'Day' : groupBy === 'consumer' ? 'Consumer' : 'Route'}</th>
                  <th scope="col">Requests</th>
                  <th scope="col">Errors</th>
                  <th scope="col">p50 (ms)</th>
                  <th scope="col">p95 (ms)</th>
                  <th scope="col">p99 (ms)</th>
                </tr>
              </thead>
              <tbody>
                {groups.map((g) => (
                  <tr key={g.key}>
                    <th scope="row">{g.key}</th>
                    <td>{g.requests}</td>
                    <td>{g.errors}</td>
                    <td>{g.latencyMs.p50}</td>
                    <td>{g.latencyMs.p95}</td>
                    <td>{g.latencyMs.p99}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
