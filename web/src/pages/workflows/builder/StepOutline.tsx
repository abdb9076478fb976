import { memo } from 'react';
import { StatusBadge } from '../../../components/StatusBadge';
import { TRIGGER_ID, type DraftStep, type DryRunStep } from './model';

interface Props {
  steps: DraftStep[];
  selected: string | undefined;
  errorCounts: Record<string, number>;
  results: Record<string, DryRunStep>;
  onSelect: (uid: string) => void;
  onMove: (index: number, delta: -1 | 1) => void;
  onDelete: (uid: string) => void;
  /** Opens "Add step" to insert at this index. */
  onAdd: (at: number) => void;
}

/**
 * The keyboard path through the builder: every step in order with its actions, doing all the
 * graph does. Step buttons are named after their step ("Edit fetch") so each is unique.
 */
export const StepOutline = memo(function StepOutline({ steps, selected, errorCounts, results, onSelect, onMove, onDelete, onAdd }: Props) {
  return (
    <nav aria-labelledby="outline-title" className="builder-outline card">
      <h2 id="outline-title">Step outline</h2>
      <button
        type="button"
        className={`btn btn-ghost btn-sm${selected === TRIGGER_ID ? ' is-selected' : ''}`}
        aria-pressed={selected === TRIGGER_ID}
        onClick={() => onSelect(TRIGGER_ID)}
      >
        Edit trigger
      </button>
      {steps.length === 0 && <p className="muted small">No steps yet: add the first one.</p>}
      <ol aria-label="Steps" className="outline-list">
        {steps.map((s, i) => {
          const errors = errorCounts[s.uid] ?? 0;
          const result = results[s.name];
          return (
            <li key={s.uid} className={`outline-item${selected === s.uid ? ' is-selected' : ''}${errors ? ' has-errors' : ''}`}>
              <div className="outline-title">
                <span className="mono">
                  {i + 1}. {s.name}
                </span>{' '}
                <span className="muted small">{s.type === 'connector' ? `${s.connector ?? '?'} · ${s.action ?? '?'}` : s.type}</span>
                {errors > 0 && (
                  <span className="badge badge-danger">
                    {errors} {errors === 1 ? 'error' : 'errors'}
                  </span>
                )}
                {result && <StatusBadge status={result.status} />}
              </div>
              <div className="outline-actions">
                <button
                  type="button"
                  className="btn btn-secondary btn-sm"
                  aria-pressed={selected === s.uid}
                  aria-label={`Edit ${s.name}`}
                  onClick={() => onSelect(s.uid)}
                >
                  Edit
                </button>
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  aria-label={`Move up ${s.name}`}
                  disabled={i === 0}
                  onClick={() => onMove(i, -1)}
                >
                  Move up
                </button>
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  aria-label={`Move down ${s.name}`}
                  disabled={i === steps.length - 1}
                  onClick={() => onMove(i, 1)}
                >
                  Move down
                </button>
                <button type="button" className="btn btn-ghost btn-sm" aria-label={`Delete ${s.name}`} onClick={() => onDelete(s.uid)}>
                  Delete
                </button>
                <button type="button" className="btn btn-ghost btn-sm" aria-label={`Add step after ${s.name}`} onClick={() => onAdd(i + 1)}>
                  Add step after
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      <button type="button" className="btn btn-secondary" onClick={() => onAdd(steps.length)}>
        Add step
      </button>
    </nav>
  );
});
