import { useState, type FormEvent } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/generated/schema';
import { CopyButton } from '../../components/CopyButton';
import { ErrorBanner, Notice } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { SchemaForm } from '../../components/SchemaForm';
import { useAction } from '../../lib/use-api';
import { PATTERN_OPTIONS, PATTERNS, type UseCase } from './pattern-options';

type Workflow = components['schemas']['WorkflowDto'];
type ApplyResult = components['schemas']['KongApplyResultDto'];
type ApplyOptions = NonNullable<components['schemas']['ApplyKongTemplateDto']['options']>;

/** Errors the API names as `options.<name>`, keyed by option name for the options form. */
function optionErrors(fieldErrors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(fieldErrors))
    if (field.startsWith('options.')) out[field.slice('options.'.length)] = message;
  return out;
}

/** "Apply a pattern": a gateway pattern put in front of one of the tenant's workflows. */
export function ApplyPattern({ workflows, onApplied }: { workflows: Workflow[]; onApplied: () => void }) {
  const [useCase, setUseCase] = useState<UseCase>('webhook_handler');
  const [workflowId, setWorkflowId] = useState('');
  const [options, setOptions] = useState<Record<string, unknown>>({});
  const [result, setResult] = useState<ApplyResult>();
  const apply = useAction(async () => {
    setResult(undefined);
    // The generated type marks defaulted options as required; the API fills in what is left
    // empty (and names any option it refuses), so the form sends only what was entered.
    const r = await call(
      api.POST('/api/kong/templates', { body: { workflow_id: workflowId, use_case: useCase, options: options as ApplyOptions } }),
    );
    setResult(r);
    onApplied();
  });
  const fieldErrors = apply.error?.fieldErrors ?? {};
  const pattern = PATTERNS.find((p) => p.value === useCase);
  const unnamed = apply.error && !fieldErrors['workflow_id'] && Object.keys(optionErrors(fieldErrors)).length === 0;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void apply.run();
  };

  return (
    <section className="card stack" aria-labelledby="apply-heading">
      <h2 id="apply-heading">Apply a pattern</h2>
      <form className="form" onSubmit={submit} noValidate>
        <div className="inline-fields">
          <Field label="Pattern" hint={pattern?.description} error={fieldErrors['use_case']}>
            {(props) => (
              <select
                {...props}
                value={useCase}
                onChange={(e) => {
                  setUseCase(e.target.value as UseCase);
                  setOptions({});
                }}
              >
                {PATTERNS.map((p) => (
                  <option key={p.value} value={p.value}>
                    {p.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Workflow" error={fieldErrors['workflow_id']} required>
            {(props) => (
              <select {...props} value={workflowId} onChange={(e) => setWorkflowId(e.target.value)}>
                <option value="">Choose a workflow…</option>
                {workflows.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <fieldset className="stack">
          <legend>Options ({pattern?.label}); empty fields take their defaults</legend>
          <SchemaForm
            schema={PATTERN_OPTIONS[useCase]}
            value={options}
            onChange={setOptions}
            errors={optionErrors(fieldErrors)}
            disabled={apply.busy}
          />
        </fieldset>
        <div className="row">
          <button type="submit" className="btn" disabled={apply.busy || !workflowId}>
            {apply.busy ? 'Applying…' : 'Apply pattern'}
          </button>
        </div>
      </form>
      {unnamed && <ErrorBanner error={apply.error} onDismiss={apply.clearError} />}
      {result && (
        <Notice tone="success">
          {result.created ? 'Applied' : 'Already applied (nothing new was made)'}: <span className="mono">{result.path}</span> at Kong’s
          proxy.
        </Notice>
      )}
      {result?.credentials && <OneTimeCredentials credentials={result.credentials} />}
    </section>
  );
}

/** federated_security's generated credential: shown once, Flowgate cannot show it again. */
function OneTimeCredentials({ credentials }: { credentials: components['schemas']['KongOneTimeCredentialsDto'] }) {
  const entries = Object.entries(credentials).filter((e): e is [string, string] => typeof e[1] === 'string');
  return (
    <div className="banner banner-warning" role="status">
      <p>Copy these now: they are shown only once.</p>
      <dl>
        {entries.map(([k, v]) => (
          <div key={k} className="row">
            <dt>{k}</dt>
            <dd className="mono">{v}</dd>
            <CopyButton value={v} label={`Copy ${k}`} />
          </div>
        ))}
      </dl>
    </div>
  );
}
