import { ConnectorInvoker } from '../src/modules/connectors/connector-invoker';
import {
  SALESFORCE_FAKE_TOKEN,
  SALESFORCE_REQUEST_LIMIT,
  SALESFORCE_UNABLE_TO_LOCK_ROW,
  SALESFORCE_UNAVAILABLE,
  SalesforceFake,
  startSalesforceFake,
} from './fakes/salesforce.fake';
import { SOAP_FAKE_NAMESPACE, SoapFake, startSoapFake } from './fakes/soap-service.fake';
import {
  startTwilioFake,
  TWILIO_FAKE_ACCOUNT,
  TWILIO_FAKE_FROM,
  TWILIO_RATE_LIMITED,
  TWILIO_SERVICE_UNAVAILABLE,
  TwilioFake,
} from './fakes/twilio.fake';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { failure } from './support/connector-failure';

/**
 * twilio, soap and salesforce through the real app: credentials created over HTTP (encrypted in
 * PostgreSQL), calls made by ConnectorInvoker through the outbound client to local fakes.
 */
describe('connectors: twilio, soap, salesforce (real app, fakes on loopback)', () => {
  let t: TestApp;
  let twilio: TwilioFake;
  let soap: SoapFake;
  let securedSoap: SoapFake;
  let salesforce: SalesforceFake;
  let owner: Awaited<ReturnType<typeof registerTenant>>;
  let invoker: ConnectorInvoker;
  const SOAP_USER = { username: 'legacy-user', password: 'legacy-password-123' };

  beforeAll(async () => {
    [twilio, soap, securedSoap, salesforce] = await Promise.all([
      startTwilioFake(),
      startSoapFake(),
      startSoapFake({ auth: SOAP_USER }),
      startSalesforceFake(),
    ]);
    t = await startTestApp({
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1',
      OUTBOUND_TIMEOUT_MS: '5000',
      TWILIO_BASE_URL: twilio.url,
      // Lets a step give only a path; absolute URLs still work (securedSoap).
      SOAP_BASE_URL: soap.url,
    });
    owner = await registerTenant(t.http);
    invoker = t.app.get(ConnectorInvoker);
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([twilio.close(), soap.close(), securedSoap.close(), salesforce.close()]);
  });

  async function credential(body: Record<string, unknown>): Promise<string> {
    const res = await t.http.post('/api/credentials', { name: `cred ${Math.random()}`, ...body }, { token: owner.token });
    if (res.status !== 201) throw new Error(`credential: ${res.status} ${res.text}`);
    return res.body.id;
  }

  const invoke = (connectorKey: string, action: string, params: Record<string, unknown>, credentialId?: string) =>
    invoker.invoke({ tenantId: owner.tenantId, connectorKey, action, params, credentialId });

  describe('twilio', () => {
    let credentialId: string;
    beforeAll(async () => {
      credentialId = await credential({ connectorKey: 'twilio', authKind: 'basic', secrets: TWILIO_FAKE_ACCOUNT });
    });

    it('sends an SMS form-encoded with basic auth and returns the queued message', async () => {
      const before = twilio.requests.length;
      const out = (await invoke(
        'twilio',
        'send_sms',
        { to: '+14155550100', from: TWILIO_FAKE_FROM, body: 'Order #42 shipped & on its way' },
        credentialId,
      )) as any;
      expect(out.status).toBe(201);
      expect(out.body).toMatchObject({
        status: 'queued',
        to: '+14155550100',
        from: TWILIO_FAKE_FROM,
        body: 'Order #42 shipped & on its way',
      });
      expect(out.body.sid).toMatch(/^SM[0-9a-f]{32}$/);
      const req = twilio.requests[before];
      expect(req.method).toBe('POST');
      expect(req.path).toBe(`/2010-04-01/Accounts/${TWILIO_FAKE_ACCOUNT.accountSid}/Messages.json`);
      expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(req.body).toEqual({ To: '+14155550100', From: TWILIO_FAKE_FROM, Body: 'Order #42 shipped & on its way' });
      expect(JSON.stringify(out)).not.toContain(TWILIO_FAKE_ACCOUNT.authToken);
    });

    it("maps Twilio's error body to a clear, non-retryable message", async () => {
      const e = await failure(invoke('twilio', 'send_sms', { to: '+15005550001', from: TWILIO_FAKE_FROM, body: 'hi' }, credentialId));
      expect(e.message).toBe("Twilio: 21211 — The 'To' number +15005550001 is not a valid phone number. (400)");
      expect(e).toMatchObject({ retryable: false, status: 400, code: '21211' });
    });

    it('fails at once on a wrong auth token, without the token in the message', async () => {
      const bad = await credential({
        connectorKey: 'twilio',
        authKind: 'basic',
        secrets: { ...TWILIO_FAKE_ACCOUNT, authToken: 'wrong-token-abcdef' },
      });
      const e = await failure(invoke('twilio', 'send_sms', { to: '+14155550100', from: TWILIO_FAKE_FROM, body: 'hi' }, bad));
      expect(e.message).toBe('Twilio: 20003 — Authenticate (401)');
      expect(e.retryable).toBe(false);
      expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain('wrong-token-abcdef');
    });

    it('marks 429 and 503 as retryable', async () => {
      twilio.failNext(TWILIO_RATE_LIMITED);
      const limited = await failure(invoke('twilio', 'send_sms', { to: '+14155550100', from: TWILIO_FAKE_FROM, body: 'hi' }, credentialId));
      expect(limited).toMatchObject({ retryable: true, status: 429, message: 'Twilio: 20429 — Too Many Requests (429)' });
      twilio.failNext(TWILIO_SERVICE_UNAVAILABLE);
      expect(
        (await failure(invoke('twilio', 'send_sms', { to: '+14155550100', from: TWILIO_FAKE_FROM, body: 'hi' }, credentialId))).retryable,
      ).toBe(true);
    });

    it('rejects bad params before calling Twilio, naming the field', async () => {
      const before = twilio.requests.length;
      const e = await failure(invoke('twilio', 'send_sms', { to: '555-0100', body: 'hi' }, credentialId));
      expect(e).toMatchObject({ retryable: false, status: 400, code: 'INVALID_PARAMS' });
      expect(e.message).toMatch(/to/);
      expect(twilio.requests.length).toBe(before);
    });

    it('refuses a credential without the Twilio fields, and a step without a credential', async () => {
      const res = await t.http.post(
        '/api/credentials',
        { name: 'bad twilio', connectorKey: 'twilio', authKind: 'basic', secrets: { username: 'x', password: 'y' } },
        { token: owner.token },
      );
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.details)).toContain('secrets');
      const e = await failure(invoke('twilio', 'send_sms', { to: '+14155550100', from: TWILIO_FAKE_FROM, body: 'hi' }));
      expect(e).toMatchObject({ retryable: false, code: 'CREDENTIAL_REQUIRED' });
    });

    it('tests a credential against the account resource', async () => {
      const res = await t.http.post(`/api/credentials/${credentialId}/test`, undefined, { token: owner.token });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ok: true });
    });
  });

  describe('soap', () => {
    const weather = (City: string, soapVersion?: '1.1' | '1.2') => ({
      url: '/legacy/service.asmx',
      operation: 'GetWeather',
      namespace: SOAP_FAKE_NAMESPACE,
      ...(soapVersion ? { soapVersion } : {}),
      params: { City },
    });

    it('calls a SOAP 1.1 operation with the SOAPAction header and returns the Body as JSON', async () => {
      const before = soap.requests.length;
      const out = await invoke('soap', 'call', weather('Oslo'));
      expect(out).toEqual({
        status: 200,
        version: '1.1',
        body: { GetWeatherResponse: { GetWeatherResult: { City: 'Oslo', Temperature: '-3', Conditions: 'Snow & wind' } } },
      });
      const req = soap.requests[before];
      expect(req.path).toBe('/legacy/service.asmx');
      expect(req.headers.soapaction).toBe(`"${SOAP_FAKE_NAMESPACE}GetWeather"`);
      expect(req.headers['content-type']).toBe('text/xml; charset=utf-8');
      expect(req.text).toContain('<GetWeather xmlns="http://flowgate.test/legacy/"><City>Oslo</City></GetWeather>');
    });

    it('calls a SOAP 1.2 operation with the action in the content type', async () => {
      const before = soap.requests.length;
      const out = await invoke('soap', 'call', {
        url: soap.endpoint,
        operation: 'Add',
        namespace: SOAP_FAKE_NAMESPACE,
        soapVersion: '1.2',
        params: { a: 2, b: 3 },
      });
      expect(out).toEqual({ status: 200, version: '1.2', body: { AddResponse: { AddResult: '5' } } });
      expect(soap.requests[before].headers['content-type']).toBe(`application/soap+xml; charset=utf-8; action="${SOAP_FAKE_NAMESPACE}Add"`);
      expect(soap.requests[before].headers.soapaction).toBeUndefined();
    });

    it('escapes every value: markup in params comes back as the same text', async () => {
      const tricky = `</City><Injected>1</Injected> & "quotes" 'apos' ]]> <!-- x -->`;
      const out = (await invoke('soap', 'call', {
        url: '/legacy/service.asmx',
        operation: 'Echo',
        namespace: SOAP_FAKE_NAMESPACE,
        params: { Note: tricky, Item: ['a', 'b'], Price: { '@currency': `E"U'R<`, '#text': 10 } },
      })) as any;
      expect(out.body.EchoResponse).toEqual({ Note: tricky, Item: ['a', 'b'], Price: { '@currency': `E"U'R<`, '#text': '10' } });
    });

    it('turns a SOAP 1.1 fault into a non-retryable error carrying faultcode and faultstring', async () => {
      const e = await failure(invoke('soap', 'call', weather('Atlantis')));
      expect(e.message).toBe('SOAP: fault soap:Client — City not found: Atlantis (500)');
      expect(e).toMatchObject({ retryable: false, status: 500, code: 'SOAP_FAULT' });
      expect(e.details).toMatchObject({
        faultcode: 'soap:Client',
        faultstring: 'City not found: Atlantis',
        detail: { CityError: { City: 'Atlantis' } },
      });
    });

    it('turns a SOAP 1.2 fault (Code/Reason) into the same shape', async () => {
      const e = await failure(invoke('soap', 'call', weather('Atlantis', '1.2')));
      expect(e.message).toBe('SOAP: fault soap:Sender — City not found: Atlantis (500)');
      expect(e.details).toMatchObject({ faultcode: 'soap:Sender', faultstring: 'City not found: Atlantis' });
    });

    it('retries a 503 without an envelope, honouring Retry-After', async () => {
      soap.failNext({
        status: 503,
        headers: { 'retry-after': '4', 'content-type': 'text/html' },
        body: '<html><body>Service Unavailable</body></html>',
      });
      const e = await failure(invoke('soap', 'call', weather('Paris')));
      expect(e).toMatchObject({
        retryable: true,
        status: 503,
        retryAfterSeconds: 4,
        message: 'SOAP: HTTP 503 from the SOAP service (503)',
      });
    });

    it('rejects params XML cannot carry before calling the service', async () => {
      const before = soap.requests.length;
      const e = await failure(invoke('soap', 'call', { ...weather('Paris'), params: { 'Bad Name': 1 } }));
      expect(e).toMatchObject({ retryable: false, code: 'INVALID_PARAMS' });
      expect(e.message).toContain('params.Bad Name');
      expect(soap.requests.length).toBe(before);
    });

    it('sends basic auth from a basic credential; without it the service answers 401 (not retried)', async () => {
      const params = { url: securedSoap.endpoint, operation: 'GetWeather', namespace: SOAP_FAKE_NAMESPACE, params: { City: 'Paris' } };
      const e = await failure(invoke('soap', 'call', params));
      expect(e).toMatchObject({ retryable: false, status: 401 });
      const credentialId = await credential({ connectorKey: 'soap', authKind: 'basic', secrets: SOAP_USER, allowedHosts: ['127.0.0.1'] });
      const out = (await invoke('soap', 'call', params, credentialId)) as any;
      expect(out.body.GetWeatherResponse.GetWeatherResult.Temperature).toBe('21.5');
    });
  });

  describe('salesforce', () => {
    let credentialId: string;
    beforeAll(async () => {
      credentialId = await credential({
        connectorKey: 'salesforce',
        authKind: 'bearer',
        secrets: { accessToken: SALESFORCE_FAKE_TOKEN, instanceUrl: salesforce.url },
      });
    });

    it('creates, updates and queries a record with the bearer token against the instance URL', async () => {
      const created = (await invoke(
        'salesforce',
        'create_record',
        { object: 'Contact', fields: { FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@example.test' } },
        credentialId,
      )) as any;
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ success: true, errors: [] });
      expect(created.body.id).toMatch(/^003/);
      const createReq = salesforce.requests.find((r) => r.method === 'POST')!;
      expect(createReq.path).toBe('/services/data/v61.0/sobjects/Contact/');
      expect(createReq.headers.authorization).toBe(`Bearer ${SALESFORCE_FAKE_TOKEN}`);

      const updated = await invoke(
        'salesforce',
        'update_record',
        { object: 'Contact', id: created.body.id, fields: { Title: 'Countess' } },
        credentialId,
      );
      expect(updated).toEqual({ status: 204, body: { id: created.body.id, success: true } });

      const query = (await invoke(
        'salesforce',
        'query',
        { soql: "SELECT Id, LastName, Title FROM Contact WHERE Email = 'ada@example.test'" },
        credentialId,
      )) as any;
      expect(query.body).toMatchObject({
        totalSize: 1,
        done: true,
        records: [{ Id: created.body.id, LastName: 'Lovelace', Title: 'Countess' }],
      });
      expect(JSON.stringify([created, updated, query])).not.toContain(SALESFORCE_FAKE_TOKEN);
    });

    it('maps [{ message, errorCode, fields }] to a clear non-retryable error', async () => {
      const e = await failure(
        invoke('salesforce', 'create_record', { object: 'Contact', fields: { FirstName: 'No last name' } }, credentialId),
      );
      expect(e.message).toBe('Salesforce: REQUIRED_FIELD_MISSING — Required fields are missing: [LastName] (400)');
      expect(e).toMatchObject({ retryable: false, status: 400, code: 'REQUIRED_FIELD_MISSING' });
      expect(e.details).toEqual([
        { message: 'Required fields are missing: [LastName]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] },
      ]);

      const notFound = await failure(
        invoke('salesforce', 'update_record', { object: 'Contact', id: '003000000000000AAA', fields: { Title: 'x' } }, credentialId),
      );
      expect(notFound).toMatchObject({ retryable: false, status: 404, code: 'NOT_FOUND' });
    });

    it('fails at once on an invalid session', async () => {
      const stale = await credential({
        connectorKey: 'salesforce',
        authKind: 'bearer',
        secrets: { accessToken: 'expired-session-token', instanceUrl: salesforce.url },
      });
      const e = await failure(invoke('salesforce', 'query', { soql: 'SELECT Id FROM Account' }, stale));
      expect(e.message).toBe('Salesforce: INVALID_SESSION_ID — Session expired or invalid (401)');
      expect(e.retryable).toBe(false);
    });

    it('retries row locks and outages, not the daily request limit', async () => {
      salesforce.failNext(SALESFORCE_UNABLE_TO_LOCK_ROW);
      expect(
        (
          await failure(
            invoke('salesforce', 'update_record', { object: 'Contact', id: '003000000000000AAA', fields: { Title: 'x' } }, credentialId),
          )
        ).retryable,
      ).toBe(true);
      salesforce.failNext(SALESFORCE_UNAVAILABLE);
      expect((await failure(invoke('salesforce', 'query', { soql: 'SELECT Id FROM Account' }, credentialId))).retryable).toBe(true);
      salesforce.failNext(SALESFORCE_REQUEST_LIMIT);
      const limit = await failure(invoke('salesforce', 'query', { soql: 'SELECT Id FROM Account' }, credentialId));
      expect(limit).toMatchObject({ retryable: false, status: 403, code: 'REQUEST_LIMIT_EXCEEDED' });
    });

    it('refuses a bearer credential without an instance URL', async () => {
      const res = await t.http.post(
        '/api/credentials',
        { name: 'sf no url', connectorKey: 'salesforce', authKind: 'bearer', secrets: { accessToken: 'x' } },
        { token: owner.token },
      );
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.details)).toContain('instanceUrl');
    });
  });

  it('documents every one of these connectors in GET /api/connectors', async () => {
    const res = await t.http.get('/api/connectors', { token: owner.token });
    expect(res.status).toBe(200);
    const list = (Array.isArray(res.body) ? res.body : (res.body.connectors ?? res.body.items)) as Array<{
      key: string;
      actions: Array<{ key: string }>;
    }>;
    const byKey = Object.fromEntries(list.map((c) => [c.key, c.actions.map((a) => a.key)]));
    expect(byKey.twilio).toEqual(['send_sms']);
    expect(byKey.soap).toEqual(['call']);
    expect(byKey.salesforce).toEqual(['create_record', 'update_record', 'query']);
  });
});
