import type { HourBucket } from './types';

const HEIGHT = 120;
const BAR_GAP = 1;

/** With the weekday: a 24 h window starts and ends at the same hour of two days. */
const hourLabel = (iso: string) => new Date(iso).toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });

/**
 * Runs per hour as stacked bars (succeeded at the bottom, then failed, then other), hand-made
 * SVG: a chart library would cost more than the whole page. The SVG is one image with a
 * summary for screen readers; the hours with runs are also in a visually hidden table.
 */
export function RunsPerHourChart({ hours, windowText }: { hours: HourBucket[]; windowText: string }) {
  const totals = hours.map((h) => h.succeeded + h.failed + h.other);
  const max = Math.max(1, ...totals);
  const sum = totals.reduce((a, b) => a + b, 0);
  const busiest = hours[totals.indexOf(Math.max(...totals))];
  const width = Math.max(hours.length * 6, 240);
  const barW = width / Math.max(hours.length, 1) - BAR_GAP;
  const y = (n: number) => (n / max) * HEIGHT;
  const summary = sum
    ? `Runs per hour, ${windowText}: ${sum} runs in total, at most ${max} in one hour${busiest ? ` (${hourLabel(busiest.hour)})` : ''}.`
    : `Runs per hour, ${windowText}: no runs.`;
  const withRuns = hours.filter((_, i) => totals[i] > 0);

  return (
    <section className="card" aria-labelledby="dash-hourly-title">
      <h2 id="dash-hourly-title">Runs per hour</h2>
      <svg className="dash-chart" viewBox={`0 0 ${width} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={summary}>
        {hours.map((h, i) => {
          const x = i * (barW + BAR_GAP);
          const ok = y(h.succeeded);
          const ko = y(h.failed);
          const other = y(h.other);
          return (
            <g key={h.hour}>
              <rect className="dash-succeeded" x={x} width={barW} y={HEIGHT - ok} height={ok} />
              <rect className="dash-failed" x={x} width={barW} y={HEIGHT - ok - ko} height={ko} />
              <rect className="dash-other" x={x} width={barW} y={HEIGHT - ok - ko - other} height={other} />
            </g>
          );
        })}
      </svg>
      <div className="row small muted dash-axis" aria-hidden="true">
        <span>{hours[0] ? hourLabel(hours[0].hour) : ''}</span>
        <span className="spacer" />
        <span>{hours.length ? hourLabel(hours[hours.length - 1].hour) : ''}</span>
      </div>
      {/* Colour is not the only key: the legend names each series and its place in the stack. */}
      <ul className="dash-legend small" aria-hidden="true">
        <li>
          <span className="dash-swatch dash-succeeded" /> Succeeded (bottom)
        </li>
        <li>
          <span className="dash-swatch dash-failed" /> Failed (middle)
        </li>
        <li>
          <span className="dash-swatch dash-other" /> Queued, running or cancelled (top)
        </li>
      </ul>
      <table className="sr-only">
        <caption>Runs per hour, {windowText} (hours without runs are left out)</caption>
        <thead>
          <tr>
            <th scope="col">Hour</th>
            <th scope="col">Succeeded</th>
            <th scope="col">Failed</th>
            <th scope="col">Other</th>
          </tr>
        </thead>
        <tbody>
          {withRuns.map((h) => (
            <tr key={h.hour}>
              <th scope="row">{hourLabel(h.hour)}</th>
              <td>{h.succeeded}</td>
              <td>{h.failed}</td>
              <td>{h.other}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
