import { DomainError, DomainErrorOptions } from '../errors/domain-error';

export interface ConnectorErrorOptions {
  retryable: boolean;
  /** The provider's HTTP status, when it answered. */
  upstreamStatus?: number;
  /**
   * What Flowgate answers if this error reaches a request unmapped (DomainError's `status`).
   * Defaults to the provider's status when it answered, else one that fits `code` (400 bad
   * params, 504 timeout, 500 connector bug, 502 otherwise).
   */
  status?: number;
  /** The provider's own code (`rateLimited`, `21211`) or Flowgate's (`TIMEOUT`, `INVALID_PARAMS`). */
  code?: string;
  retryAfterSeconds?: number;
  /** Structured detail from the provider (a SOAP fault, field errors): any JSON, free of secrets. */
  details?: unknown;
}

/** The code of a failure that names none of its own. */
export const CONNECTOR_ERROR_CODE = 'CONNECTOR_ERROR';

/**
 * The default answer status. While the provider answered, that is still its status: the
 * engine's step errors, the Kong bridge and the connector specs read `status` as the
 * provider's. Code that means the provider's status reads `upstreamStatus`, which is never
 * anything else (and absent when the provider did not answer).
 */
function defaultStatus(upstreamStatus: number | undefined, code: string | undefined): number {
  if (upstreamStatus !== undefined) return upstreamStatus;
  if (code === 'INVALID_PARAMS') return 400;
  if (code === 'TIMEOUT' || code === 'CONNECT_TIMEOUT') return 504;
  if (code === 'CONNECTOR_BUG') return 500;
  return 502;
}

/**
 * DomainError whose `details` is the provider's structured answer (any JSON), not the request
 * field list DomainError's `details` describes; everything else (code, status, retryable,
 * retryAfterSeconds, instanceof DomainError) is DomainError's.
 */
const UpstreamDomainError = DomainError as unknown as new (message: string, options: DomainErrorOptions) => Omit<DomainError, 'details'>;

/**
 * A failure in the user's terms: "OpenWeather: city not found (404)". `retryable` tells the
 * engine whether another attempt can help (429/5xx/timeouts yes; 400/401/403/404 no).
 * Lives in core because the outbound HTTP client throws it (timeouts, refused addresses,
 * oversized answers); connectors throw it for what the provider answered.
 */
export class ConnectorError extends UpstreamDomainError {
  /** The provider's HTTP status; absent when it never answered (timeout, network, bad params). */
  readonly upstreamStatus?: number;
  /**
   * The status a run's step error shows: the provider's, else the one the raiser gave (400 for
   * params the connector refused); absent when neither (a timeout shows its code only).
   */
  readonly stepStatus?: number;
  /** The code a run's step error shows: absent when the failure named none. */
  readonly stepCode?: string;
  readonly details?: unknown;

  constructor(message: string, opts: ConnectorErrorOptions) {
    super(message, {
      code: opts.code ?? CONNECTOR_ERROR_CODE,
      status: opts.status ?? defaultStatus(opts.upstreamStatus, opts.code),
      retryable: opts.retryable,
      retryAfterSeconds: opts.retryAfterSeconds,
    });
    this.upstreamStatus = opts.upstreamStatus;
    this.stepStatus = opts.upstreamStatus ?? opts.status;
    this.stepCode = opts.code;
    this.details = opts.details;
  }

  /** The usual mapping from an HTTP status: 408/425/429/5xx retry, other 4xx do not. */
  static fromStatus(provider: string, status: number, reason: string, retryAfterSeconds?: number, details?: unknown): ConnectorError {
    const retryable = status === 408 || status === 425 || status === 429 || status >= 500;
    return new ConnectorError(`${provider}: ${reason} (${status})`, { retryable, upstreamStatus: status, retryAfterSeconds, details });
  }
}
