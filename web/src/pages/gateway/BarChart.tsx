/** One series of a grouped bar chart: its name (legend, tooltips) and its CSS class (colour). */
export interface Series {
  name: string;
  className: string;
  values: number[];
}

const W = 720;
const H = 240;
const PAD = { top: 12, right: 8, bottom: 40, left: 48 };

/**
 * A grouped bar chart in plain SVG. It is a picture for sighted readers (role="img" with a
 * summary); the same numbers are in the table next to it, which is what a screen reader reads.
 * Each bar carries a <title> with its value, and the legend names the series in words.
 */
export function BarChart({ labels, series, title, unit }: { labels: string[]; series: Series[]; title: string; unit: string }) {
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const groupW = plotW / Math.max(1, labels.length);
  const barW = Math.max(1, (groupW * 0.8) / series.length);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  // At most ~12 x labels, so they stay readable on 30 days.
  const every = Math.ceil(labels.length / 12);
  const summary = `${title}: ${labels.length} groups, highest ${Math.round(max * 100) / 100} ${unit}.`;

  return (
    <figure className="stack">
      <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        <line className="axis" x1={PAD.left} y1={PAD.top + plotH} x2={W - PAD.right} y2={PAD.top + plotH} />
        <line className="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={PAD.top + plotH} />
        <text x={PAD.left - 6} y={PAD.top + 10} textAnchor="end">
          {Math.round(max)}
        </text>
        <text x={PAD.left - 6} y={PAD.top + plotH} textAnchor="end">
          0
        </text>
        {labels.map((label, i) => (
          <g key={label}>
            {series.map((s, j) => (
              <rect
                key={s.name}
                className={s.className}
                x={PAD.left + i * groupW + groupW * 0.1 + j * barW}
                y={y(s.values[i] ?? 0)}
                width={barW}
                height={PAD.top + plotH - y(s.values[i] ?? 0)}
              >
                <title>{`${label} · ${s.name}: ${s.values[i] ?? 0} ${unit}`}</title>
              </rect>
            ))}
            {i % every === 0 && (
              <text x={PAD.left + i * groupW + groupW / 2} y={H - PAD.bottom + 16} textAnchor="middle">
                {label.length > 14 ? `${label.slice(0, 13)}…` : label}
              </text>
            )}
          </g>
        ))}
      </svg>
      <figcaption>
        <strong>{title}</strong>
        <ul className="chart-legend">
          {series.map((s) => (
            <li key={s.name}>
              <span className={`swatch ${s.className}`} aria-hidden="true" />
              {s.name}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
