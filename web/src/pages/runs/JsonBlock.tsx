import { json } from '../../lib/format';

/** A JSON value, pretty-printed, in a scrollable block (focusable, so keyboard users can scroll it). */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  return (
    <pre className="run-json mono" tabIndex={0} role="region" aria-label={label}>
      {json(value)}
    </pre>
  );
}
