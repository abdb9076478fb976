/**
 * Stripe (api.stripe.com), as far as the `stripe` connector uses it, after Stripe's API
 * reference (https://docs.stripe.com/api) and its OpenAPI document (stripe/openapi spec3):
 *   POST /v1/customers        email?, name?, description?, phone?, metadata[k]
 *   POST /v1/payment_links    line_items[i][price], line_items[i][quantity] (required), metadata[k]
 *   POST /v1/invoiceitems     customer (required), amount + currency | price, quantity?, description?
 *   GET  /v1/charges          limit (1..100), customer?, created[gte]?, starting_after?
 *   GET  /v1/balance
 * Auth: `Authorization: Bearer <key>` or Basic with the key as username; otherwise 401 with
 * the body Stripe really sends (type invalid_request_error, the key quoted masked; Stripe's
 * SDKs raise it as an AuthenticationError). A restricted key
 * (rk_) may only read: a POST with it answers 403 like Stripe does for a missing permission.
 * Bodies are form-encoded with bracket nesting; bad params answer 400 invalid_request_error
 * naming `param`; unknown ids answer resource_missing; unknown paths 404.
 * Idempotency as Stripe does it (https://docs.stripe.com/api/idempotent_requests): a POST's
 * result is stored under its Idempotency-Key; the same key with the same params replays it
 * (`Idempotent-Replayed: true`), with other params it answers 400 idempotency_error. A request
 * refused by validation stores nothing.
 * Failures: `failNext(reply, n)` answers the next n requests with `reply` before Stripe sees them
 * (STRIPE_ERRORS has real bodies); `loseNextReply(reply)` lets the next POST run (object created,
 * result stored under its key) but the caller gets `reply` instead, as when a proxy or the
 * network loses Stripe's answer.
 */
import { randomBytes } from 'node:crypto';
import { basicAuth, bearerToken } from './auth-headers';
import { FakeReply, FakeRequest, FakeServer, startFake } from './fake-server';

export const STRIPE_FAKE_KEY = `sk_test_${'51FlowgateFakeKey'}${'0a1b2c3d4e5f6a7b'.repeat(3)}`;
export const STRIPE_FAKE_RESTRICTED_KEY = `rk_test_${'51FlowgateReadOnly'}${'9f8e7d6c5b4a3928'.repeat(3)}`;
/** Prices the fake account has. */
export const STRIPE_FAKE_PRICES = { monthly: 'price_1FlowgateMonthly0001', setup: 'price_1FlowgateSetupFee0001' } as const;
const PRICE_AMOUNTS: Record<string, { amount: number; currency: string }> = {
  [STRIPE_FAKE_PRICES.monthly]: { amount: 1900, currency: 'usd' },
  [STRIPE_FAKE_PRICES.setup]: { amount: 4900, currency: 'usd' },
};

const requestId = () => `req_${randomBytes(7).toString('hex')}`;

export interface StripeErrorFields {
  type: string;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
}

export function stripeError(status: number, e: StripeErrorFields, headers: Record<string, string> = {}): FakeReply {
  const id = requestId();
  const error: Record<string, unknown> = { ...e };
  if (e.code) error.doc_url = `https://stripe.com/docs/error-codes/${e.code.replace(/_/g, '-')}`;
  error.request_log_url = `https://dashboard.stripe.com/test/logs/${id}?t=${Math.floor(Date.now() / 1000)}`;
  return { status, headers: { 'request-id': id, ...headers }, body: { error } };
}

/** Real bodies of the answers the fake cannot reach by itself (for failNext / loseNextReply). */
export const STRIPE_ERRORS = {
  cardDeclined: stripeError(402, {
    type: 'card_error',
    code: 'card_declined',
    decline_code: 'insufficient_funds',
    message: 'Your card has insufficient funds.',
    param: '',
  }),
  notFound: stripeError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: "No such customer: 'cus_NoSuchCustomer1'",
    param: 'customer',
  }),
  idempotencyKeyInUse: stripeError(
    409,
    {
      type: 'invalid_request_error',
      code: 'idempotency_key_in_use',
      message:
        'There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through). Please try again later.',
    },
    { 'stripe-should-retry': 'true' },
  ),
  rateLimited: stripeError(
    429,
    {
      type: 'invalid_request_error',
      code: 'rate_limit',
      message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
    },
    { 'retry-after': '2', 'stripe-should-retry': 'true' },
  ),
  lockTimeout: stripeError(429, {
    type: 'invalid_request_error',
    code: 'lock_timeout',
    message:
      'This object cannot be accessed right now because another API request or Stripe process is currently accessing it. If you see this error intermittently, retry the request.',
  }),
  apiError: stripeError(500, { type: 'api_error', message: 'An unknown error occurred' }),
  apiErrorDoNotRetry: stripeError(500, { type: 'api_error', message: 'An unknown error occurred' }, { 'stripe-should-retry': 'false' }),
} satisfies Record<string, FakeReply>;

/** `a[b][0][c]=v` → { a: { b: [ { c: 'v' } ] } } (Stripe's form nesting). */
export function parseStripeForm(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const parts = key.replace(/\]/g, '').split('[');
    let cur: Record<string, unknown> | unknown[] = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const container = cur as Record<string, unknown>;
      if (last) {
        container[part] = value;
        return;
      }
      const nextIsIndex = /^\d+$/.test(parts[i + 1]);
      container[part] ??= nextIsIndex ? [] : {};
      cur = container[part] as Record<string, unknown>;
    });
  }
  return root;
}

const mask = (key: string) => `${key.slice(0, key.indexOf('_', 3) + 1)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;
const now = () => Math.floor(Date.now() / 1000);
const stripeId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;

export interface StripeFake extends FakeServer {
  customers: Record<string, unknown>[];
  paymentLinks: Record<string, unknown>[];
  invoiceItems: Record<string, unknown>[];
  charges: Record<string, unknown>[];
  /** The Idempotency-Key of every POST answered from the idempotency store, in order. */
  replayed: string[];
  /** The next POST runs and its result is stored under its key, but the caller gets `reply`. */
  loseNextReply(reply: FakeReply): void;
}

interface Stored {
  fingerprint: string;
  reply: FakeReply;
}

export async function startStripeFake(keys = { secret: STRIPE_FAKE_KEY, restricted: STRIPE_FAKE_RESTRICTED_KEY }): Promise<StripeFake> {
  const customers: Record<string, unknown>[] = [];
  const paymentLinks: Record<string, unknown>[] = [];
  const invoiceItems: Record<string, unknown>[] = [];
  const charges: Record<string, unknown>[] = seedCharges();
  const idempotent = new Map<string, Stored>();
  let lost: FakeReply | undefined;
  const replayed: string[] = [];

  const keyOf = (req: FakeRequest) => bearerToken(req) ?? basicAuth(req)?.username;

  /** The auth check Stripe makes before anything else; undefined when the key may go on. */
  const authenticate = (req: FakeRequest): FakeReply | undefined => {
    const key = keyOf(req);
    if (!key) {
      return stripeError(401, {
        type: 'invalid_request_error',
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      });
    }
    if (key.startsWith('pk_')) {
      return stripeError(401, {
        type: 'invalid_request_error',
        code: 'secret_key_required',
        message: 'This API call cannot be made with a publishable API key. Please use a secret API key.',
      });
    }
    if (key !== keys.secret && key !== keys.restricted) {
      return stripeError(401, { type: 'invalid_request_error', message: `Invalid API Key provided: ${mask(key)}` });
    }
    if (key === keys.restricted && req.method !== 'GET') {
      const permission = req.path === '/v1/customers' ? 'rak_customer_write' : 'rak_write';
      return stripeError(403, {
        type: 'invalid_request_error',
        message: `The provided key '${mask(key)}' does not have the required permissions for this endpoint on account 'acct_1FlowgateFake01'. Having the '${permission}' permission would allow this request to continue.`,
      });
    }
    return undefined;
  };

  const missing = (param: string) =>
    stripeError(400, { type: 'invalid_request_error', code: 'parameter_missing', message: `Missing required param: ${param}.`, param });
  const noSuch = (what: string, id: string, param: string) =>
    stripeError(400, { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}: '${id}'`, param });
  const badInteger = (param: string, value: unknown) =>
    stripeError(400, {
      type: 'invalid_request_error',
      code: 'parameter_invalid_integer',
      message: `Invalid integer: ${String(value)}`,
      param,
    });
  const isInt = (v: unknown) => typeof v === 'string' && /^-?\d+$/.test(v);

  /** Wraps a create: auth, form body, idempotency (store, replay, mismatch), lost replies. */
  const create =
    (handler: (form: Record<string, unknown>) => FakeReply) =>
    (req: FakeRequest): FakeReply => {
      const denied = authenticate(req);
      if (denied) return denied;
      if (req.text && !String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
        return stripeError(400, {
          type: 'invalid_request_error',
          message: 'Invalid request (check that your POST content type is application/x-www-form-urlencoded).',
        });
      }
      const form = parseStripeForm(req.text);
      const key = req.headers['idempotency-key'] as string | undefined;
      const fingerprint = `${req.path}\n${JSON.stringify(sortDeep(form))}`;
      if (key) {
        const stored = idempotent.get(`${keyOf(req)}|${key}`);
        if (stored && stored.fingerprint !== fingerprint) {
          return stripeError(400, {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          });
        }
        if (stored) {
          replayed.push(key);
          return { ...stored.reply, headers: { ...stored.reply.headers, 'idempotent-replayed': 'true' } };
        }
      }
      const reply = handler(form);
      const id = requestId();
      const answered: FakeReply = { ...reply, headers: { 'request-id': id, ...reply.headers } };
      // Validation failures (400) are not stored; anything that ran is.
      if (key && answered.status !== 400) {
        answered.headers = { ...answered.headers, 'idempotency-key': key, 'original-request': id };
        idempotent.set(`${keyOf(req)}|${key}`, { fingerprint, reply: answered });
      }
      if (lost && (answered.status ?? 200) < 300) {
        const instead = lost;
        lost = undefined;
        return instead;
      }
      return answered;
    };

  const metadataOf = (form: Record<string, unknown>) => (form.metadata && typeof form.metadata === 'object' ? form.metadata : {});

  const fake = await startFake({
    'POST /v1/customers': create((form) => {
      const email = form.email as string | undefined;
      if (email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
        return stripeError(400, {
          type: 'invalid_request_error',
          code: 'email_invalid',
          message: `Invalid email address: ${email}`,
          param: 'email',
        });
      }
      const customer = {
        id: stripeId('cus'),
        object: 'customer',
        address: null,
        balance: 0,
        created: now(),
        currency: null,
        default_source: null,
        delinquent: false,
        description: form.description ?? null,
        discount: null,
        email: email ?? null,
        invoice_prefix: randomBytes(4).toString('hex').toUpperCase(),
        invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
        livemode: false,
        metadata: metadataOf(form),
        name: form.name ?? null,
        next_invoice_sequence: 1,
        phone: form.phone ?? null,
        preferred_locales: [],
        shipping: null,
        tax_exempt: 'none',
        test_clock: null,
      };
      customers.push(customer);
      return { status: 200, body: customer };
    }),

    'POST /v1/payment_links': create((form) => {
      const items = form.line_items;
      if (!Array.isArray(items) || items.length === 0) return missing('line_items');
      for (const [i, item] of (items as Array<Record<string, unknown>>).entries()) {
        if (!item.price) return missing(`line_items[${i}][price]`);
        if (!item.quantity) return missing(`line_items[${i}][quantity]`);
        if (!isInt(item.quantity)) return badInteger(`line_items[${i}][quantity]`, item.quantity);
        if (!PRICE_AMOUNTS[item.price as string]) return noSuch('price', String(item.price), `line_items[${i}][price]`);
      }
      const id = stripeId('plink');
      const link = {
        id,
        object: 'payment_link',
        active: true,
        after_completion: { hosted_confirmation: { custom_message: null }, type: 'hosted_confirmation' },
        allow_promotion_codes: false,
        billing_address_collection: 'auto',
        currency: PRICE_AMOUNTS[(items[0] as Record<string, string>).price].currency,
        line_items: items,
        livemode: false,
        metadata: metadataOf(form),
        payment_method_types: null,
        url: `https://buy.stripe.com/test_${id.slice(6, 20)}`,
      };
      paymentLinks.push(link);
      return { status: 200, body: link };
    }),

    'POST /v1/invoiceitems': create((form) => {
      if (!form.customer) return missing('customer');
      if (!customers.some((c) => c.id === form.customer)) return noSuch('customer', String(form.customer), 'customer');
      if (form.price !== undefined && form.amount !== undefined) {
        return stripeError(400, {
          type: 'invalid_request_error',
          message: 'You may only specify one of these parameters: amount, price.',
          param: 'amount',
        });
      }
      let amount: number;
      let currency: string;
      let price: Record<string, unknown> | null = null;
      const quantity = form.quantity === undefined ? 1 : Number(form.quantity);
      if (form.quantity !== undefined && !isInt(form.quantity)) return badInteger('quantity', form.quantity);
      if (form.price !== undefined) {
        const p = PRICE_AMOUNTS[form.price as string];
        if (!p) return noSuch('price', String(form.price), 'price');
        amount = p.amount * quantity;
        currency = p.currency;
        price = { id: form.price, object: 'price', currency, unit_amount: p.amount, type: 'one_time' };
      } else {
        if (form.amount === undefined) return missing('amount');
        if (!isInt(form.amount)) return badInteger('amount', form.amount);
        if (!form.currency) return missing('currency');
        amount = Number(form.amount);
        currency = String(form.currency);
      }
      const item = {
        id: stripeId('ii'),
        object: 'invoiceitem',
        amount,
        currency,
        customer: form.customer,
        date: now(),
        description: form.description ?? null,
        discountable: true,
        invoice: null,
        livemode: false,
        metadata: metadataOf(form),
        period: { end: now(), start: now() },
        price,
        proration: false,
        quantity,
        unit_amount_decimal: String(price ? (price.unit_amount as number) : amount),
      };
      invoiceItems.push(item);
      return { status: 200, body: item };
    }),

    'GET /v1/charges': (req) => {
      const denied = authenticate(req);
      if (denied) return denied;
      const q = req.query;
      const limit = q.limit === undefined ? 10 : Number(q.limit);
      if (q.limit !== undefined && !isInt(q.limit)) return badInteger('limit', q.limit);
      if (limit < 1 || limit > 100) {
        return stripeError(400, {
          type: 'invalid_request_error',
          message: `This value must be ${limit < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}.`,
          param: 'limit',
        });
      }
      let list = [...charges].sort((a, b) => (b.created as number) - (a.created as number));
      if (q.customer) list = list.filter((c) => c.customer === q.customer);
      if (q['created[gte]'] !== undefined) {
        if (!isInt(q['created[gte]'])) return badInteger('created[gte]', q['created[gte]']);
        list = list.filter((c) => (c.created as number) >= Number(q['created[gte]']));
      }
      if (q.starting_after) {
        const at = list.findIndex((c) => c.id === q.starting_after);
        if (at < 0 && !charges.some((c) => c.id === q.starting_after)) return noSuch('charge', q.starting_after, 'starting_after');
        list = list.slice(at + 1);
      }
      return {
        headers: { 'request-id': requestId() },
        body: { object: 'list', data: list.slice(0, limit), has_more: list.length > limit, url: '/v1/charges' },
      };
    },

    'GET /v1/balance': (req) => {
      const denied = authenticate(req);
      if (denied) return denied;
      return {
        headers: { 'request-id': requestId() },
        body: {
          object: 'balance',
          available: [{ amount: 125000, currency: 'usd', source_types: { card: 125000 } }],
          livemode: false,
          pending: [{ amount: 4200, currency: 'usd', source_types: { card: 4200 } }],
        },
      };
    },

    '* /*': (req) => {
      const denied = authenticate(req);
      if (denied) return denied;
      return stripeError(404, {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${req.method}: ${req.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      });
    },
  });

  return Object.assign(fake, {
    customers,
    paymentLinks,
    invoiceItems,
    charges,
    replayed,
    loseNextReply(reply: FakeReply) {
      lost = reply;
    },
  });
}

/** Five charges an hour apart, the newest first once sorted; two belong to cus_FlowgateRegular1. */
function seedCharges(): Record<string, unknown>[] {
  const base = Math.floor(Date.now() / 1000) - 5 * 3600;
  return [0, 1, 2, 3, 4].map((i) => ({
    id: `ch_3FlowgateCharge000${i}`,
    object: 'charge',
    amount: 1000 + i * 100,
    amount_captured: 1000 + i * 100,
    amount_refunded: 0,
    balance_transaction: `txn_3FlowgateCharge000${i}`,
    billing_details: { email: null, name: null },
    captured: true,
    created: base + i * 3600,
    currency: 'usd',
    customer: i % 2 === 0 ? null : 'cus_FlowgateRegular1',
    description: `Order #${1000 + i}`,
    failure_code: null,
    failure_message: null,
    livemode: false,
    metadata: { order: String(1000 + i) },
    outcome: { network_status: 'approved_by_network', risk_level: 'normal', seller_message: 'Payment complete.', type: 'authorized' },
    paid: true,
    payment_intent: `pi_3FlowgateCharge000${i}`,
    payment_method: `pm_1FlowgateCard000${i}`,
    receipt_email: null,
    receipt_url: `https://pay.stripe.com/receipts/test_${i}`,
    refunded: false,
    status: 'succeeded',
  }));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, sortDeep((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
