import { readStripeError, stripeVerdict, withoutKeys } from '../stripe-errors';
import { stripeForm } from '../stripe-form';

const body = (error: Record<string, unknown>) => ({ error });

describe('Stripe error table', () => {
  // [case, status, error body, Stripe-Should-Retry header, expected message, expected retryable (undefined: the status decides)]
  const cases: Array<[string, number, Record<string, unknown>, string | undefined, string, boolean | undefined]> = [
    [
      'card declined',
      402,
      { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' },
      undefined,
      'the card was declined: Your card has insufficient funds. (decline_code: insufficient_funds)',
      false,
    ],
    [
      'missing param',
      400,
      { type: 'invalid_request_error', code: 'parameter_missing', param: 'customer', message: 'Missing required param: customer.' },
      undefined,
      'a required parameter is missing: Missing required param: customer. (param: customer)',
      false,
    ],
    [
      'unknown code keeps the type rule',
      400,
      { type: 'invalid_request_error', code: 'some_new_code', param: 'x', message: 'Something new.' },
      undefined,
      'Stripe refused the request: Something new. (param: x)',
      false,
    ],
    [
      '401 whatever the type, key never quoted',
      401,
      { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_********************1234' },
      undefined,
      'the secret key is invalid or revoked',
      false,
    ],
    [
      '401 expired key says so',
      401,
      { type: 'invalid_request_error', code: 'api_key_expired', message: 'Expired API Key provided: sk_live_***abcd' },
      undefined,
      'the secret key has expired',
      false,
    ],
    [
      '403 restricted key, masked key removed',
      403,
      { type: 'invalid_request_error', message: "The provided key 'rk_test_****abcdef' does not have the required permissions." },
      undefined,
      "the restricted key lacks a permission this request needs: The provided key '[key]' does not have the required permissions.",
      false,
    ],
    [
      '409 key in use',
      409,
      { type: 'invalid_request_error', code: 'idempotency_key_in_use', message: 'in progress' },
      undefined,
      'a request with the same idempotency key is still in progress: in progress',
      true,
    ],
    [
      '409 without a code follows the status',
      409,
      { type: 'invalid_request_error', message: 'Conflict' },
      undefined,
      'Stripe refused the request: Conflict',
      false,
    ],
    [
      'idempotency mismatch',
      400,
      { type: 'idempotency_error', message: 'Keys for idempotent requests…' },
      undefined,
      'the idempotency key was already used for a different request: Keys for idempotent requests…',
      false,
    ],
    [
      'lock timeout',
      429,
      { type: 'invalid_request_error', code: 'lock_timeout', message: 'locked' },
      undefined,
      'the object is locked by another request: locked',
      true,
    ],
    [
      'rate limit',
      429,
      { type: 'invalid_request_error', code: 'rate_limit', message: 'slow down' },
      undefined,
      'rate limited by Stripe: slow down',
      true,
    ],
    [
      'older rate_limit_error type',
      429,
      { type: 'rate_limit_error', message: 'slow down' },
      undefined,
      'rate limited by Stripe: slow down',
      true,
    ],
    [
      'api error',
      500,
      { type: 'api_error', message: 'An unknown error occurred' },
      undefined,
      'Stripe had a problem on its side: An unknown error occurred',
      true,
    ],
    ['Should-Retry false on a 5xx', 500, { type: 'api_error', message: 'x' }, 'false', 'Stripe had a problem on its side: x', false],
    ['Should-Retry true on a 4xx', 400, { type: 'invalid_request_error', message: 'x' }, 'True', 'Stripe refused the request: x', true],
    [
      'unknown type: Stripe’s message, status decides',
      418,
      { type: 'teapot_error', message: 'short and stout' },
      undefined,
      'short and stout',
      undefined,
    ],
  ];

  it.each(cases)('%s', (_case, status, error, header, message, retryable) => {
    expect(stripeVerdict(readStripeError(body(error)), status, header)).toEqual({ message, retryable });
  });

  it('reads only string fields of a body that may be anything', () => {
    expect(readStripeError('<html>')).toEqual({});
    expect(readStripeError({ error: 'nope' })).toEqual({});
    expect(readStripeError({ error: { type: 3, message: '', param: 'p' } })).toEqual({
      type: undefined,
      code: undefined,
      declineCode: undefined,
      message: undefined,
      param: 'p',
      docUrl: undefined,
      requestLogUrl: undefined,
    });
  });

  it('removes every Stripe key, masked or not', () => {
    expect(withoutKeys('a sk_live_abc123 b rk_test_**xy c pk_test_Z d sk_other')).toBe('a [key] b [key] c [key] d sk_other');
  });
});

describe('stripeForm', () => {
  it('flattens nested objects and arrays with brackets, leaving out undefined and null', () => {
    const form = stripeForm({
      email: 'a+b@example.com',
      skip: undefined,
      none: null,
      metadata: { order: 42, vip: true },
      line_items: [
        { price: 'price_1', quantity: 1 },
        { price: 'price_2', quantity: 3 },
      ],
    });
    expect(decodeURIComponent(form).split('&')).toEqual([
      'email=a+b@example.com',
      'metadata[order]=42',
      'metadata[vip]=true',
      'line_items[0][price]=price_1',
      'line_items[0][quantity]=1',
      'line_items[1][price]=price_2',
      'line_items[1][quantity]=3',
    ]);
    expect(new URLSearchParams(form).get('email')).toBe('a+b@example.com');
  });
});
