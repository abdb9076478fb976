import { ConnectorError } from './connector-error';
import { ResponseTooLargeError } from './read-capped-body';
import { BlockedAddressError } from './ssrf-guard';

/** Why a request was aborted by the client itself (as opposed to a network failure). */
export type AbortCause = { kind: 'timeout'; ms: number } | { kind: 'connect-timeout'; ms: number } | { kind: 'cancelled' };

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/**
 * Turns whatever a request failed with into a ConnectorError the user can act on. Messages name
 * the host only: paths and query strings can carry secrets (webhook tokens, API keys).
 */
export function toConnectorError(err: unknown, host: string, cause?: AbortCause): ConnectorError {
  if (err instanceof ConnectorError) return err;
  if (cause?.kind === 'timeout') {
    return new ConnectorError(`Request to ${host} timed out after ${cause.ms} ms`, { retryable: true, code: 'TIMEOUT' });
  }
  if (cause?.kind === 'connect-timeout') {
    return new ConnectorError(`Could not connect to ${host} within ${cause.ms} ms`, { retryable: true, code: 'CONNECT_TIMEOUT' });
  }
  if (cause?.kind === 'cancelled') {
    return new ConnectorError(`Request to ${host} was cancelled`, { retryable: true, code: 'CANCELLED' });
  }
  if (err instanceof BlockedAddressError) return new ConnectorError(err.message, { retryable: false, code: err.code });
  if (err instanceof ResponseTooLargeError) {
    return new ConnectorError(`Response from ${host} is larger than the ${formatBytes(err.limit)} limit (OUTBOUND_MAX_RESPONSE_BYTES)`, {
      retryable: false,
      code: 'RESPONSE_TOO_LARGE',
    });
  }
  const code = (err as NodeJS.ErrnoException)?.code ?? '';
  switch (code) {
    case 'ECONNREFUSED':
      return new ConnectorError(`Could not connect to ${host}: connection refused`, { retryable: true, code: 'CONNECTION_REFUSED' });
    case 'ENOTFOUND':
      return new ConnectorError(`Could not resolve host ${host}`, { retryable: false, code: 'DNS_NOT_FOUND' });
    case 'EAI_AGAIN':
      return new ConnectorError(`Could not resolve host ${host} (temporary DNS failure)`, { retryable: true, code: 'DNS_TEMPORARY' });
    case 'ECONNRESET':
    case 'EPIPE':
      return new ConnectorError(`Connection to ${host} was closed unexpectedly`, { retryable: true, code: 'CONNECTION_RESET' });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new ConnectorError(`Host ${host} is unreachable`, { retryable: true, code: 'UNREACHABLE' });
  }
  if (/^(CERT_|ERR_TLS|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_SSL)/.test(code)) {
    return new ConnectorError(`TLS error talking to ${host} (${code})`, { retryable: false, code: 'TLS_ERROR' });
  }
  return new ConnectorError(`Request to ${host} failed (${code || 'network error'})`, { retryable: true, code: 'NETWORK_ERROR' });
}
