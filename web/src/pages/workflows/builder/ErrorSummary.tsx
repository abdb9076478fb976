import type { PlacedErrors } from './model';

/** The API's 400 problems as a list; a step's problem is a button that selects that step. */
export function ErrorSummary({
  errors,
  stepName,
  onSelect,
}: {
  errors: PlacedErrors;
  stepName: (uid: string) => string | undefined;
  onSelect: (uid: string) => void;
}) {
  if (errors.list.length === 0) return null;
  return (
    <section className="banner banner-error error-summary" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">
        {errors.list.length} {errors.list.length === 1 ? 'problem' : 'problems'} to fix before saving
      </h2>
      <ul>
        {errors.list.map((p, i) => (
          <li key={i}>
            {p.uid ? (
              <button type="button" className="btn btn-ghost btn-sm" onClick={() => onSelect(p.uid!)}>
                {stepName(p.uid) ?? p.field ?? 'Workflow'}
                {p.at ? ` (${p.at})` : ''}: {p.message}
              </button>
            ) : (
              <span>
                {p.field ? <span className="mono">{p.field}</span> : null}
                {p.field ? ': ' : ''}
                {p.message}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
