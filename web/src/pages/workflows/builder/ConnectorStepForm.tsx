import { SchemaForm, type JsonSchema } from '../../../components/SchemaForm';
import { Field } from '../../../components/Field';
import { paramErrors, type Connector, type Credential, type DraftStep } from './model';
import { TemplateInsert } from './TemplateInsert';

/** A connector step: its action's params (from the action's input schema) and its credential. */
export function ConnectorStepForm({
  step,
  connectors,
  credentials,
  errors,
  templates,
  onChange,
}: {
  step: DraftStep;
  connectors: Connector[];
  credentials: Credential[];
  errors: Record<string, string> | undefined;
  templates: string[];
  onChange: (step: DraftStep) => void;
}) {
  const connector = connectors.find((c) => c.key === step.connector);
  const action = connector?.actions.find((a) => a.key === step.action);
  if (!connector || !action) {
    return (
      <p className="banner banner-warning" role="status">
        Unknown connector or action ({step.connector ?? '?'} · {step.action ?? '?'}): delete this step and add it again.
      </p>
    );
  }
  // Credentials for this connector of a kind it accepts; "none" only when the connector may run without one.
  const usable = credentials.filter((c) => c.connectorKey === connector.key && connector.auth.includes(c.authKind));
  const allowsNone = connector.auth.includes('none');
  const insert = (name: string, t: string) => {
    const cur = step.params[name];
    onChange({ ...step, params: { ...step.params, [name]: `${typeof cur === 'string' ? cur : ''}${t}` } });
  };
  return (
    <div className="stack">
      <p className="small">
        {action.description}{' '}
        {action.sideEffects ? (
          <span className="badge badge-warning">side effects</span>
        ) : (
          <span className="badge badge-neutral">read-only</span>
        )}
      </p>
      <Field
        label="Credential"
        error={errors?.credentialId}
        hint={
          usable.length === 0
            ? `No credential for ${connector.name} yet${allowsNone ? ' (it can run without one)' : ''}: add one on the Connections page.`
            : undefined
        }
      >
        {(a) => (
          <select {...a} value={step.credentialId ?? ''} onChange={(e) => onChange({ ...step, credentialId: e.target.value || undefined })}>
            <option value="">{allowsNone ? 'None' : '— choose a credential —'}</option>
            {usable.map((c) => (
              <option key={c.id} value={c.id} disabled={c.usable === false}>
                {c.name} ({c.authKind}){c.usable === false ? ' — not usable yet' : ''}
              </option>
            ))}
          </select>
        )}
      </Field>
      <h3>Parameters</h3>
      {errors?.params && (
        <p className="field-error" role="alert">
          {errors.params}
        </p>
      )}
      <SchemaForm
        schema={action.input as JsonSchema}
        value={step.params}
        onChange={(params) => onChange({ ...step, params })}
        errors={paramErrors(errors)}
        hintFor={(name, s) =>
          // Templates go into text and number fields; JSON fields (objects, arrays) are typed by hand.
          !s.enum && ['string', 'integer', 'number'].includes(String(s.type)) ? (
            <TemplateInsert field={name} templates={templates} onInsert={(t) => insert(name, t)} />
          ) : null
        }
      />
    </div>
  );
}
