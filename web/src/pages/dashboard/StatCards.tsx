import { percent } from '../../lib/format';
import type { Dashboard } from './types';

function Stat({ id, label, value, detail }: { id: string; label: string; value: string; detail?: string }) {
  return (
    <div className="card stat" role="group" aria-labelledby={`stat-${id}-label`} data-testid={`stat-${id}`}>
      <span className="stat-label" id={`stat-${id}-label`}>
        {label}
      </span>
      <span className="stat-value">{value}</span>
      {detail && <span className="muted small">{detail}</span>}
    </div>
  );
}

/** The headline figures of the window, each with its words (never a bare number). */
export function StatCards({ data, windowText }: { data: Dashboard; windowText: string }) {
  const { runs, queue } = data;
  const decided = runs.byStatus.succeeded + runs.byStatus.failed;
  return (
    <div className="grid grid-4 dash-stats">
      <Stat id="workflows" label="Active workflows" value={String(data.activeWorkflows)} detail={`of ${data.totalWorkflows} in total`} />
      <Stat id="runs" label="Runs" value={String(runs.total)} detail={windowText} />
      <Stat
        id="success-rate"
        label="Success rate"
        value={percent(runs.successRate)}
        detail={decided ? `${runs.byStatus.succeeded} of ${decided} finished runs` : 'no finished runs yet'}
      />
      <Stat id="failed" label="Failed runs" value={String(runs.byStatus.failed)} detail={windowText} />
      <Stat
        id="queue"
        label="Queue"
        value={`${queue.waiting} waiting`}
        detail={`${queue.active} active · ${queue.delayed} delayed${queue.complete ? '' : ' (at least: the queue is busy or unreachable)'}`}
      />
    </div>
  );
}
