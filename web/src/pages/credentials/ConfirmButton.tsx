import { useState } from 'react';

/**
 * A destructive button that asks first, in place: the first press shows the question and a
 * "Confirm" / "Cancel" pair (no modal to trap focus in; the question is announced).
 */
export function ConfirmButton({
  label,
  text,
  question,
  confirmLabel,
  busy,
  onConfirm,
}: {
  /** The button's accessible name, e.g. "Delete Slack bot". */
  label: string;
  /** Its visible text when shorter than `label` ("Delete"); the label stays its accessible name. */
  text?: string;
  question: string;
  confirmLabel: string;
  busy?: boolean;
  onConfirm: () => void;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="btn btn-ghost btn-sm" aria-label={text ? label : undefined} onClick={() => setAsking(true)}>
        {text ?? label}
      </button>
    );
  }
  return (
    <span className="row" role="group" aria-label={question}>
      <span className="small" role="status">
        {question}
      </span>
      <button type="button" className="btn btn-danger btn-sm" disabled={busy} onClick={onConfirm}>
        {busy ? 'Working…' : confirmLabel}
      </button>
      <button type="button" className="btn btn-secondary btn-sm" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
