import { relativeTime } from '../../lib/format';
import { WINDOWS, type WindowHours } from './types';
import { useNow } from './use-now';

interface Props {
  hours: WindowHours;
  onHours: (hours: WindowHours) => void;
  paused: boolean;
  onTogglePaused: () => void;
  generatedAt: string | undefined;
  refreshing: boolean;
}

/** The window picker, the live-update toggle and when the figures were computed. */
export function LiveControls({ hours, onHours, paused, onTogglePaused, generatedAt, refreshing }: Props) {
  const now = useNow();
  return (
    <>
      <label className="dash-window">
        <span>Window</span>
        <select value={hours} onChange={(e) => onHours(Number(e.target.value) as WindowHours)}>
          {WINDOWS.map((w) => (
            <option key={w.hours} value={w.hours}>
              {w.label}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="btn btn-secondary btn-sm" aria-pressed={paused} onClick={onTogglePaused}>
        {paused ? 'Resume live updates' : 'Pause live updates'}
      </button>
      {/* Polite: a screen reader hears the new time without being interrupted every 10 s. */}
      <span className="muted small" data-testid="dashboard-updated" aria-live="polite">
        {generatedAt ? `Updated ${relativeTime(generatedAt, Math.max(now, Date.parse(generatedAt)))}` : ''}
        {paused ? ' · paused' : refreshing ? ' · refreshing…' : ''}
      </span>
    </>
  );
}
