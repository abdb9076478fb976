import { randomUUID } from 'node:crypto';
import { hostsOf } from '../../catalog/credential-hosts';
import { Connector, ConnectorContext, ConnectorDescriptor, ConnectorError, OutboundResponse } from '../../contract';
import { invalidParams, joinUrl, providerError, requireSecret, textReason } from '../shared/provider-call';
import { readStripeError, stripeVerdict } from './stripe-errors';
import { stripeForm } from './stripe-form';

const PROVIDER = 'Stripe';
export const STRIPE_DEFAULT_BASE_URL = 'https://api.stripe.com';
/** The API version every request pins, so the shapes below do not move when the account's default changes. */
export const STRIPE_API_VERSION = '2024-06-20';

/** `sk_test_…`, `sk_live_…` (secret) or `rk_test_…`, `rk_live_…` (restricted); never `pk_…` (publishable). */
const KEY_PATTERN = '^(sk|rk)_(test|live)_[0-9A-Za-z]{8,}$';
const ID = (prefix: string) => ({ type: 'string', pattern: `^${prefix}_[0-9A-Za-z]+$`, maxLength: 255 });
const METADATA = {
  type: 'object',
  maxProperties: 50,
  propertyNames: { maxLength: 40 },
  additionalProperties: { type: 'string', maxLength: 500 },
  description: 'Up to 50 key/value pairs stored on the object (keys ≤ 40 chars, values ≤ 500)',
};

const SAMPLE_CUSTOMER = {
  id: 'cus_Q5sample0000001',
  object: 'customer',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  description: 'Signed up through the website',
  phone: '+14155550100',
  metadata: { signupSource: 'website' },
  created: 1732752000,
  livemode: false,
};
const SAMPLE_PAYMENT_LINK = {
  id: 'plink_1Q5sample0000001',
  object: 'payment_link',
  url: 'https://buy.stripe.com/test_sample0000001',
  active: true,
  currency: 'usd',
  metadata: {},
  livemode: false,
};
const SAMPLE_INVOICE_ITEM = {
  id: 'ii_1Q5sample0000001',
  object: 'invoiceitem',
  customer: 'cus_Q5sample0000001',
  amount: 2500,
  currency: 'usd',
  description: 'Onboarding fee',
  price: null,
  quantity: 1,
  invoice: null,
  date: 1732752000,
  metadata: {},
  livemode: false,
};
const SAMPLE_CHARGE = {
  id: 'ch_3Q5sample0000001',
  object: 'charge',
  amount: 2500,
  amount_captured: 2500,
  amount_refunded: 0,
  currency: 'usd',
  status: 'succeeded',
  paid: true,
  captured: true,
  refunded: false,
  customer: 'cus_Q5sample0000001',
  description: 'Order #1001',
  receipt_email: 'ada@example.com',
  receipt_url: 'https://pay.stripe.com/receipts/sample',
  payment_intent: 'pi_3Q5sample0000001',
  failure_code: null,
  failure_message: null,
  created: 1732752000,
  metadata: {},
  livemode: false,
};

/**
 * Stripe (https://docs.stripe.com/api): form-encoded POSTs to https://api.stripe.com/v1, the
 * secret key as a bearer token, every create sent with an `Idempotency-Key` (the step's key,
 * stable across retries: a retried step replays the first result instead of creating twice).
 * Errors are mapped by stripe-errors.ts; outputs are Stripe's objects trimmed to useful fields.
 */
export class StripeConnector implements Connector {
  readonly descriptor: ConnectorDescriptor = {
    key: 'stripe',
    name: 'Stripe',
    description: 'Creates customers, payment links and invoice items, and lists recent charges, through the Stripe API.',
    auth: ['api_key'],
    credentialSchema: {
      type: 'object',
      required: ['secretKey'],
      additionalProperties: false,
      properties: {
        secretKey: {
          type: 'string',
          pattern: KEY_PATTERN,
          maxLength: 255,
          description:
            'Secret key (sk_test_… / sk_live_…) or restricted key (rk_…) from the Stripe dashboard. Publishable keys (pk_…) cannot call the API and are refused.',
        },
      },
    },
    baseUrlSetting: 'STRIPE_BASE_URL',
    hosts: hostsOf(STRIPE_DEFAULT_BASE_URL),
    docsUrl: 'https://docs.stripe.com/api',
    actions: [
      {
        key: 'create_customer',
        name: 'Create customer',
        description: 'POST /v1/customers. Output: { id, object, email, name, description, phone, metadata, created, livemode }.',
        readOnly: false,
        sideEffects: true,
        sampleOutput: SAMPLE_CUSTOMER,
        input: {
          type: 'object',
          additionalProperties: false,
          properties: {
            email: { type: 'string', format: 'email', maxLength: 512 },
            name: { type: 'string', minLength: 1, maxLength: 256 },
            description: { type: 'string', maxLength: 350 },
            phone: { type: 'string', minLength: 1, maxLength: 50 },
            metadata: METADATA,
          },
        },
      },
      {
        key: 'create_payment_link',
        name: 'Create payment link',
        description:
          'POST /v1/payment_links for a price and quantity, or for line_items [{ price, quantity }]. Output: { id, object, url, active, currency, metadata, livemode }.',
        readOnly: false,
        sideEffects: true,
        sampleOutput: SAMPLE_PAYMENT_LINK,
        input: {
          type: 'object',
          additionalProperties: false,
          properties: {
            price: { ...ID('price'), description: 'Price id (price_…) for a one-item link' },
            quantity: { type: 'integer', minimum: 1, maximum: 999999, description: 'Quantity of `price` (default 1)' },
            line_items: {
              type: 'array',
              minItems: 1,
              maxItems: 20,
              items: {
                type: 'object',
                required: ['price', 'quantity'],
                additionalProperties: false,
                properties: { price: ID('price'), quantity: { type: 'integer', minimum: 1, maximum: 999999 } },
              },
            },
            metadata: METADATA,
          },
          anyOf: [{ required: ['price'] }, { required: ['line_items'] }],
          not: { required: ['price', 'line_items'] },
        },
      },
      {
        key: 'create_invoice_item',
        name: 'Create invoice item',
        description:
          'POST /v1/invoiceitems: a pending item on the customer’s next invoice, for amount (integer, minor units: 2500 = $25.00) + currency, or for a price. Output: { id, object, customer, amount, currency, description, price, quantity, invoice, date, metadata, livemode }.',
        readOnly: false,
        sideEffects: true,
        sampleOutput: SAMPLE_INVOICE_ITEM,
        input: {
          type: 'object',
          required: ['customer'],
          additionalProperties: false,
          properties: {
            customer: ID('cus'),
            amount: { type: 'integer', minimum: -99999999, maximum: 99999999, description: 'In the currency’s minor unit (cents)' },
            currency: { type: 'string', pattern: '^[a-zA-Z]{3}$', description: 'Three-letter ISO code, e.g. usd' },
            price: ID('price'),
            quantity: { type: 'integer', minimum: 1, maximum: 999999 },
            description: { type: 'string', maxLength: 500 },
            metadata: METADATA,
          },
          anyOf: [{ required: ['amount', 'currency'] }, { required: ['price'] }],
          not: { anyOf: [{ required: ['price', 'amount'] }] },
        },
      },
      {
        key: 'list_charges',
        name: 'List recent charges',
        description:
          'GET /v1/charges, newest first. `created_after` (Unix seconds or an ISO date-time) becomes created[gte]; `starting_after` (a charge id) pages on. Output: { charges: [...], hasMore }.',
        readOnly: true,
        sideEffects: false,
        sampleOutput: { charges: [SAMPLE_CHARGE], hasMore: false },
        input: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 100, description: 'How many (default 10)' },
            customer: ID('cus'),
            created_after: {
              anyOf: [
                { type: 'integer', minimum: 0 },
                { type: 'string', format: 'date-time' },
              ],
              description: 'Only charges created at or after this moment',
            },
            starting_after: ID('ch'),
          },
        },
      },
    ],
  };

  async execute(action: string, params: Record<string, unknown>, ctx: ConnectorContext): Promise<unknown> {
    switch (action) {
      case 'create_customer':
        return customer(await this.post(ctx, '/v1/customers', pick(params, ['email', 'name', 'description', 'phone', 'metadata'])));
      case 'create_payment_link': {
        const lineItems = params.line_items ?? [{ price: params.price, quantity: params.quantity ?? 1 }];
        return paymentLink(await this.post(ctx, '/v1/payment_links', { line_items: lineItems, metadata: params.metadata }));
      }
      case 'create_invoice_item': {
        const body = pick(params, ['customer', 'amount', 'price', 'quantity', 'description', 'metadata']);
        if (typeof params.currency === 'string') body.currency = params.currency.toLowerCase();
        return invoiceItem(await this.post(ctx, '/v1/invoiceitems', body));
      }
      case 'list_charges':
        return this.listCharges(params, ctx);
      default:
        throw invalidParams(PROVIDER, `unknown action "${action}"`);
    }
  }

  /** GET /v1/balance: read-only, answers for any valid secret or restricted key with balance read access. */
  async testCredential(ctx: ConnectorContext): Promise<{ ok: true; detail?: string }> {
    const res = await this.request(ctx, 'GET', '/v1/balance');
    const body = (res.body ?? {}) as { livemode?: unknown };
    return { ok: true, detail: `Stripe accepted the key (${body.livemode === true ? 'live' : 'test'} mode; balance readable)` };
  }

  private async listCharges(params: Record<string, unknown>, ctx: ConnectorContext): Promise<unknown> {
    const query: Record<string, string | number> = { limit: typeof params.limit === 'number' ? params.limit : 10 };
    if (typeof params.customer === 'string') query.customer = params.customer;
    if (params.created_after !== undefined) query['created[gte]'] = unixSeconds(params.created_after);
    if (typeof params.starting_after === 'string') query.starting_after = params.starting_after;
    const res = await this.request(ctx, 'GET', '/v1/charges', { query });
    const body = (res.body ?? {}) as { data?: unknown; has_more?: unknown };
    const data = Array.isArray(body.data) ? (body.data as Record<string, unknown>[]) : [];
    return { charges: data.map(charge), hasMore: body.has_more === true };
  }

  private async post(ctx: ConnectorContext, path: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    // The step's key: the same on every attempt of this step, so Stripe replays instead of creating again.
    // Outside an execution (dry run, bridge) one fresh key per call still makes a lost answer safe to resend by hand.
    const key = ctx.idempotencyKey ?? `flowgate-${randomUUID()}`;
    const res = await this.request(ctx, 'POST', path, { form: stripeForm(params), idempotencyKey: key });
    return (res.body ?? {}) as Record<string, unknown>;
  }

  private async request(
    ctx: ConnectorContext,
    method: 'GET' | 'POST',
    path: string,
    opts: { form?: string; query?: Record<string, string | number>; idempotencyKey?: string } = {},
  ): Promise<OutboundResponse> {
    const secretKey = requireSecret(PROVIDER, ctx, 'secretKey');
    if (!/^(sk|rk)_/.test(secretKey)) {
      throw new ConnectorError(
        `${PROVIDER}: credential "${ctx.credential?.name}" does not hold a secret key (sk_…) or restricted key (rk_…); publishable keys (pk_…) cannot call the API`,
        { retryable: false, code: 'CREDENTIAL_INVALID' },
      );
    }
    const headers: Record<string, string> = { accept: 'application/json', 'stripe-version': STRIPE_API_VERSION };
    if (opts.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    const res = await ctx.http.request({
      method,
      url: joinUrl(ctx.baseUrl || STRIPE_DEFAULT_BASE_URL, path),
      headers,
      query: opts.query,
      credential: { headers: { authorization: `Bearer ${secretKey}` } },
      body: opts.form,
    });
    if (res.status >= 200 && res.status < 300) return res;
    throw this.failure(res, ctx);
  }

  private failure(res: OutboundResponse, ctx: ConnectorContext): ConnectorError {
    const e = readStripeError(res.body);
    const verdict = stripeVerdict(e, res.status, res.headers['stripe-should-retry']);
    const details = {
      type: e.type,
      code: e.code,
      declineCode: e.declineCode,
      param: e.param,
      docUrl: e.docUrl,
      requestLogUrl: e.requestLogUrl,
      requestId: res.headers['request-id'],
    };
    return providerError(
      PROVIDER,
      res,
      {
        code: e.code ?? e.type,
        message: verdict.message || textReason(res),
        retryable: verdict.retryable,
        details: Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined)),
      },
      ctx,
    );
  }
}

function pick(params: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (params[k] !== undefined) out[k] = params[k];
  return out;
}

function only(obj: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = obj[k] === undefined ? null : obj[k];
  return out;
}

/** Unix seconds from an integer or an ISO date-time (the schema allowed only those). */
function unixSeconds(value: unknown): number {
  if (typeof value === 'number') return Math.floor(value);
  const at = Date.parse(String(value));
  if (Number.isNaN(at)) throw invalidParams(PROVIDER, `created_after "${String(value)}" is not a date-time`);
  return Math.floor(at / 1000);
}

const customer = (o: Record<string, unknown>) =>
  only(o, ['id', 'object', 'email', 'name', 'description', 'phone', 'metadata', 'created', 'livemode']);
const paymentLink = (o: Record<string, unknown>) => only(o, ['id', 'object', 'url', 'active', 'currency', 'metadata', 'livemode']);
const invoiceItem = (o: Record<string, unknown>) => {
  const out = only(o, [
    'id',
    'object',
    'customer',
    'amount',
    'currency',
    'description',
    'price',
    'quantity',
    'invoice',
    'date',
    'metadata',
    'livemode',
  ]);
  // Stripe expands `price` to the Price object; the id is what a later step needs.
  if (out.price && typeof out.price === 'object') out.price = (out.price as { id?: unknown }).id ?? null;
  return out;
};
const charge = (o: Record<string, unknown>) =>
  only(o, [
    'id',
    'object',
    'amount',
    'amount_captured',
    'amount_refunded',
    'currency',
    'status',
    'paid',
    'captured',
    'refunded',
    'customer',
    'description',
    'receipt_email',
    'receipt_url',
    'payment_intent',
    'failure_code',
    'failure_message',
    'created',
    'metadata',
    'livemode',
  ]);
