import { Client as PgClient } from 'pg';
import { startDogCeoFake } from './fakes/dogceo.fake';
import { FakeServer } from './fakes/fake-server';
import { KongFake, startKongFake } from './fakes/kong-admin.fake';
import { kongProxy } from './fakes/kong-proxy.fake';
import { SOAP_FAKE_NAMESPACE, SoapFake, startSoapFake } from './fakes/soap-service.fake';
import { applyTemplate, createWorkflow, matchesContract } from './kong.helpers';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { waitForExecution } from './support/workflow-helpers';

const originalQuery = PgClient.prototype.query;

/**
 * Requests "through Kong": the proxy emulator routes by the entities Flowgate made in the fake
 * Admin API (paths, strip_path, request-transformer, key-auth, acl, proxy-cache) to the real
 * app, which calls the fake SOAP service and the Dog CEO fake through its outbound client.
 */
describe('Kong gateway endpoints: SOAP bridge, aggregator, secured and rate-limited routes', () => {
  let kong: KongFake;
  let soap: SoapFake;
  let dogs: FakeServer;
  let t: TestApp;
  let proxy: ReturnType<typeof kongProxy>;
  let a: Awaited<ReturnType<typeof registerTenant>>;
  let b: Awaited<ReturnType<typeof registerTenant>>;

  beforeAll(async () => {
    [kong, soap, dogs] = await Promise.all([startKongFake(), startSoapFake(), startDogCeoFake()]);
    t = await startTestApp({
      KONG_ADMIN_URL: kong.url,
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1',
      DOGCEO_BASE_URL: dogs.url,
      FLOWGATE_PUBLIC_URL_FOR_KONG: 'http://flowgate:3000',
      KONG_USAGE_SECRET: 'usage-secret-for-gateway-tests-0123',
      // Long enough that only an explicit invalidation (deploy, undeploy) can change what the webhook path sees.
      WORKFLOW_CACHE_TTL_MS: '600000',
    });
    proxy = kongProxy(kong, t.url);
    a = await registerTenant(t.http, 'Gateway A');
    b = await registerTenant(t.http, 'Gateway B');
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([kong?.close(), soap?.close(), dogs?.close()]);
  });

  const soapWorkflow = (token: string, version: '1.1' | '1.2' = '1.1') =>
    createWorkflow(t.http, token, {
      name: 'Legacy weather',
      steps: [
        {
          name: 'legacy',
          connector: 'soap',
          action: 'call',
          params: {
            url: soap.endpoint,
            operation: 'GetWeather',
            namespace: SOAP_FAKE_NAMESPACE,
            soapVersion: version,
            params: { City: '{{trigger.city}}' },
          },
        },
      ],
    });

  describe('protocol_bridge', () => {
    let wf: string;
    let deploymentId: string;

    beforeAll(async () => {
      wf = await soapWorkflow(a.token);
      const res = await applyTemplate(t.http, a.token, wf, 'protocol_bridge');
      expect(res.status).toBe(201);
      deploymentId = res.body.id;
    });

    it('JSON in → SOAP envelope to the legacy service → JSON out', async () => {
      const before = soap.requests.length;
      const res = matchesContract(
        await proxy('POST', `/workflows/${wf}/bridge`, { body: { city: 'Paris' } }),
        'POST',
        `/api/kong/bridge/${deploymentId}`,
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ GetWeatherResponse: { GetWeatherResult: { City: 'Paris', Temperature: '21.5', Conditions: 'Sunny' } } });
      const sent = soap.requests[before];
      expect(sent.headers.soapaction).toBe(`"${SOAP_FAKE_NAMESPACE}GetWeather"`);
      expect(sent.text).toContain('<soap:Envelope');
      expect(sent.text).toMatch(/<[^>]*City[^>]*>Paris</);
    });

    it('a soap:Fault becomes a 502 JSON error carrying faultcode and faultstring', async () => {
      const res = matchesContract(
        await proxy('POST', `/workflows/${wf}/bridge`, { body: { city: 'Atlantis' } }),
        'POST',
        `/api/kong/bridge/${deploymentId}`,
      );
      expect(res.status).toBe(502);
      expect(res.body).toMatchObject({
        statusCode: 502,
        code: 'SOAP_FAULT',
        details: [expect.objectContaining({ faultcode: 'soap:Client', faultstring: 'City not found: Atlantis', upstreamStatus: 500 })],
      });
      expect(res.body.message).toContain('City not found: Atlantis');
    });

    it('SOAP 1.2 faults map the same way', async () => {
      const wf12 = await soapWorkflow(a.token, '1.2');
      expect((await applyTemplate(t.http, a.token, wf12, 'protocol_bridge')).status).toBe(201);
      const ok = await proxy('POST', `/workflows/${wf12}/bridge`, { body: { city: 'Oslo' } });
      expect(ok.body.GetWeatherResponse.GetWeatherResult).toMatchObject({ City: 'Oslo', Conditions: 'Snow & wind' });
      const fault = await proxy('POST', `/workflows/${wf12}/bridge`, { body: { city: 'Nowhere' } });
      expect(fault.status).toBe(502);
      // One details entry for the one fault (details are always an array).
      expect(fault.body.details).toEqual([
        expect.objectContaining({ message: 'City not found: Nowhere', faultcode: 'soap:Sender', faultstring: 'City not found: Nowhere' }),
      ]);
    });

    it('a body that is not a JSON object is a 400 naming the body, and the SOAP service is not called', async () => {
      const before = soap.requests.length;
      for (const body of [['Paris'], 'Paris', 42]) {
        const res = matchesContract(await proxy('POST', `/workflows/${wf}/bridge`, { body }), 'POST', `/api/kong/bridge/${deploymentId}`);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({
          code: 'VALIDATION_FAILED',
          details: [{ message: expect.stringContaining('must be a JSON object') }],
        });
      }
      expect(soap.requests.length).toBe(before);
    });

    it('input that leaves the step params invalid is a 400 naming the field', async () => {
      const wfStrict = await createWorkflow(t.http, a.token, {
        steps: [
          {
            name: 'legacy',
            connector: 'soap',
            action: 'call',
            params: { url: soap.endpoint, operation: '{{trigger.op}}', namespace: SOAP_FAKE_NAMESPACE },
          },
        ],
      });
      expect((await applyTemplate(t.http, a.token, wfStrict, 'protocol_bridge')).status).toBe(201);
      const res = await proxy('POST', `/workflows/${wfStrict}/bridge`, { body: { op: 'not an operation!' } });
      expect(res.status).toBe(400);
      expect(res.body.details[0].field).toMatch(/^params\.operation/);
    });

    it('the endpoint answers only requests that came through the deployment (gateway secret), per tenant', async () => {
      const path = `/api/kong/bridge/${deploymentId}`;
      const none = await t.http.post(path, { city: 'Paris' });
      expect(none.status).toBe(401);
      expect(none.body.code).toBe('GATEWAY_SECRET_REQUIRED');
      const wrong = await t.http.post(path, { city: 'Paris' }, { headers: { 'x-flowgate-gateway-secret': 'guess' } });
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe('GATEWAY_SECRET_INVALID');

      // Tenant B's own deployment secret does not open tenant A's bridge.
      const wfB = await soapWorkflow(b.token);
      const depB = await applyTemplate(t.http, b.token, wfB, 'protocol_bridge');
      const rtB = kong.tagged('plugins', `deployment:${depB.body.id}`).find((p) => p.name === 'request-transformer')!;
      const secretB = (rtB.config.add.headers[0] as string).split(':')[1];
      const crossed = await t.http.post(path, { city: 'Paris' }, { headers: { 'x-flowgate-gateway-secret': secretB } });
      expect(crossed.status).toBe(401);
      // …while it does open B's own.
      const own = await t.http.post(
        `/api/kong/bridge/${depB.body.id}`,
        { city: 'Paris' },
        { headers: { 'x-flowgate-gateway-secret': secretB } },
      );
      expect(own.status).toBe(200);

      expect(
        (
          await t.http.post(
            '/api/kong/bridge/00000000-0000-4000-8000-000000000000',
            {},
            { headers: { 'x-flowgate-gateway-secret': secretB } },
          )
        ).status,
      ).toBe(404);
      expect((await t.http.post('/api/kong/bridge/not-a-uuid', {})).status).toBe(400);
      // The bridge deployment is not an aggregator: the other endpoint does not know it.
      expect((await t.http.get(`/api/kong/aggregate/${depB.body.id}`, { headers: { 'x-flowgate-gateway-secret': secretB } })).status).toBe(
        404,
      );
      expect(t.logs.join('\n')).not.toContain(secretB);
    });

    it('a deleted deployment stops answering', async () => {
      const wf2 = await soapWorkflow(a.token);
      const dep = await applyTemplate(t.http, a.token, wf2, 'protocol_bridge');
      const rt = kong.tagged('plugins', `deployment:${dep.body.id}`).find((p) => p.name === 'request-transformer')!;
      const secret = (rt.config.add.headers[0] as string).split(':')[1];
      expect((await t.http.delete(`/api/kong/templates/${dep.body.id}`, { token: a.token })).status).toBe(204);
      const res = await t.http.post(
        `/api/kong/bridge/${dep.body.id}`,
        { city: 'Paris' },
        { headers: { 'x-flowgate-gateway-secret': secret } },
      );
      expect(res.status).toBe(404);
    });
  });

  describe('smart_aggregator', () => {
    it('runs the read-only steps in parallel, merges their outputs, and Kong caches the answer', async () => {
      const wf = await createWorkflow(t.http, a.token, {
        steps: [
          { name: 'echo', type: 'transform', params: { asked: '{{trigger.breed}}' } },
          { name: 'dog', connector: 'dogceo', action: 'breed_random_image', params: { breed: '{{trigger.breed}}' } },
          {
            name: 'notify',
            connector: 'soap',
            action: 'call',
            params: { url: soap.endpoint, operation: 'Add', namespace: SOAP_FAKE_NAMESPACE, params: { a: 1, b: 2 } },
          },
        ],
      });
      const dep = await applyTemplate(t.http, a.token, wf, 'smart_aggregator');
      expect(dep.status).toBe(201);
      const soapCalls = soap.requests.length;

      const first = matchesContract(
        await proxy('GET', `/workflows/${wf}/aggregate?breed=hound`),
        'GET',
        `/api/kong/aggregate/${dep.body.id}`,
      );
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        workflow_id: wf,
        results: { echo: { asked: 'hound' }, dog: { status: 200, body: { status: 'success', message: expect.stringContaining('hound') } } },
        errors: {},
      });
      // Not read-only: never run by the aggregator.
      expect(first.body.results.notify).toBeUndefined();
      expect(soap.requests.length).toBe(soapCalls);
      expect(first.headers.get('x-cache-status')).toBe('Miss');

      const dogCalls = dogs.requests.length;
      const second = await proxy('GET', `/workflows/${wf}/aggregate?breed=hound`);
      expect(second.headers.get('x-cache-status')).toBe('Hit');
      expect(second.body).toEqual(first.body);
      expect(dogs.requests.length).toBe(dogCalls);
    });

    it('partial failures answer 207 with the errors (not cached); all failing is a 502', async () => {
      const wf = await createWorkflow(t.http, a.token, {
        steps: [
          { name: 'echo', type: 'transform', params: { asked: '{{trigger.breed}}' } },
          { name: 'dog', connector: 'dogceo', action: 'breed_random_image', params: { breed: '{{trigger.breed}}' } },
        ],
      });
      const dep = await applyTemplate(t.http, a.token, wf, 'smart_aggregator');
      expect(dep.status).toBe(201);
      const partial = matchesContract(
        await proxy('GET', `/workflows/${wf}/aggregate?breed=unicorn`),
        'GET',
        `/api/kong/aggregate/${dep.body.id}`,
      );
      expect(partial.status).toBe(207);
      expect(partial.body.results.echo).toEqual({ asked: 'unicorn' });
      expect(partial.body.errors.dog).toMatchObject({ message: expect.stringContaining('Dog CEO') });
      expect(partial.headers.get('x-cache-status')).toBe('Bypass');

      const onlyDog = await createWorkflow(t.http, a.token, {
        steps: [{ name: 'dog', connector: 'dogceo', action: 'breed_random_image', params: { breed: '{{trigger.breed}}' } }],
      });
      const onlyDogDep = await applyTemplate(t.http, a.token, onlyDog, 'smart_aggregator');
      expect(onlyDogDep.status).toBe(201);
      const failed = matchesContract(
        await proxy('GET', `/workflows/${onlyDog}/aggregate?breed=unicorn`),
        'GET',
        `/api/kong/aggregate/${onlyDogDep.body.id}`,
      );
      expect(failed.status).toBe(502);
      expect(failed.body.code).toBe('AGGREGATE_FAILED');
      // One details entry per failed step, `field` naming the step.
      expect(failed.body.details).toEqual([expect.objectContaining({ field: 'dog', message: expect.stringContaining('Dog CEO') })]);
    });

    it('runs only the chosen steps when options.steps is given', async () => {
      const wf = await createWorkflow(t.http, a.token, {
        steps: [
          { name: 'one', type: 'transform', params: { n: 1 } },
          { name: 'two', type: 'transform', params: { n: 2 } },
        ],
      });
      expect((await applyTemplate(t.http, a.token, wf, 'smart_aggregator', { steps: ['two'] })).status).toBe(201);
      const res = await proxy('GET', `/workflows/${wf}/aggregate`);
      expect(res.body.results).toEqual({ two: { n: 2 } });
    });
  });

  describe('federated_security and webhook_handler', () => {
    it("key-auth lets the tenant's key through to the webhook; no key 401; another tenant's key 403", async () => {
      const wfA = await createWorkflow(t.http, a.token);
      const depA = await applyTemplate(t.http, a.token, wfA, 'federated_security');
      const keyA = depA.body.credentials.api_key as string;
      const wfB = await createWorkflow(t.http, b.token);
      const depB = await applyTemplate(t.http, b.token, wfB, 'federated_security');
      const keyB = depB.body.credentials.api_key as string;

      const ok = await proxy('POST', `/workflows/${wfA}/secure`, { headers: { apikey: keyA }, body: { name: 'Ada' } });
      expect(ok.status).toBe(202);
      expect(ok.body.executionId).toEqual(expect.any(String));
      expect((await proxy('POST', `/workflows/${wfA}/secure`, { body: {} })).status).toBe(401);
      expect((await proxy('POST', `/workflows/${wfA}/secure`, { headers: { apikey: 'made-up' }, body: {} })).status).toBe(401);
      const crossed = await proxy('POST', `/workflows/${wfA}/secure`, { headers: { apikey: keyB }, body: {} });
      expect(crossed.status).toBe(403);
    });

    it('webhook_handler routes to the workflow webhook', async () => {
      const wf = await createWorkflow(t.http, a.token);
      expect((await applyTemplate(t.http, a.token, wf, 'webhook_handler')).status).toBe(201);
      const res = await proxy('POST', `/workflows/${wf}/webhook`, { body: { name: 'Grace' } });
      expect(res.status).toBe(202);
      expect(res.body.executionId).toEqual(expect.any(String));
    });
  });
  describe('a workflow behind a Kong pattern accepts only calls through Kong', () => {
    const SUFFIX: Record<string, string> = { federated_security: 'secure', usage_tracking: 'metered', webhook_handler: 'webhook' };
    const executionsOf = async (wf: string) =>
      (await t.http.get('/api/logs', { token: a.token, query: { workflowId: wf } })).body.items as { id: string }[];

    for (const useCase of ['federated_security', 'usage_tracking', 'webhook_handler']) {
      it(`${useCase}: a direct POST /api/webhooks/<id> is refused and stores nothing; through Kong it runs; after undeploy direct calls work again`, async () => {
        const wf = await createWorkflow(t.http, a.token);
        // Before: an ordinary webhook workflow (and now in the workflow cache).
        const before = await t.http.post(`/api/webhooks/${wf}`, { name: 'before' });
        expect(before.status).toBe(202);
        await waitForExecution(t.http, a.token, before.body.executionId);

        const dep = await applyTemplate(t.http, a.token, wf, useCase);
        expect(dep.status).toBe(201);
        // Kong's route carries the deployment's gateway secret to the webhook.
        const rt = kong.tagged('plugins', `deployment:${dep.body.id}`).find((p) => p.name === 'request-transformer');
        expect(rt?.config).toMatchObject({
          remove: { headers: ['x-flowgate-gateway-secret'] },
          add: { headers: [expect.stringMatching(/^x-flowgate-gateway-secret:.{40,}$/)] },
        });
        const secret = (rt!.config.add.headers[0] as string).split(':')[1];
        expect(JSON.stringify(dep.body)).not.toContain(secret);

        const direct = await t.http.post(`/api/webhooks/${wf}`, { name: 'direct' });
        expect(direct.status).toBe(401);
        expect(direct.body).toMatchObject({ statusCode: 401, code: 'GATEWAY_SECRET_REQUIRED' });
        const guessed = await t.http.post(`/api/webhooks/${wf}`, { name: 'guess' }, { headers: { 'x-flowgate-gateway-secret': 'guess' } });
        expect(guessed.status).toBe(401);
        expect(guessed.body.code).toBe('GATEWAY_SECRET_INVALID');
        // Another deployment's secret (here a bridge of the same tenant) does not open this workflow.
        const other = await soapWorkflow(a.token);
        const bridge = await applyTemplate(t.http, a.token, other, 'protocol_bridge');
        const bridgeSecret = (
          kong.tagged('plugins', `deployment:${bridge.body.id}`).find((p) => p.name === 'request-transformer')!.config.add
            .headers[0] as string
        ).split(':')[1];
        expect((await t.http.post(`/api/webhooks/${wf}`, {}, { headers: { 'x-flowgate-gateway-secret': bridgeSecret } })).status).toBe(401);

        // Through Kong (the secret added by the route's request-transformer; a smuggled value is replaced).
        const headers: Record<string, string> = { 'x-flowgate-gateway-secret': 'smuggled' };
        if (useCase === 'federated_security') headers.apikey = dep.body.credentials.api_key;
        const through = await proxy('POST', `/workflows/${wf}/${SUFFIX[useCase]}`, { headers, body: { name: 'via Kong' } });
        expect(through.status).toBe(202);
        const ran = await waitForExecution(t.http, a.token, through.body.executionId);
        expect(ran).toMatchObject({ status: 'succeeded', input: { name: 'via Kong' } });
        // Only the call from before the deployment and the one through Kong were stored.
        expect((await executionsOf(wf)).map((e) => e.id).sort()).toEqual([before.body.executionId, through.body.executionId].sort());
        expect(t.logs.join('\n')).not.toContain(secret);

        expect((await t.http.delete(`/api/kong/templates/${dep.body.id}`, { token: a.token })).status).toBe(204);
        const after = await t.http.post(`/api/webhooks/${wf}`, { name: 'after' });
        expect(after.status).toBe(202);
      });
    }

    it('two patterns on one workflow: each Kong route opens it, removing one keeps the other protecting it', async () => {
      const wf = await createWorkflow(t.http, a.token);
      const secure = await applyTemplate(t.http, a.token, wf, 'federated_security');
      const metered = await applyTemplate(t.http, a.token, wf, 'usage_tracking');
      expect([secure.status, metered.status]).toEqual([201, 201]);
      expect(
        (await proxy('POST', `/workflows/${wf}/secure`, { headers: { apikey: secure.body.credentials.api_key }, body: {} })).status,
      ).toBe(202);
      expect((await proxy('POST', `/workflows/${wf}/metered`, { body: {} })).status).toBe(202);
      expect((await t.http.delete(`/api/kong/templates/${metered.body.id}`, { token: a.token })).status).toBe(204);
      expect((await t.http.post(`/api/webhooks/${wf}`, {})).status).toBe(401);
      expect(
        (await proxy('POST', `/workflows/${wf}/secure`, { headers: { apikey: secure.body.credentials.api_key }, body: {} })).status,
      ).toBe(202);
      // Re-applying keeps the same secret: Kong's route still opens it.
      expect((await applyTemplate(t.http, a.token, wf, 'federated_security')).status).toBe(200);
      expect(
        (await proxy('POST', `/workflows/${wf}/secure`, { headers: { apikey: secure.body.credentials.api_key }, body: {} })).status,
      ).toBe(202);
      expect((await t.http.delete(`/api/kong/templates/${secure.body.id}`, { token: a.token })).status).toBe(204);
      expect((await t.http.post(`/api/webhooks/${wf}`, {})).status).toBe(202);
    });

    it('the check reads the cached workflow: webhook calls, through Kong or direct, query no Kong deployment', async () => {
      const wf = await createWorkflow(t.http, a.token);
      const dep = await applyTemplate(t.http, a.token, wf, 'usage_tracking');
      expect((await proxy('POST', `/workflows/${wf}/metered`, { body: {} })).status).toBe(202); // loads the cache
      const sql: string[] = [];
      // Every SQL text the app sends to PostgreSQL while the calls are made and run.
      const spy = jest.spyOn(PgClient.prototype, 'query').mockImplementation(function (this: PgClient, ...args: unknown[]) {
        sql.push(typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string })?.text));
        return (originalQuery as (...a: unknown[]) => never).apply(this, args);
      });
      try {
        for (let i = 0; i < 5; i++) {
          const through = await proxy('POST', `/workflows/${wf}/metered`, { body: { i } });
          expect(through.status).toBe(202);
          expect((await t.http.post(`/api/webhooks/${wf}`, { i })).status).toBe(401);
          await waitForExecution(t.http, a.token, through.body.executionId);
        }
      } finally {
        spy.mockRestore();
      }
      expect(sql.length).toBeGreaterThan(0); // the spy sees the app's queries (the runs, the execution reads)
      expect(sql.filter((q) => /kong_deployments/i.test(q))).toEqual([]);
      expect((await t.http.delete(`/api/kong/templates/${dep.body.id}`, { token: a.token })).status).toBe(204);
    });

    it('patterns that do not front the webhook (bridge, aggregator) leave it callable directly', async () => {
      const wf = await createWorkflow(t.http, a.token);
      expect((await applyTemplate(t.http, a.token, wf, 'smart_aggregator')).status).toBe(201);
      expect((await t.http.post(`/api/webhooks/${wf}`, {})).status).toBe(202);
    });
  });
});
