import { useId } from 'react';

/**
 * The hosts a credential may be sent to, one row each (add, remove). Errors come by row
 * (`allowedHosts.2`) or for the list (`allowedHosts`).
 */
export function HostsEditor({
  hosts,
  onChange,
  required,
  errors,
}: {
  hosts: string[];
  onChange: (hosts: string[]) => void;
  required: boolean;
  errors: Record<string, string>;
}) {
  const id = useId();
  const set = (i: number, v: string) => onChange(hosts.map((h, j) => (j === i ? v : h)));
  const listError = errors.allowedHosts;
  return (
    <fieldset className="stack" aria-describedby={`${id}-hint${listError ? ` ${id}-error` : ''}`}>
      <legend>
        Allowed hosts{required && <span aria-hidden="true"> *</span>}
        {required && <span className="sr-only"> (required)</span>}
      </legend>
      <p id={`${id}-hint`} className="field-hint">
        Where this credential may be sent; a call to any other host fails before anything is sent. A host name or IP (
        <code>api.example.com</code>, <code>[::1]</code>), <code>*.example.com</code> for any subdomain, <code>:port</code> for one port
        only (<code>127.0.0.1:8080</code>). {required ? 'Required for generic connectors.' : "Leave empty to use the provider's own hosts."}
      </p>
      {hosts.map((h, i) => {
        const rowError = errors[`allowedHosts.${i}`];
        return (
          <div key={i} className={`row field${rowError ? ' field-invalid' : ''}`}>
            <input
              aria-label={`Allowed host ${i + 1}`}
              aria-invalid={rowError ? true : undefined}
              aria-describedby={rowError ? `${id}-row-${i}` : undefined}
              value={h}
              placeholder="api.example.com"
              onChange={(e) => set(i, e.target.value)}
            />
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              aria-label={`Remove allowed host ${i + 1}`}
              onClick={() => onChange(hosts.filter((_, j) => j !== i))}
            >
              Remove
            </button>
            {rowError && (
              <div id={`${id}-row-${i}`} className="field-error">
                {rowError}
              </div>
            )}
          </div>
        );
      })}
      {listError && (
        <div id={`${id}-error`} className="field-error">
          {listError}
        </div>
      )}
      <div>
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => onChange([...hosts, ''])}>
          Add host
        </button>
      </div>
    </fieldset>
  );
}
