import { useId } from 'react';
import { formatIn } from './schedule-units';

/** The next fire times, each on the schedule's wall clock and in UTC. */
export function FireTimes({
  fireTimes,
  timeZone,
  loading,
  count,
}: {
  fireTimes: string[] | undefined;
  timeZone: string;
  loading: boolean;
  count: number;
}) {
  const headingId = useId();
  const title = `Next ${count} fire times`;
  return (
    <section aria-labelledby={headingId} aria-busy={loading || undefined}>
      <h3 id={headingId}>{title}</h3>
      {!fireTimes && loading && (
        <p className="muted small" role="status">
          Computing…
        </p>
      )}
      {fireTimes && fireTimes.length === 0 && <p className="muted small">This schedule never fires.</p>}
      {fireTimes && fireTimes.length > 0 && (
        <ol className="wf-fire-times" aria-label={title}>
          {fireTimes.map((iso) => (
            <li key={iso}>
              <time dateTime={iso}>{formatIn(iso, timeZone)}</time>
              {timeZone !== 'UTC' && <span className="muted small"> ({formatIn(iso, 'UTC')})</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
