import { useEffect, useState } from 'react';
import { Field } from '../../../components/Field';
import { Loading } from '../../../components/Loading';
import { ConditionForm } from './ConditionForm';
import { ConnectorStepForm } from './ConnectorStepForm';
import { DryRunStepView } from './DryRunStepView';
import { STEP_NAME_PATTERN, type Connector, type Credential, type DraftStep, type DryRunStep } from './model';
import { TransformForm } from './TransformForm';

/** The side panel for one step: its name (rename keeps references), its kind's form, its last dry run. */
export function StepPanel({
  step,
  index,
  steps,
  connectors,
  connectorsLoading,
  credentials,
  errors,
  templates,
  result,
  onChange,
  onRename,
}: {
  step: DraftStep;
  index: number;
  steps: DraftStep[];
  connectors: Connector[];
  connectorsLoading: boolean;
  credentials: Credential[];
  errors: Record<string, string> | undefined;
  templates: string[];
  result: DryRunStep | undefined;
  onChange: (step: DraftStep) => void;
  onRename: (name: string) => void;
}) {
  // The name is applied when valid and unique; what is typed meanwhile stays in the box.
  const [name, setName] = useState(step.name);
  useEffect(() => setName(step.name), [step.uid, step.name]);
  const localError = !STEP_NAME_PATTERN.test(name)
    ? 'Start with a letter; letters, digits, "_" and "-" only (at most 64)'
    : steps.some((s) => s.uid !== step.uid && s.name === name)
      ? 'Another step already has this name'
      : undefined;
  const later = steps.slice(index + 1).map((s) => s.name);
  const stepLevel = errors?.step ?? errors?.connector ?? errors?.action ?? errors?.type;

  return (
    <section className="stack" aria-labelledby="panel-title">
      <h2 id="panel-title">
        Step {index + 1}: {step.name}
      </h2>
      <p className="muted small">{step.type === 'connector' ? `${step.connector} · ${step.action}` : step.type}</p>
      {stepLevel && (
        <p className="field-error" role="alert">
          {stepLevel}
        </p>
      )}
      <Field label="Step name" error={localError ?? errors?.name} required>
        {(a) => (
          <input
            {...a}
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              const v = e.target.value;
              if (STEP_NAME_PATTERN.test(v) && !steps.some((s) => s.uid !== step.uid && s.name === v)) onRename(v);
            }}
          />
        )}
      </Field>
      {step.type === 'connector' && connectorsLoading && <Loading label="Loading the connector's parameters…" />}
      {step.type === 'connector' && !connectorsLoading && (
        <ConnectorStepForm
          step={step}
          connectors={connectors}
          credentials={credentials}
          errors={errors}
          templates={templates}
          onChange={onChange}
        />
      )}
      {step.type === 'transform' && <TransformForm step={step} errors={errors} templates={templates} onChange={onChange} />}
      {step.type === 'condition' && <ConditionForm step={step} later={later} errors={errors} templates={templates} onChange={onChange} />}
      {result && <DryRunStepView result={result} />}
    </section>
  );
}
