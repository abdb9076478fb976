import { Link } from 'react-router';
import type { JsonSchema } from '../../components/SchemaForm';
import { useSession } from '../../session/SessionContext';
import { ActionDetail } from './ActionDetail';
import type { Connector } from './connector-search';

/** The secret field names of a credential kind's schema (never any value). */
function secretFields(schema: Record<string, unknown>): { name: string; required: boolean }[] {
  const s = schema as JsonSchema;
  const required = new Set(s.required ?? []);
  return Object.keys(s.properties ?? {}).map((name) => ({ name, required: required.has(name) }));
}

/** A connector in full: its credential kinds and every action a step can call. */
export function ConnectorDetail({ connector: c }: { connector: Connector }) {
  const kinds = Object.entries(c.credentialSchemas);
  // Only owners and admins store credentials: a member is not offered a page that would refuse them.
  const { can } = useSession();
  return (
    <section className="connector-detail" aria-labelledby="connector-detail-title">
      <div className="card">
        <h2 id="connector-detail-title">{c.name}</h2>
        <p className="mono small">{c.key}</p>
        <p>{c.description}</p>
        <div className="row">
          {can('credentials.write') && kinds.length > 0 && (
            <Link className="btn" to={`/connections?connector=${encodeURIComponent(c.key)}`}>
              Create a connection
            </Link>
          )}
          {c.docsUrl && (
            <a href={c.docsUrl} target="_blank" rel="noreferrer noopener">
              {c.name} API documentation <span className="sr-only">(opens in a new tab)</span>
            </a>
          )}
        </div>
        {c.baseUrlSetting && (
          <p className="small muted">
            An operator can point it to another base URL with the <code>{c.baseUrlSetting}</code> setting.
          </p>
        )}
        {c.defaultHosts && c.defaultHosts.length > 0 && (
          <p className="small muted">Credentials are sent only to: {c.defaultHosts.join(', ')}.</p>
        )}

        <h3>Credential kinds</h3>
        <p className="small">
          Accepted: {c.auth.join(', ')}
          {c.auth.includes('none') && ' (“none”: it can run without a credential)'}.
        </p>
        {kinds.length === 0 ? (
          <p className="muted small">No credential to store for this connector.</p>
        ) : (
          <ul className="connector-kinds">
            {kinds.map(([kind, schema]) => {
              const fields = secretFields(schema);
              return (
                <li key={kind}>
                  <strong>{kind}</strong>:{' '}
                  {fields.length === 0
                    ? 'no secret field'
                    : fields.map((f, i) => (
                        <span key={f.name}>
                          {i > 0 && ', '}
                          <code>{f.name}</code>
                          {f.required ? '' : ' (optional)'}
                        </span>
                      ))}
                </li>
              );
            })}
          </ul>
        )}
      </div>

      <h3 className="connector-actions-title">Actions ({c.actions.length})</h3>
      {c.actions.length === 0 ? (
        <p className="muted">This connector has no step action: it is used by a trigger or a credential only.</p>
      ) : (
        <div className="stack">
          {c.actions.map((a) => (
            <ActionDetail key={a.key} action={a} connectorName={c.name} />
          ))}
        </div>
      )}
    </section>
  );
}
