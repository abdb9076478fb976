import type { JsonSchema } from '../../components/SchemaForm';
import { json } from '../../lib/format';
import type { ConnectorAction } from './connector-search';
import { InputFieldsTable } from './InputFieldsTable';

/** One action of a connector: what it does, whether it changes anything, its inputs and sample output. */
export function ActionDetail({ action: a, connectorName }: { action: ConnectorAction; connectorName: string }) {
  const titleId = `action-${a.key}`;
  return (
    <section className="card connector-action" aria-labelledby={titleId}>
      <div className="row connector-action-head">
        <h4 id={titleId}>{a.name}</h4>
        <span className="mono small">{a.key}</span>
        {a.sideEffects ? (
          <span className="badge badge-warning">Side effects</span>
        ) : (
          <span className="badge badge-success">No side effects</span>
        )}
        {a.readOnly && <span className="badge badge-info">Read-only</span>}
      </div>
      <p>{a.description}</p>
      {a.sideEffectsRule && (
        <p className="small">
          <span className="muted">Side effects rule: </span>
          {a.sideEffectsRule}
        </p>
      )}
      <h5>Input</h5>
      <InputFieldsTable schema={a.input as JsonSchema} caption={`Input fields of ${connectorName} ${a.name}`} />
      {a.sampleOutput !== undefined && (
        <details>
          <summary>Sample output of {a.name}</summary>
          <pre className="mono connector-json" tabIndex={0} role="region" aria-label={`Sample output of ${a.name}`}>
            {json(a.sampleOutput)}
          </pre>
        </details>
      )}
    </section>
  );
}
