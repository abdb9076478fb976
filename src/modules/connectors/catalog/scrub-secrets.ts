import { scrubDetails, scrubText } from '../../../core/secrets';
import { ConnectorError } from '../connector.types';

/**
 * The same error with every secret value removed from its message and details (the shared
 * scrubbers of core/secrets: the credential's own values, and secret-named fields in details).
 */
export function scrubError(err: ConnectorError, secrets: Record<string, string> | undefined): ConnectorError {
  const message = scrubText(err.message, secrets);
  const details = scrubDetails(err.details, secrets);
  if (message === err.message && details === err.details) return err;
  return new ConnectorError(message, {
    retryable: err.retryable,
    upstreamStatus: err.upstreamStatus,
    ...(err.stepStatus !== undefined && err.upstreamStatus === undefined ? { status: err.stepStatus } : {}),
    code: err.stepCode,
    retryAfterSeconds: err.retryAfterSeconds,
    details,
  });
}
