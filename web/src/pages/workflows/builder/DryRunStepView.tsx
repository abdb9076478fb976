import { StatusBadge } from '../../../components/StatusBadge';
import { duration, json } from '../../../lib/format';
import type { DryRunStep } from './model';

/** The last dry run of one step: status, duration, rendered input, output or planned request, error. */
export function DryRunStepView({ result }: { result: DryRunStep }) {
  return (
    <section aria-labelledby="dry-step-title" className="stack dry-step">
      <h3 id="dry-step-title">Last dry run</h3>
      <p>
        <StatusBadge status={result.status} /> <span>{duration(result.durationMs)}</span>
        {result.skippedReason && <span className="muted small"> {result.skippedReason}</span>}
      </p>
      {result.error && (
        <p className="field-error" role="alert">
          {result.error.message}
        </p>
      )}
      {result.input !== undefined && (
        <>
          <h4>Rendered input</h4>
          <pre className="mono small" tabIndex={0} aria-label="Rendered input">
            {json(result.input)}
          </pre>
        </>
      )}
      {result.request !== undefined && (
        <>
          <h4>Planned request (not sent)</h4>
          <pre className="mono small" tabIndex={0} aria-label="Planned request">
            {json(result.request)}
          </pre>
        </>
      )}
      {result.output !== undefined && (
        <>
          <h4>Output</h4>
          <pre className="mono small" tabIndex={0} aria-label="Output" data-testid="dry-run-output">
            {json(result.output)}
          </pre>
        </>
      )}
    </section>
  );
}
