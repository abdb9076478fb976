import { Link } from 'react-router';
import type { Connector } from './connector-search';

/** One connector in the catalogue: what it is, how it authenticates, and a way to its actions. */
export function ConnectorCard({ connector: c }: { connector: Connector }) {
  const titleId = `connector-${c.key}`;
  return (
    <article className="card connector-card" aria-labelledby={titleId}>
      <h2 id={titleId}>{c.name}</h2>
      <p className="mono small">{c.key}</p>
      <p>{c.description}</p>
      <p className="small">
        <span className="muted">Auth: </span>
        {c.auth.map((kind) => (
          <span key={kind} className="badge badge-neutral connector-badge">
            {kind}
          </span>
        ))}
      </p>
      <p className="small muted">
        {c.actions.length} {c.actions.length === 1 ? 'action' : 'actions'}
      </p>
      <div className="row">
        <Link className="btn btn-secondary btn-sm" to={`/connectors?key=${encodeURIComponent(c.key)}`}>
          View details<span className="sr-only"> of {c.name}</span>
        </Link>
        {c.docsUrl && (
          <a className="small" href={c.docsUrl} target="_blank" rel="noreferrer noopener">
            API docs<span className="sr-only"> of {c.name} (opens in a new tab)</span>
          </a>
        )}
      </div>
    </article>
  );
}
