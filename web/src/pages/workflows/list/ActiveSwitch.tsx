/**
 * The active state as a switch: the label says whose it is, the visible word says the state
 * (not the colour alone).
 */
export function ActiveSwitch({
  name,
  active,
  busy,
  disabled,
  onToggle,
}: {
  name: string;
  active: boolean;
  busy: boolean;
  disabled?: boolean;
  onToggle: () => void;
}) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={active}
      aria-label={`Active: ${name}`}
      aria-busy={busy || undefined}
      // While saving, the switch keeps its focus (a disabled button would drop it) and ignores presses.
      aria-disabled={busy || undefined}
      className="wf-switch"
      disabled={disabled}
      onClick={() => {
        if (!busy) onToggle();
      }}
    >
      <span className="wf-switch-track" aria-hidden="true">
        <span className="wf-switch-thumb" />
      </span>
      <span className="wf-switch-text" aria-hidden="true">
        {active ? 'On' : 'Off'}
      </span>
    </button>
  );
}
