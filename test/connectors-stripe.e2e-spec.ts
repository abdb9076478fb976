import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ConnectorInvoker } from '../src/modules/connectors/connector-invoker';
import { STRIPE_API_VERSION, StripeConnector } from '../src/modules/connectors/providers/stripe/stripe.connector';
import { SlackFake, startSlackFake } from './fakes/slack.fake';
import {
  STRIPE_ERRORS,
  STRIPE_FAKE_KEY,
  STRIPE_FAKE_PRICES,
  STRIPE_FAKE_RESTRICTED_KEY,
  StripeFake,
  parseStripeForm,
  startStripeFake,
} from './fakes/stripe.fake';
import { failure } from './support/connector-failure';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { createWorkflow, waitForExecution } from './support/workflow-helpers';

/**
 * The stripe connector through the real app: credentials created over HTTP (encrypted in
 * PostgreSQL), calls made by ConnectorInvoker or by the worker running a workflow, through the
 * outbound client to a Stripe fake on loopback that answers with Stripe's paths, auth checks,
 * error bodies and idempotency rules.
 */
describe('connectors: stripe (real app, Stripe fake on loopback)', () => {
  let t: TestApp;
  let stripe: StripeFake;
  let slack: SlackFake;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  let invoker: ConnectorInvoker;
  let credentialId: string;
  const WRONG_KEY = 'sk_test_51WrongKeyWrongKeyWrongKey0123456789abcdef';

  beforeAll(async () => {
    [stripe, slack] = await Promise.all([startStripeFake(), startSlackFake()]);
    t = await startTestApp({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1', OUTBOUND_TIMEOUT_MS: '5000', STRIPE_BASE_URL: stripe.url });
    owner = await registerTenant(t.http);
    invoker = t.app.get(ConnectorInvoker);
    credentialId = await credential({ secretKey: STRIPE_FAKE_KEY });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([stripe.close(), slack.close()]);
  });

  async function credential(secrets: Record<string, string>, name = `stripe ${Math.random()}`): Promise<string> {
    const res = await t.http.post(
      '/api/credentials',
      { name, connectorKey: 'stripe', authKind: 'api_key', secrets },
      { token: owner.token },
    );
    if (res.status !== 201) throw new Error(`credential: ${res.status} ${res.text}`);
    return res.body.id;
  }

  const invoke = (action: string, params: Record<string, unknown>, opts: { credentialId?: string; idempotencyKey?: string } = {}) =>
    invoker.invoke({
      tenantId: owner.tenantId,
      connectorKey: 'stripe',
      action,
      params,
      credentialId: 'credentialId' in opts ? opts.credentialId : credentialId,
      idempotencyKey: opts.idempotencyKey,
    });
  const lastRequest = () => stripe.requests.at(-1)!;

  describe('credential', () => {
    it('refuses a publishable key and anything that is not a secret or restricted key, naming the field', async () => {
      for (const secretKey of ['pk_test_51PublishableKey0123456789', 'not-a-key', 'sk_test_']) {
        const res = await t.http.post(
          '/api/credentials',
          { name: `bad ${secretKey}`, connectorKey: 'stripe', authKind: 'api_key', secrets: { secretKey } },
          { token: owner.token },
        );
        expect([secretKey, res.status]).toEqual([secretKey, 400]);
        expect(res.body.details).toEqual([{ field: 'secrets.secretKey', message: expect.stringContaining('(sk|rk)_(test|live)_') }]);
      }
      const described = await t.http.get('/api/connectors/stripe', { token: owner.token });
      expect(JSON.stringify(described.body)).toContain('Publishable keys (pk_…) cannot call the API');
    });

    it('the fake checks the key like Stripe: Bearer or Basic (key as username), 401 bodies otherwise', async () => {
      const basic = await fetch(`${stripe.url}/v1/balance`, {
        headers: { authorization: `Basic ${Buffer.from(`${STRIPE_FAKE_KEY}:`).toString('base64')}` },
      });
      expect(basic.status).toBe(200);
      const none = await fetch(`${stripe.url}/v1/balance`);
      expect(none.status).toBe(401);
      expect(((await none.json()) as { error: { type: string; message: string } }).error).toMatchObject({
        type: 'invalid_request_error',
        message: expect.stringMatching(/^You did not provide an API key/),
      });
    });

    it('tests a secret key against GET /v1/balance, and reports a wrong one as refused without the key', async () => {
      const ok = await t.http.post(`/api/credentials/${credentialId}/test`, undefined, { token: owner.token });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ ok: true, detail: 'Stripe accepted the key (test mode; balance readable)' });
      expect(lastRequest()).toMatchObject({ method: 'GET', path: '/v1/balance' });
      expect(lastRequest().headers.authorization).toBe(`Bearer ${STRIPE_FAKE_KEY}`);

      const wrong = await credential({ secretKey: WRONG_KEY });
      const refused = await t.http.post(`/api/credentials/${wrong}/test`, undefined, { token: owner.token });
      expect(refused.status).toBe(200);
      expect(refused.body.ok).toBe(false);
      expect(refused.body.detail).toContain('the secret key is invalid or revoked');
      expect(JSON.stringify(refused.body)).not.toContain(WRONG_KEY.slice(-4));
    });
  });

  describe('actions', () => {
    it('create_customer: form-encoded with nested metadata, bearer key, pinned version, the step key as Idempotency-Key', async () => {
      const out = await invoke(
        'create_customer',
        {
          email: 'ada@example.com',
          name: 'Ada Lovelace',
          phone: '+14155550100',
          description: 'VIP & friend',
          metadata: { source: 'web', plan: 'pro' },
        },
        { idempotencyKey: 'flowgate-step-key-1' },
      );
      const req = lastRequest();
      expect(req).toMatchObject({ method: 'POST', path: '/v1/customers' });
      expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(req.headers['idempotency-key']).toBe('flowgate-step-key-1');
      expect(req.headers['stripe-version']).toBe(STRIPE_API_VERSION);
      expect(req.headers.authorization).toBe(`Bearer ${STRIPE_FAKE_KEY}`);
      expect(req.text).toBe(
        'email=ada%40example.com&name=Ada+Lovelace&description=VIP+%26+friend&phone=%2B14155550100&metadata%5Bsource%5D=web&metadata%5Bplan%5D=pro',
      );
      const created = stripe.customers.at(-1)!;
      expect(out).toEqual({
        id: created.id,
        object: 'customer',
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        description: 'VIP & friend',
        phone: '+14155550100',
        metadata: { source: 'web', plan: 'pro' },
        created: created.created,
        livemode: false,
      });
      expect((out as { id: string }).id).toMatch(/^cus_/);
    });

    it('without a step key (dry run, bridge) each create gets a fresh random Idempotency-Key', async () => {
      await invoke('create_customer', { email: 'one@example.com' });
      const first = lastRequest().headers['idempotency-key'];
      await invoke('create_customer', { email: 'one@example.com' });
      const second = lastRequest().headers['idempotency-key'];
      expect(first).toMatch(/^flowgate-[0-9a-f-]{36}$/);
      expect(second).toMatch(/^flowgate-[0-9a-f-]{36}$/);
      expect(second).not.toBe(first);
      expect(stripe.customers.filter((c) => c.email === 'one@example.com')).toHaveLength(2);
    });

    it('create_payment_link: one price and quantity, or line_items', async () => {
      const one = (await invoke('create_payment_link', { price: STRIPE_FAKE_PRICES.monthly, quantity: 2 })) as Record<string, unknown>;
      expect(parseStripeForm(lastRequest().text)).toEqual({ line_items: [{ price: STRIPE_FAKE_PRICES.monthly, quantity: '2' }] });
      expect(lastRequest().path).toBe('/v1/payment_links');
      expect(one).toEqual({
        id: stripe.paymentLinks.at(-1)!.id,
        object: 'payment_link',
        url: expect.stringMatching(/^https:\/\/buy\.stripe\.com\/test_/),
        active: true,
        currency: 'usd',
        metadata: {},
        livemode: false,
      });
      await invoke('create_payment_link', {
        line_items: [
          { price: STRIPE_FAKE_PRICES.monthly, quantity: 1 },
          { price: STRIPE_FAKE_PRICES.setup, quantity: 1 },
        ],
        metadata: { campaign: 'spring' },
      });
      expect(lastRequest().text).toBe(
        [
          `line_items%5B0%5D%5Bprice%5D=${STRIPE_FAKE_PRICES.monthly}`,
          'line_items%5B0%5D%5Bquantity%5D=1',
          `line_items%5B1%5D%5Bprice%5D=${STRIPE_FAKE_PRICES.setup}`,
          'line_items%5B1%5D%5Bquantity%5D=1',
          'metadata%5Bcampaign%5D=spring',
        ].join('&'),
      );
      const before = stripe.requests.length;
      const both = await failure(
        invoke('create_payment_link', {
          price: STRIPE_FAKE_PRICES.monthly,
          line_items: [{ price: STRIPE_FAKE_PRICES.setup, quantity: 1 }],
        }),
      );
      expect(both).toMatchObject({ code: 'INVALID_PARAMS', retryable: false });
      expect(both.details).toEqual([{ message: 'cannot combine price + line_items' }]);
      expect(stripe.requests.length).toBe(before);
    });

    it('create_invoice_item: amount + currency in minor units, or a price; the price comes back as its id', async () => {
      const cus = (await invoke('create_customer', { email: 'billing@example.com' })) as { id: string };
      const byAmount = await invoke('create_invoice_item', { customer: cus.id, amount: 2500, currency: 'USD', description: 'Onboarding' });
      expect(parseStripeForm(lastRequest().text)).toEqual({ customer: cus.id, amount: '2500', description: 'Onboarding', currency: 'usd' });
      expect(byAmount).toMatchObject({
        object: 'invoiceitem',
        customer: cus.id,
        amount: 2500,
        currency: 'usd',
        description: 'Onboarding',
        price: null,
        quantity: 1,
        invoice: null,
      });
      const byPrice = await invoke('create_invoice_item', { customer: cus.id, price: STRIPE_FAKE_PRICES.setup, quantity: 2 });
      expect(byPrice).toMatchObject({ amount: 9800, currency: 'usd', price: STRIPE_FAKE_PRICES.setup, quantity: 2 });
      expect(stripe.invoiceItems.filter((i) => i.customer === cus.id)).toHaveLength(2);

      const before = stripe.requests.length;
      const fractional = await failure(invoke('create_invoice_item', { customer: cus.id, amount: 25.5, currency: 'usd' }));
      expect(fractional).toMatchObject({ code: 'INVALID_PARAMS', retryable: false });
      expect(fractional.details).toEqual([{ field: 'amount', message: 'must be integer' }]);
      const neither = await failure(invoke('create_invoice_item', { customer: cus.id, description: 'nothing to bill' }));
      expect(neither.details).toEqual([{ message: 'needs one of amount + currency or price' }]);
      expect(stripe.requests.length).toBe(before);
    });

    it('list_charges: limit, customer, created_after → created[gte], starting_after; trimmed charges and hasMore', async () => {
      const all = (await invoke('list_charges', {})) as { charges: Array<Record<string, unknown>>; hasMore: boolean };
      expect(lastRequest()).toMatchObject({ method: 'GET', path: '/v1/charges', query: { limit: '10' } });
      expect(lastRequest().headers['idempotency-key']).toBeUndefined();
      expect(all.hasMore).toBe(false);
      expect(all.charges.map((c) => c.id)).toEqual([4, 3, 2, 1, 0].map((i) => `ch_3FlowgateCharge000${i}`));
      expect(Object.keys(all.charges[0]).sort()).toEqual(
        [
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
        ].sort(),
      );

      const page = (await invoke('list_charges', { limit: 2 })) as { charges: Array<{ id: string }>; hasMore: boolean };
      expect(page).toMatchObject({ hasMore: true, charges: [{ id: 'ch_3FlowgateCharge0004' }, { id: 'ch_3FlowgateCharge0003' }] });
      const next = (await invoke('list_charges', { limit: 2, starting_after: page.charges[1].id })) as typeof page;
      expect(lastRequest().query).toEqual({ limit: '2', starting_after: 'ch_3FlowgateCharge0003' });
      expect(next.charges.map((c) => c.id)).toEqual(['ch_3FlowgateCharge0002', 'ch_3FlowgateCharge0001']);

      const mine = (await invoke('list_charges', { customer: 'cus_FlowgateRegular1' })) as typeof page;
      expect(mine.charges.map((c) => c.id)).toEqual(['ch_3FlowgateCharge0003', 'ch_3FlowgateCharge0001']);

      const since = stripe.charges[3].created as number;
      const recent = (await invoke('list_charges', { created_after: new Date(since * 1000).toISOString() })) as typeof page;
      expect(lastRequest().query['created[gte]']).toBe(String(since));
      expect(recent.charges.map((c) => c.id)).toEqual(['ch_3FlowgateCharge0004', 'ch_3FlowgateCharge0003']);
      await invoke('list_charges', { created_after: since });
      expect(lastRequest().query['created[gte]']).toBe(String(since));

      const tooMany = await failure(invoke('list_charges', { limit: 101 }));
      expect(tooMany).toMatchObject({ code: 'INVALID_PARAMS', retryable: false });
      expect(tooMany.details).toEqual([{ field: 'limit', message: 'must be <= 100' }]);
    });

    it('describes every action with readOnly, sideEffects and a sample output', async () => {
      const res = await t.http.get('/api/connectors/stripe', { token: owner.token });
      expect(res.status).toBe(200);
      const actions = res.body.actions as Array<Record<string, unknown>>;
      expect(actions.map((a) => [a.key, a.readOnly])).toEqual([
        ['create_customer', false],
        ['create_payment_link', false],
        ['create_invoice_item', false],
        ['list_charges', true],
      ]);
      const local = new StripeConnector().descriptor.actions;
      expect(local.map((a) => [a.key, a.sideEffects])).toEqual([
        ['create_customer', true],
        ['create_payment_link', true],
        ['create_invoice_item', true],
        ['list_charges', false],
      ]);
      for (const a of local) expect([a.key, a.sampleOutput]).toEqual([a.key, expect.any(Object)]);
      expect((local[3].sampleOutput as { charges: unknown[] }).charges).toHaveLength(1);
    });
  });

  describe('error mapping, case by case', () => {
    const customerParams = { email: 'err@example.com' };

    it('402 card_error: not retryable, with the decline code', async () => {
      stripe.failNext(STRIPE_ERRORS.cardDeclined);
      const e = await failure(invoke('create_customer', customerParams));
      expect(e.message).toBe(
        'Stripe: card_declined — the card was declined: Your card has insufficient funds. (decline_code: insufficient_funds) (402)',
      );
      expect(e).toMatchObject({ retryable: false, status: 402, code: 'card_declined' });
      expect(e.details).toMatchObject({
        type: 'card_error',
        code: 'card_declined',
        declineCode: 'insufficient_funds',
        docUrl: 'https://stripe.com/docs/error-codes/card-declined',
        requestId: expect.stringMatching(/^req_/),
      });
    });

    it('400 invalid_request_error: not retryable, naming the param (the fake validates for real)', async () => {
      const missing = await failure(invoke('create_invoice_item', { customer: 'cus_NoSuchCustomer1', amount: 100, currency: 'usd' }));
      expect(missing.message).toBe(
        "Stripe: resource_missing — no such object: No such customer: 'cus_NoSuchCustomer1' (param: customer) (400)",
      );
      expect(missing).toMatchObject({ retryable: false, status: 400, code: 'resource_missing', details: { param: 'customer' } });

      const price = await failure(invoke('create_payment_link', { price: 'price_DoesNotExist1' }));
      expect(price.message).toBe(
        "Stripe: resource_missing — no such object: No such price: 'price_DoesNotExist1' (param: line_items[0][price]) (400)",
      );
      expect(price.retryable).toBe(false);
    });

    it('401: not retryable, "the secret key is invalid or revoked", no trace of the key (not even masked)', async () => {
      const wrong = await credential({ secretKey: WRONG_KEY });
      const e = await failure(invoke('create_customer', customerParams, { credentialId: wrong }));
      expect(e.message).toBe('Stripe: invalid_request_error — the secret key is invalid or revoked (401)');
      expect(e).toMatchObject({ retryable: false, status: 401 });
      expect(stripe.requests.at(-1)!.headers.authorization).toBe(`Bearer ${WRONG_KEY}`);
      const told = JSON.stringify({ m: e.message, d: e.details });
      expect(told).not.toContain(WRONG_KEY);
      expect(told).not.toContain(WRONG_KEY.slice(-4));
    });

    it('403: a restricted key without write permission is not retried; reads still work with it', async () => {
      const restricted = await credential({ secretKey: STRIPE_FAKE_RESTRICTED_KEY });
      const e = await failure(invoke('create_customer', customerParams, { credentialId: restricted }));
      expect(e.message).toBe(
        "Stripe: invalid_request_error — the restricted key lacks a permission this request needs: The provided key '[key]' does not have the required permissions for this endpoint on account 'acct_1FlowgateFake01'. Having the 'rak_customer_write' permission would allow this request to continue. (403)",
      );
      expect(e).toMatchObject({ retryable: false, status: 403 });
      expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain(STRIPE_FAKE_RESTRICTED_KEY.slice(-4));
      const read = (await invoke('list_charges', { limit: 1 }, { credentialId: restricted })) as { charges: unknown[] };
      expect(read.charges).toHaveLength(1);
    });

    it('404 resource_missing: not retryable, naming the param', async () => {
      stripe.failNext(STRIPE_ERRORS.notFound);
      const e = await failure(invoke('create_customer', customerParams));
      expect(e.message).toBe("Stripe: resource_missing — no such object: No such customer: 'cus_NoSuchCustomer1' (param: customer) (404)");
      expect(e).toMatchObject({ retryable: false, status: 404 });
    });

    it('409 idempotency_key_in_use: retryable (the first request is still in flight; the retry replays its result)', async () => {
      stripe.failNext(STRIPE_ERRORS.idempotencyKeyInUse);
      const e = await failure(invoke('create_customer', customerParams));
      expect(e.message).toMatch(/^Stripe: idempotency_key_in_use — a request with the same idempotency key is still in progress: /);
      expect(e).toMatchObject({ retryable: true, status: 409, code: 'idempotency_key_in_use' });
    });

    it('the same key with the same params replays the first answer (Idempotent-Replayed), creating nothing', async () => {
      const first = await invoke('create_customer', { email: 'same@example.com' }, { idempotencyKey: 'flowgate-same-key' });
      const again = await invoke('create_customer', { email: 'same@example.com' }, { idempotencyKey: 'flowgate-same-key' });
      expect(again).toEqual(first);
      expect(stripe.customers.filter((c) => c.email === 'same@example.com')).toHaveLength(1);
      expect(stripe.replayed.at(-1)).toBe('flowgate-same-key');
    });

    it('400 idempotency_error: the same key with other params is refused and never retried', async () => {
      await invoke('create_customer', { email: 'first@example.com' }, { idempotencyKey: 'flowgate-reused-key' });
      const e = await failure(invoke('create_customer', { email: 'second@example.com' }, { idempotencyKey: 'flowgate-reused-key' }));
      expect(e.message).toMatch(
        /^Stripe: idempotency_error — the idempotency key was already used for a different request: Keys for idempotent requests can only be used with the same parameters/,
      );
      expect(e).toMatchObject({ retryable: false, status: 400, code: 'idempotency_error' });
      expect(stripe.customers.filter((c) => c.email === 'second@example.com')).toHaveLength(0);
    });

    it('429 rate limit and lock_timeout: retryable, Retry-After carried', async () => {
      stripe.failNext(STRIPE_ERRORS.rateLimited);
      const limited = await failure(invoke('list_charges', {}));
      expect(limited).toMatchObject({ retryable: true, status: 429, code: 'rate_limit', retryAfterSeconds: 2 });
      expect(limited.message).toMatch(/^Stripe: rate_limit — rate limited by Stripe: Request rate limit exceeded\./);
      stripe.failNext(STRIPE_ERRORS.lockTimeout);
      const locked = await failure(invoke('create_customer', customerParams));
      expect(locked).toMatchObject({ retryable: true, status: 429, code: 'lock_timeout' });
    });

    it('500 api_error: retryable; Stripe-Should-Retry: false makes it final, and true overrides a 4xx', async () => {
      stripe.failNext(STRIPE_ERRORS.apiError);
      const e = await failure(invoke('create_customer', customerParams));
      expect(e.message).toBe('Stripe: api_error — Stripe had a problem on its side: An unknown error occurred (500)');
      expect(e).toMatchObject({ retryable: true, status: 500 });

      stripe.failNext(STRIPE_ERRORS.apiErrorDoNotRetry);
      expect(await failure(invoke('create_customer', customerParams))).toMatchObject({ retryable: false, status: 500 });

      stripe.failNext({ ...STRIPE_ERRORS.notFound, headers: { ...STRIPE_ERRORS.notFound.headers, 'stripe-should-retry': 'true' } });
      expect(await failure(invoke('create_customer', customerParams))).toMatchObject({ retryable: true, status: 404 });
    });

    it('an answer that is not Stripe JSON still gives a clear status-based error', async () => {
      stripe.failNext({ status: 502, body: '<html><body>Bad gateway</body></html>', headers: { 'content-type': 'text/html' } });
      const e = await failure(invoke('list_charges', {}));
      expect(e).toMatchObject({ retryable: true, status: 502, message: 'Stripe: HTTP 502 (HTML error page) (502)' });
    });
  });

  describe('idempotency across worker retries', () => {
    it('a create whose answer is lost is retried with the same key: Stripe replays it, exactly one customer exists', async () => {
      const email = `retry-${Date.now()}@example.com`;
      const w = await createWorkflow(t.http, owner.token, {
        name: 'stripe retry',
        trigger: { type: 'webhook' },
        steps: [
          {
            name: 'customer',
            type: 'connector',
            connector: 'stripe',
            action: 'create_customer',
            credentialId,
            params: { email: '{{trigger.email}}', name: '{{trigger.name}}' },
          },
        ],
        settings: { retries: 2, backoff: { type: 'fixed', delayMs: 20 } },
      });
      stripe.loseNextReply(STRIPE_ERRORS.apiError);
      const before = stripe.requests.length;
      const replayedBefore = stripe.replayed.length;
      const run = await t.http.post(`/api/workflows/${w.id}/run`, { payload: { email, name: 'Retry Ree' } }, { token: owner.token });
      expect(run.status).toBe(202);
      const e = await waitForExecution(t.http, owner.token, run.body.executionId);
      expect(e).toMatchObject({ status: 'succeeded', attempts: 2 });

      const posts = stripe.requests.slice(before).filter((r) => r.path === '/v1/customers');
      expect(posts).toHaveLength(2);
      expect(posts[0].headers['idempotency-key']).toMatch(/^flowgate-[0-9a-f]{40}$/);
      expect(posts[1].headers['idempotency-key']).toBe(posts[0].headers['idempotency-key']);
      expect(posts[1].text).toBe(posts[0].text);
      expect(stripe.replayed.slice(replayedBefore)).toEqual([posts[0].headers['idempotency-key']]);
      const created = stripe.customers.filter((c) => c.email === email);
      expect(created).toHaveLength(1);
      expect(e.steps[0].output).toMatchObject({ id: created[0].id, email, name: 'Retry Ree' });
    });

    it('two executions of the same workflow create two customers (a key is per execution)', async () => {
      const email = `twice-${Date.now()}@example.com`;
      const w = await createWorkflow(t.http, owner.token, {
        name: 'stripe twice',
        trigger: { type: 'webhook' },
        steps: [{ name: 'customer', type: 'connector', connector: 'stripe', action: 'create_customer', credentialId, params: { email } }],
        settings: { retries: 0 },
      });
      for (let i = 0; i < 2; i++) {
        const run = await t.http.post(`/api/workflows/${w.id}/run`, { payload: {} }, { token: owner.token });
        expect((await waitForExecution(t.http, owner.token, run.body.executionId)).status).toBe('succeeded');
      }
      const keys = stripe.requests.filter((r) => r.path === '/v1/customers' && parseStripeForm(r.text).email === email);
      expect(new Set(keys.map((r) => r.headers['idempotency-key'])).size).toBe(2);
      expect(stripe.customers.filter((c) => c.email === email)).toHaveLength(2);
    });

    it('a failing run stores the mapped error without the key', async () => {
      const wrong = await credential({ secretKey: WRONG_KEY });
      const w = await createWorkflow(t.http, owner.token, {
        name: 'stripe wrong key',
        trigger: { type: 'webhook' },
        steps: [
          { name: 'charges', type: 'connector', connector: 'stripe', action: 'list_charges', credentialId: wrong, params: { limit: 3 } },
        ],
        settings: { retries: 2, backoff: { type: 'fixed', delayMs: 20 } },
      });
      const run = await t.http.post(`/api/workflows/${w.id}/run`, { payload: {} }, { token: owner.token });
      const e = await waitForExecution(t.http, owner.token, run.body.executionId);
      expect(e).toMatchObject({ status: 'failed', attempts: 1, error: { step: 'charges', retryable: false, status: 401 } });
      expect(e.error.message).toBe('Stripe: invalid_request_error — the secret key is invalid or revoked (401)');
    });
  });

  describe('the example workflow', () => {
    it('examples/stripe-new-customer.json imports and dry-runs against the fakes: customer created, team told on Slack', async () => {
      const doc = JSON.parse(readFileSync(join(__dirname, '..', 'examples', 'stripe-new-customer.json'), 'utf8'));
      await credential({ secretKey: STRIPE_FAKE_KEY }, 'Demo Stripe');
      const hook = await t.http.post(
        '/api/credentials',
        { name: 'Demo Slack', connectorKey: 'slack', authKind: 'webhook_url', secrets: { webhookUrl: slack.webhookUrl('live') } },
        { token: owner.token },
      );
      expect(hook.status).toBe(201);
      const imported = await t.http.post('/api/workflows/import', doc, { token: owner.token });
      expect([imported.status, imported.text]).toEqual([201, expect.any(String)]);
      const res = await t.http.post(
        `/api/workflows/${imported.body.id}/dry-run`,
        { payload: { customer: { email: 'grace@example.com', name: 'Grace Hopper', plan: 'pro' } } },
        { token: owner.token },
      );
      expect(res.status).toBe(200);
      const failed = res.body.steps?.find((s: { status: string }) => s.status === 'failed');
      expect([res.body.status, failed?.error?.message]).toEqual(['succeeded', undefined]);
      const created = stripe.customers.find((c) => c.email === 'grace@example.com')!;
      expect(created).toMatchObject({ name: 'Grace Hopper', metadata: { plan: 'pro', source: 'flowgate' } });
      expect(slack.messages.at(-1)).toEqual({
        text: `New Stripe customer Grace Hopper <grace@example.com> (${created.id as string}, plan pro).`,
      });
    });
  });

  it('the secret keys never appear in logs or stored executions', async () => {
    const rows: Array<{ row: string }> = await t.app
      .get(DataSource)
      .query('SELECT row_to_json(e)::text AS row FROM executions e WHERE tenant_id = $1', [owner.tenantId]);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    const stored = rows.map((r) => r.row).join('\n');
    const logs = t.logs.join('\n');
    for (const key of [STRIPE_FAKE_KEY, STRIPE_FAKE_RESTRICTED_KEY, WRONG_KEY]) {
      expect(stored).not.toContain(key);
      expect(logs).not.toContain(key);
    }
    expect(stored).toContain('cus_');
  });
});
