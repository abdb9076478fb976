/**
 * Stripe's errors (https://docs.stripe.com/api/errors, https://docs.stripe.com/error-codes,
 * https://docs.stripe.com/error-low-level#idempotency) in one table: what each means to the
 * user and whether another attempt of the same request can succeed.
 *
 * Body: `{ error: { type, code?, decline_code?, message, param?, doc_url?, request_log_url? } }`.
 * Decision, first match wins:
 *   1. the `Stripe-Should-Retry: true|false` response header (Stripe's own verdict);
 *   2. the error `code` (a 409 `idempotency_key_in_use` or a `lock_timeout` clears by itself);
 *   3. a 401 is about the key, a 403 about a restricted key's permissions, whatever the type
 *      (Stripe answers both with type invalid_request_error; its SDKs call them
 *      authentication and permission errors);
 *   4. the error `type` (card/request/idempotency errors never; api_error always);
 *   5. the status: 408/425/429/5xx yes, other 4xx no.
 * The retry of a create is safe because every create carries the step's Idempotency-Key.
 */

export interface StripeErrorRule {
  /** Said before Stripe's own message (which is kept unless `replacesMessage`). */
  meaning: string;
  /** Undefined: decided by the next rule (type, then status). */
  retryable?: boolean;
  /** Stripe's message is dropped (an authentication message repeats part of the key). */
  replacesMessage?: boolean;
}

/** By status, before the type: what Stripe's SDKs raise as AuthenticationError / PermissionError. */
export const STRIPE_ERROR_STATUSES: Record<number, StripeErrorRule> = {
  401: { meaning: 'the secret key is invalid or revoked', retryable: false, replacesMessage: true },
  403: { meaning: 'the restricted key lacks a permission this request needs', retryable: false },
};

/** By `error.type`. */
export const STRIPE_ERROR_TYPES: Record<string, StripeErrorRule> = {
  card_error: { meaning: 'the card was declined', retryable: false },
  invalid_request_error: { meaning: 'Stripe refused the request', retryable: false },
  authentication_error: { meaning: 'the secret key is invalid or revoked', retryable: false, replacesMessage: true },
  permission_error: { meaning: 'the key lacks a permission this request needs', retryable: false },
  idempotency_error: {
    meaning: 'the idempotency key was already used for a different request',
    retryable: false,
  },
  rate_limit_error: { meaning: 'rate limited by Stripe', retryable: true },
  api_error: { meaning: 'Stripe had a problem on its side', retryable: true },
};

/** By `error.code`: codes that say more than their type or status. */
export const STRIPE_ERROR_CODES: Record<string, StripeErrorRule> = {
  // 409: the same key is in flight in another request; once it finishes the retry replays its result.
  idempotency_key_in_use: { meaning: 'a request with the same idempotency key is still in progress', retryable: true },
  // 409/429: another request holds the object; Stripe says to retry.
  lock_timeout: { meaning: 'the object is locked by another request', retryable: true },
  rate_limit: { meaning: 'rate limited by Stripe', retryable: true },
  api_key_expired: { meaning: 'the secret key has expired', retryable: false, replacesMessage: true },
  secret_key_required: { meaning: 'a secret key (sk_...) or restricted key (rk_...) is needed', retryable: false, replacesMessage: true },
  resource_missing: { meaning: 'no such object', retryable: false },
  parameter_missing: { meaning: 'a required parameter is missing', retryable: false },
  parameter_unknown: { meaning: 'Stripe does not know a parameter', retryable: false },
  parameter_invalid_integer: { meaning: 'a parameter must be an integer', retryable: false },
  parameter_invalid_empty: { meaning: 'a parameter must not be empty', retryable: false },
  email_invalid: { meaning: 'the email address is invalid', retryable: false },
  amount_too_small: { meaning: 'the amount is below the minimum', retryable: false },
  amount_too_large: { meaning: 'the amount is above the maximum', retryable: false },
  card_declined: { meaning: 'the card was declined', retryable: false },
  expired_card: { meaning: 'the card has expired', retryable: false },
  incorrect_cvc: { meaning: 'the card’s security code is incorrect', retryable: false },
  processing_error: { meaning: 'the card could not be processed', retryable: false },
  testmode_charges_only: { meaning: 'the account can only make test-mode charges', retryable: false },
};

/** What a failed Stripe answer says, read without trusting its shape. */
export interface StripeErrorBody {
  type?: string;
  code?: string;
  declineCode?: string;
  message?: string;
  param?: string;
  docUrl?: string;
  requestLogUrl?: string;
}

export function readStripeError(body: unknown): StripeErrorBody {
  const error = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  if (!error || typeof error !== 'object') return {};
  const e = error as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    type: str(e.type),
    code: str(e.code),
    declineCode: str(e.decline_code),
    message: str(e.message),
    param: str(e.param),
    docUrl: str(e.doc_url),
    requestLogUrl: str(e.request_log_url),
  };
}

/** Stripe quotes keys masked (`sk_test_********1234`); even a masked key stays out of messages. */
export function withoutKeys(text: string): string {
  return text.replace(/\b(sk|rk|pk)_(test|live)_[A-Za-z0-9*]+/g, '[key]');
}

export interface StripeErrorVerdict {
  /** Shown after "Stripe: <code> — ". */
  message: string;
  retryable?: boolean;
}

/**
 * "the card was declined: Your card has insufficient funds. (decline_code: insufficient_funds)",
 * "Stripe refused the request: No such customer: 'cus_x' (param: customer)". `retryable`
 * undefined: the status decides (providerError).
 */
export function stripeVerdict(e: StripeErrorBody, status: number, shouldRetryHeader: string | undefined): StripeErrorVerdict {
  const byCode = e.code ? STRIPE_ERROR_CODES[e.code] : undefined;
  const byType = STRIPE_ERROR_STATUSES[status] ?? (e.type ? STRIPE_ERROR_TYPES[e.type] : undefined);
  const rule = byCode ?? byType;
  const own = e.message ? withoutKeys(e.message) : undefined;
  const replaces = byCode?.replacesMessage ?? byType?.replacesMessage;
  let message = rule ? (own && !replaces ? `${rule.meaning}: ${own}` : rule.meaning) : (own ?? '');
  if (e.declineCode) message += ` (decline_code: ${e.declineCode})`;
  if (e.param) message += ` (param: ${e.param})`;
  const header = shouldRetryHeader?.trim().toLowerCase();
  const retryable = header === 'true' ? true : header === 'false' ? false : (byCode?.retryable ?? byType?.retryable);
  return { message, retryable };
}
