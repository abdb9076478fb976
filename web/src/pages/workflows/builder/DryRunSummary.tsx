import { StatusBadge } from '../../../components/StatusBadge';
import { duration } from '../../../lib/format';
import type { DryRunResult } from './model';

/** The last dry run's overall result, in words. */
export function DryRunSummary({ result }: { result: DryRunResult }) {
  return (
    <div className={`banner banner-${result.status === 'succeeded' ? 'success' : 'error'}`} role="status" data-testid="dry-run-result">
      <span>
        Dry run <StatusBadge status={result.status} /> in {duration(result.durationMs)} (version {result.workflowVersion}
        {result.planned > 0 ? `; ${result.planned} planned, not sent` : ''})
        {result.error ? `: ${result.error.step ? `${result.error.step}: ` : ''}${result.error.message}` : '.'}
      </span>
    </div>
  );
}
