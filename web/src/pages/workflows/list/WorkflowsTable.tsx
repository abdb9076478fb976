import { Link } from 'react-router';
import { StatusBadge } from '../../../components/StatusBadge';
import { dateTime, relativeTime } from '../../../lib/format';
import { ActiveSwitch } from './ActiveSwitch';
import { triggerSummary } from './trigger-summary';
import type { WorkflowListItem } from './types';

export interface WorkflowsTableProps {
  items: WorkflowListItem[];
  /** Ids whose toggle is on its way (their switch waits). */
  toggling: ReadonlySet<string>;
  exporting: string | undefined;
  canWrite: boolean;
  onToggle: (w: WorkflowListItem) => void;
  onExport: (w: WorkflowListItem) => void;
  onDelete: (w: WorkflowListItem) => void;
}

export function WorkflowsTable({ items, toggling, exporting, canWrite, onToggle, onExport, onDelete }: WorkflowsTableProps) {
  return (
    <div className="table-wrap">
      <table className="wf-table">
        <caption className="sr-only">Workflows, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Trigger</th>
            <th scope="col">Active</th>
            <th scope="col">Last run</th>
            <th scope="col">Version</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((w) => {
            const trigger = triggerSummary(w.trigger);
            return (
              <tr key={w.id}>
                <th scope="row">
                  <Link to={`/workflows/${w.id}`}>{w.name}</Link>
                  {w.description && <div className="muted small">{w.description}</div>}
                </th>
                <td>
                  {trigger.type}
                  {trigger.detail && <div className="muted small mono">{trigger.detail}</div>}
                </td>
                <td>
                  <ActiveSwitch
                    name={w.name}
                    active={w.active}
                    busy={toggling.has(w.id)}
                    disabled={!canWrite}
                    onToggle={() => onToggle(w)}
                  />
                </td>
                <td>
                  {w.lastRun ? (
                    <div className="row">
                      <Link to={`/runs/${w.lastRun.executionId}`} title={dateTime(w.lastRun.receivedAt)}>
                        <time dateTime={w.lastRun.receivedAt}>{relativeTime(w.lastRun.receivedAt)}</time>
                      </Link>
                      <StatusBadge status={w.lastRun.status} />
                    </div>
                  ) : (
                    <span className="muted">Never run</span>
                  )}
                </td>
                <td>v{w.version}</td>
                <td>
                  <div className="row">
                    <button
                      type="button"
                      className="btn btn-secondary btn-sm"
                      aria-label={`Export ${w.name}`}
                      disabled={exporting === w.id}
                      onClick={() => onExport(w)}
                    >
                      {exporting === w.id ? 'Exporting…' : 'Export'}
                    </button>
                    {canWrite && (
                      <button type="button" className="btn btn-ghost btn-sm" aria-label={`Delete ${w.name}`} onClick={() => onDelete(w)}>
                        Delete
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
