import type { components } from '../../api/generated/schema';
import { StatusBadge } from '../../components/StatusBadge';
import { duration } from '../../lib/format';
import { JsonBlock } from './JsonBlock';

type Step = components['schemas']['StepResultDto'];
type StepError = components['schemas']['StepErrorDto'];

/** What a step was: the connector and action it called, or its kind (condition, transform). */
function stepKind(step: Step): string {
  return step.type === 'connector' ? `${step.connector ?? '?'} / ${step.action ?? '?'}` : step.type;
}

export function ErrorDetails({ error }: { error: StepError }) {
  return (
    <div className="banner banner-error">
      <div>
        <strong>{error.message}</strong>
        <div className="small">
          {error.code && <>Code {error.code}. </>}
          {error.status !== undefined && <>Upstream status {error.status}. </>}
          {error.step && <>Failed at step “{error.step}”. </>}
          {error.retryable ? 'Another attempt could succeed.' : 'Retrying as is will not help.'}
          {error.retryAfterSeconds !== undefined && <> The upstream asked to wait {error.retryAfterSeconds} s.</>}
        </div>
      </div>
    </div>
  );
}

/**
 * The run's steps in the order they ran: each with its status, duration, the input it was given
 * (templates rendered) and its output or error, collapsed so a long run stays readable.
 */
export function StepList({ steps }: { steps: Step[] }) {
  return (
    <ol className="run-steps" aria-label="Steps">
      {steps.map((step, i) => (
        <li key={`${i}-${step.name}`} className="card run-step" aria-labelledby={`step-${i}-name`}>
          <div className="run-step-head">
            <h3 id={`step-${i}-name`}>
              {i + 1}. {step.name}
            </h3>
            <span className="mono small">{stepKind(step)}</span>
            <StatusBadge status={step.status} />
            <span className="muted small">{duration(step.durationMs)}</span>
          </div>
          {step.skippedReason && <p className="muted small">Skipped: {step.skippedReason}</p>}
          {step.input !== undefined && (
            <details>
              <summary>Input of {step.name}</summary>
              <JsonBlock value={step.input} label={`Input of ${step.name}`} />
            </details>
          )}
          {step.error ? (
            <details open>
              <summary>Error of {step.name}</summary>
              <ErrorDetails error={step.error} />
            </details>
          ) : (
            step.output !== undefined && (
              <details>
                <summary>Output of {step.name}</summary>
                <JsonBlock value={step.output} label={`Output of ${step.name}`} />
              </details>
            )
          )}
        </li>
      ))}
    </ol>
  );
}
