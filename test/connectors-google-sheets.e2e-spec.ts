import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConnectorRegistry } from '../src/modules/connectors/catalog';
import { ConnectorInvoker } from '../src/modules/connectors/connector-invoker';
import { FakeServer, startFake } from './fakes/fake-server';
import {
  GoogleSheetsFake,
  SHEETS_INTERNAL,
  SHEETS_QUOTA_403,
  SHEETS_RATE_LIMITED,
  SHEETS_UNAVAILABLE,
  startGoogleSheetsFake,
} from './fakes/google-sheets.fake';
import { connectCompany, MarketplaceEnv, startMarketplace } from './marketplace/marketplace-env';
import { failure } from './support/connector-failure';
import { registerTenant } from './support/test-app';
import { waitForExecution } from './support/workflow-helpers';

type Owner = Awaited<ReturnType<typeof registerTenant>>;

function serviceAccount(clientEmail: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    key: {
      type: 'service_account',
      client_email: clientEmail,
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      private_key_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    },
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/**
 * The google_sheets connector through the real app: credentials created over HTTP (both kinds:
 * a service-account key exchanged at Google's token endpoint, and a Nango connection), runs
 * through the HTTP API and the ConnectorInvoker, the Sheets API and the token endpoint a fake on
 * loopback that checks the JWT assertion's RS256 signature and claims and the bearer token.
 */
describe('connector google_sheets (real app, Sheets + token endpoint fake, Nango fake)', () => {
  let m: MarketplaceEnv;
  let sheets: GoogleSheetsFake;
  let trap: FakeServer;
  let owner: Owner;
  let invoker: ConnectorInvoker;
  const bot = serviceAccount('flowgate-bot@acme-project.iam.gserviceaccount.com');
  const SHEET = '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms';
  const PRIVATE_SHEET = '1PrivateSheetNotSharedWithTheBot000000000';

  beforeAll(async () => {
    [sheets, trap] = await Promise.all([startGoogleSheetsFake(), startFake({ '* /*': () => ({ body: { access_token: 'stolen' } }) })]);
    sheets.addServiceAccount(bot.key.client_email, bot.publicPem);
    sheets.addSpreadsheet(SHEET, { Leads: [['Name', 'Email', 'Company', 'Source']], Summary: [], 'Sheet 1': [['a', 'b', 'c']] });
    sheets.addSpreadsheet(PRIVATE_SHEET, { Sheet1: [] }, ['someone-else@acme.example']);
    m = await startMarketplace({
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1',
      OUTBOUND_TIMEOUT_MS: '5000',
      GOOGLE_SHEETS_BASE_URL: sheets.url,
      GOOGLE_TOKEN_URL: sheets.tokenUrl,
    });
    owner = await registerTenant(m.t.http);
    invoker = m.t.app.get(ConnectorInvoker);
  });
  afterAll(async () => {
    await m.close();
    await Promise.all([sheets.close(), trap.close()]);
  });

  async function credential(body: Record<string, unknown>): Promise<string> {
    const res = await m.t.http.post(
      '/api/credentials',
      { name: `sheets ${Math.random()}`, connectorKey: 'google_sheets', ...body },
      { token: owner.token },
    );
    if (res.status !== 201) throw new Error(`credential: ${res.status} ${res.text}`);
    return res.body.id;
  }
  const saKey = (key = bot.key) => credential({ authKind: 'google_service_account', secrets: key });
  const invoke = (action: string, params: Record<string, unknown>, credentialId: string) =>
    invoker.invoke({ tenantId: owner.tenantId, connectorKey: 'google_sheets', action, params, credentialId });
  /** Every secret this spec knows: none may appear in an answer, an execution or a log line. */
  const secrets = () => [
    bot.key.private_key,
    ...sheets.issued.keys(),
    ...sheets.tokenRequests().map((r) => String((r.body as any)?.assertion)),
  ];
  const expectNoSecret = (text: string) => {
    for (const s of secrets()) expect(text.includes(s)).toBe(false);
    expect(text).not.toContain('BEGIN PRIVATE KEY');
  };

  it('is listed with both credential kinds, every action marked readOnly/sideEffects with a sample output', async () => {
    const res = await m.t.http.get('/api/connectors/google_sheets', { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.body.auth).toEqual(['google_service_account', 'nango']);
    expect(Object.keys(res.body.credentialSchemas).sort()).toEqual(['google_service_account', 'nango']);
    expect(res.body.credentialSchemas.google_service_account.required).toEqual(['type', 'client_email', 'private_key']);
    const actions = Object.fromEntries(res.body.actions.map((a: any) => [a.key, a]));
    expect(actions.append_row).toMatchObject({ readOnly: false });
    expect(actions.read_range).toMatchObject({ readOnly: true });
    expect(actions.update_range).toMatchObject({ readOnly: false });
    // sideEffects and sampleOutput are on the descriptor (the dry run reads them there).
    const descriptor = m.t.app.get(ConnectorRegistry).get('google_sheets')!.descriptor;
    const byKey = Object.fromEntries(descriptor.actions.map((a) => [a.key, a]));
    expect([byKey.append_row.sideEffects, byKey.read_range.sideEffects, byKey.update_range.sideEffects]).toEqual([true, false, true]);
    expect(byKey.append_row.sampleOutput).toMatchObject({ status: 200, body: { updates: { updatedRows: 1 } } });
    expect(byKey.read_range.sampleOutput).toMatchObject({ status: 200, body: { majorDimension: 'ROWS', values: expect.any(Array) } });
    expect(byKey.update_range.sampleOutput).toMatchObject({ status: 200, body: { updatedCells: 1 } });
  });

  describe('the google_service_account credential', () => {
    it('stores the key fields and shows only the client e-mail', async () => {
      const res = await m.t.http.post(
        '/api/credentials',
        { name: 'Sheets bot', connectorKey: 'google_sheets', authKind: 'google_service_account', secrets: bot.key },
        { token: owner.token },
      );
      expect(res.status).toBe(201);
      expect(res.body.hint).toBe(bot.key.client_email);
      expectNoSecret(res.text);
    });

    it('refuses what is not a service-account key, naming the field', async () => {
      const post = (secrets: Record<string, unknown>) =>
        m.t.http.post(
          '/api/credentials',
          { name: `bad ${Math.random()}`, connectorKey: 'google_sheets', authKind: 'google_service_account', secrets },
          { token: owner.token },
        );
      const fields = async (secrets: Record<string, unknown>) => {
        const res = await post(secrets);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        // The schema's pattern names the PEM header; no value is ever echoed.
        for (const v of [bot.key.private_key, ...sheets.issued.keys()]) expect(res.text.includes(v)).toBe(false);
        return res.body.details.map((d: { field: string }) => d.field);
      };
      expect(await fields({ ...bot.key, type: 'authorized_user' })).toContain('secrets.type');
      expect(await fields({ type: 'service_account', private_key: bot.key.private_key })).toEqual(['secrets.client_email']);
      expect(await fields({ ...bot.key, private_key: 'not a pem' })).toContain('secrets.private_key');
      // PEM-shaped but not a key.
      const garbage = `-----BEGIN PRIVATE KEY-----\n${'QUJD'.repeat(40)}\n-----END PRIVATE KEY-----\n`;
      expect(await fields({ ...bot.key, private_key: garbage })).toEqual(['secrets.private_key']);
      // An EC key: Google signs service-account assertions with RS256 only.
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      expect(await fields({ ...bot.key, private_key: ec })).toEqual(['secrets.private_key']);
    });

    it('refuses a key whose token_uri points elsewhere: the assertion never reaches it, only GOOGLE_TOKEN_URL', async () => {
      const res = await m.t.http.post(
        '/api/credentials',
        {
          name: 'Redirected key',
          connectorKey: 'google_sheets',
          authKind: 'google_service_account',
          secrets: { ...bot.key, token_uri: `${trap.url}/token` },
        },
        { token: owner.token },
      );
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'secrets.token_uri', message: expect.any(String) }]);
      // A stored key (which has no token_uri) is exchanged at the configured endpoint only.
      const id = await saKey();
      const before = sheets.tokenRequests().length;
      await invoke('read_range', { spreadsheetId: SHEET, range: 'Leads!A1:D1' }, id);
      expect(sheets.tokenRequests().length).toBe(before + 1);
      expect(trap.requests).toHaveLength(0);
    });

    it('POST /api/credentials/:id/test exchanges the key for a token, and says so', async () => {
      const id = await saKey();
      const before = sheets.tokenRequests().length;
      const res = await m.t.http.post(`/api/credentials/${id}/test`, {}, { token: owner.token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ok: true, detail: expect.stringContaining('exchanged for an access token') });
      expect(sheets.tokenRequests().length).toBe(before + 1);
      expectNoSecret(res.text);
    });

    it('a key Google does not know fails the run with invalid_grant, not retryable, and the test endpoint says so', async () => {
      const stranger = serviceAccount('unknown@acme-project.iam.gserviceaccount.com');
      const id = await saKey(stranger.key);
      const e = await failure(invoke('append_row', { spreadsheetId: SHEET, range: 'Leads', values: ['x'] }, id));
      expect(e).toMatchObject({ retryable: false, code: 'invalid_grant' });
      expect(e.message).toBe('Google Sheets: the service-account key was rejected (invalid_grant: Invalid grant: account not found) (400)');
      // Same e-mail, another key: the signature check refuses it.
      const forged = serviceAccount(bot.key.client_email);
      const forgedId = await saKey(forged.key);
      const sig = await failure(invoke('read_range', { spreadsheetId: SHEET, range: 'Leads' }, forgedId));
      expect(sig.message).toBe('Google Sheets: the service-account key was rejected (invalid_grant: Invalid JWT Signature.) (400)');
      const test = await m.t.http.post(`/api/credentials/${forgedId}/test`, {}, { token: owner.token });
      // The key is exchanged while the credential is resolved, before the tester's check: the
      // refusal is the answer itself (like a Nango credential whose token cannot be fetched).
      expect([test.status, test.body.code, test.body.message]).toEqual([
        400,
        'invalid_grant',
        'Google Sheets: the service-account key was rejected (invalid_grant: Invalid JWT Signature.) (400)',
      ]);
      for (const text of [e.message, sig.message, JSON.stringify(e.details ?? null), test.text]) {
        expect(text).not.toContain('BEGIN PRIVATE KEY');
        expect(text.includes(forged.key.private_key)).toBe(false);
      }
    });

    it('a token endpoint outage is retryable', async () => {
      const id = await saKey(serviceAccount(bot.key.client_email).key); // a fresh key: nothing cached
      sheets.addServiceAccount(bot.key.client_email, bot.publicPem);
      sheets.failNext({
        status: 503,
        body: { error: 'temporarily_unavailable', error_description: 'try again' },
        headers: { 'retry-after': '3' },
      });
      const e = await failure(invoke('read_range', { spreadsheetId: SHEET, range: 'Leads' }, id));
      expect(e).toMatchObject({ retryable: true, retryAfterSeconds: 3 });
    });
  });

  describe('actions (service account)', () => {
    let id: string;
    beforeAll(async () => {
      id = await saKey();
    });

    it('append_row appends one row (flat cells) and several rows, USER_ENTERED by default', async () => {
      const one = (await invoke(
        'append_row',
        { spreadsheetId: SHEET, range: 'Leads!A:D', values: ['Ada', 'ada@example.com', 'AE', '42'] },
        id,
      )) as any;
      expect(one).toEqual({
        status: 200,
        body: {
          spreadsheetId: SHEET,
          tableRange: 'Leads!A1:D1',
          updates: { spreadsheetId: SHEET, updatedRange: 'Leads!A2:D2', updatedRows: 1, updatedColumns: 4, updatedCells: 4 },
        },
      });
      const req = sheets.sheetRequests().at(-1)!;
      expect(req.method).toBe('POST');
      expect(req.path).toBe(`/v4/spreadsheets/${SHEET}/values/Leads!A%3AD:append`);
      expect(req.query).toEqual({ valueInputOption: 'USER_ENTERED', insertDataOption: 'INSERT_ROWS' });
      expect(req.body).toEqual({ values: [['Ada', 'ada@example.com', 'AE', '42']] });
      const two = (await invoke(
        'append_row',
        {
          spreadsheetId: SHEET,
          range: 'Leads',
          values: [
            ['Bob', 'bob@example.com'],
            ['Cy', 'cy@example.com'],
          ],
          valueInputOption: 'RAW',
        },
        id,
      )) as any;
      expect(two.body.updates).toMatchObject({ updatedRange: 'Leads!A3:B4', updatedRows: 2 });
      expect(sheets.sheetRequests().at(-1)!.query.valueInputOption).toBe('RAW');
      // USER_ENTERED typed "42" as a number; RAW kept strings.
      expect(sheets.spreadsheets.get(SHEET)!.sheets.get('Leads')![1][3]).toBe(42);
    });

    it('read_range returns the values (and an empty list for an empty range), with majorDimension and valueRenderOption', async () => {
      const out = (await invoke('read_range', { spreadsheetId: SHEET, range: 'Leads!A1:B3' }, id)) as any;
      expect(out).toEqual({
        status: 200,
        body: {
          range: 'Leads!A1:B3',
          majorDimension: 'ROWS',
          values: [
            ['Name', 'Email'],
            ['Ada', 'ada@example.com'],
            ['Bob', 'bob@example.com'],
          ],
        },
      });
      expect(sheets.sheetRequests().at(-1)!.query).toEqual({ majorDimension: 'ROWS', valueRenderOption: 'FORMATTED_VALUE' });
      const cols = (await invoke('read_range', { spreadsheetId: SHEET, range: 'Leads!A1:B2', majorDimension: 'COLUMNS' }, id)) as any;
      expect(cols.body.values).toEqual([
        ['Name', 'Ada'],
        ['Email', 'ada@example.com'],
      ]);
      const empty = (await invoke('read_range', { spreadsheetId: SHEET, range: 'Summary!A1:C3' }, id)) as any;
      expect(empty.body).toEqual({ range: 'Summary!A1:C3', majorDimension: 'ROWS', values: [] });
      // A sheet name with a space, URL-encoded in the path.
      const spaced = (await invoke('read_range', { spreadsheetId: SHEET, range: "'Sheet 1'!A1:C1" }, id)) as any;
      expect(spaced.body.values).toEqual([['a', 'b', 'c']]);
      expect(sheets.sheetRequests().at(-1)!.path).toBe(`/v4/spreadsheets/${SHEET}/values/'Sheet%201'!A1%3AC1`);
    });

    it('update_range overwrites from the top-left cell', async () => {
      const out = (await invoke('update_range', { spreadsheetId: SHEET, range: 'Leads!C2', values: [['Analytical Engines']] }, id)) as any;
      expect(out).toEqual({
        status: 200,
        body: { spreadsheetId: SHEET, updatedRange: 'Leads!C2', updatedRows: 1, updatedColumns: 1, updatedCells: 1 },
      });
      const req = sheets.sheetRequests().at(-1)!;
      expect([req.method, req.path, req.query]).toEqual([
        'PUT',
        `/v4/spreadsheets/${SHEET}/values/Leads!C2`,
        { valueInputOption: 'USER_ENTERED' },
      ]);
      const back = (await invoke('read_range', { spreadsheetId: SHEET, range: 'Leads!A2:C2' }, id)) as any;
      expect(back.body.values).toEqual([['Ada', 'ada@example.com', 'Analytical Engines']]);
    });

    it('exchanges a key once for several calls (token cached) and sends Bearer <issued token> on each', async () => {
      const fresh = await saKey();
      const tokensBefore = sheets.tokenRequests().length;
      const start = sheets.sheetRequests().length;
      for (let i = 0; i < 4; i++) await invoke('read_range', { spreadsheetId: SHEET, range: 'Leads!A1' }, fresh);
      expect(sheets.tokenRequests().length - tokensBefore).toBe(1);
      const auths = new Set(
        sheets
          .sheetRequests()
          .slice(start)
          .map((r) => r.headers.authorization),
      );
      expect(auths.size).toBe(1);
      expect(sheets.issued.has(String([...auths][0]).replace(/^Bearer /, ''))).toBe(true);
    });

    it('refuses bad params before calling Google, naming the field', async () => {
      const before = sheets.requests.length;
      const e = await failure(invoke('append_row', { spreadsheetId: SHEET, range: 'Leads', values: [] }, id));
      expect(e).toMatchObject({ retryable: false, code: 'INVALID_PARAMS' });
      expect(e.message).toMatch(/values/);
      const e2 = await failure(invoke('read_range', { spreadsheetId: 'a/b', range: 'Leads' }, id));
      expect(e2.message).toMatch(/spreadsheetId/);
      expect(sheets.requests.length).toBe(before);
    });
  });

  describe('error mapping, case by case against the fake', () => {
    let id: string;
    beforeAll(async () => {
      id = await saKey();
      await invoke('read_range', { spreadsheetId: SHEET, range: 'Leads!A1' }, id); // token cached: failNext hits Sheets
    });
    const read = (params: Record<string, unknown> = {}) =>
      failure(invoke('read_range', { spreadsheetId: SHEET, range: 'Leads', ...params }, id));

    it('400 INVALID_ARGUMENT: the unparsable range named, not retryable', async () => {
      const e = await read({ range: 'Nope!A1' });
      expect(e).toMatchObject({ retryable: false, status: 400, code: 'INVALID_ARGUMENT' });
      expect(e.message).toBe('Google Sheets: INVALID_ARGUMENT — Unable to parse range: Nope!A1 (400)');
    });

    it('401 UNAUTHENTICATED: token rejected, not retryable', async () => {
      sheets.failNext({
        status: 401,
        body: { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } },
      });
      const denied = await read();
      expect(denied).toMatchObject({ retryable: false, status: 401, code: 'UNAUTHENTICATED' });
      expect(denied.message).toBe('Google Sheets: UNAUTHENTICATED — token rejected: Request had invalid authentication credentials. (401)');
    });

    it('403 PERMISSION_DENIED: not retryable, says to share the sheet with the client e-mail', async () => {
      const e = await failure(invoke('read_range', { spreadsheetId: PRIVATE_SHEET, range: 'Sheet1' }, id));
      expect(e).toMatchObject({ retryable: false, status: 403, code: 'PERMISSION_DENIED' });
      expect(e.message).toContain(`share the spreadsheet with ${bot.key.client_email}`);
      expect(e.message).toContain('The caller does not have permission');
    });

    it('403 rateLimitExceeded and 429 RESOURCE_EXHAUSTED: retryable, Retry-After kept', async () => {
      sheets.failNext(SHEETS_QUOTA_403);
      expect(await read()).toMatchObject({ retryable: true, status: 403 });
      sheets.failNext(SHEETS_RATE_LIMITED);
      expect(await read()).toMatchObject({ retryable: true, status: 429, code: 'RESOURCE_EXHAUSTED', retryAfterSeconds: 17 });
    });

    it('404: spreadsheet not found, not retryable', async () => {
      const e = await read({ spreadsheetId: 'doesNotExist123' });
      expect(e).toMatchObject({ retryable: false, status: 404, code: 'NOT_FOUND' });
      expect(e.message).toBe(
        'Google Sheets: NOT_FOUND — spreadsheet not found (check the spreadsheetId): Requested entity was not found. (404)',
      );
    });

    it('500 INTERNAL and 503 UNAVAILABLE: retryable', async () => {
      sheets.failNext(SHEETS_INTERNAL);
      expect(await read()).toMatchObject({ retryable: true, status: 500, code: 'INTERNAL' });
      sheets.failNext(SHEETS_UNAVAILABLE);
      expect(await read()).toMatchObject({ retryable: true, status: 503, code: 'UNAVAILABLE' });
    });
  });

  describe('through a Nango connection', () => {
    it('uses the connection’s token; 403 names the connected account; 401 is retried with a fresh token', async () => {
      const { company, connection } = await connectCompany(m, owner, 'hubspot');
      connection.accessToken = 'ya29.nango-issued-google-token-0001';
      sheets.addToken(connection.accessToken, 'ops@customer.example');
      const id = await credential({ authKind: 'nango', secrets: { companyId: company.id } });
      const tokensBefore = sheets.tokenRequests().length;
      const out = (await invoke(
        'append_row',
        { spreadsheetId: SHEET, range: 'Leads', values: ['Nango', 'n@customer.example'] },
        id,
      )) as any;
      expect(out.body.updates.updatedRows).toBe(1);
      expect(sheets.sheetRequests().at(-1)!.headers.authorization).toBe(`Bearer ${connection.accessToken}`);
      expect(sheets.tokenRequests().length).toBe(tokensBefore); // no service-account exchange
      expect(JSON.stringify(out)).not.toContain(connection.accessToken);

      const denied = await failure(invoke('read_range', { spreadsheetId: PRIVATE_SHEET, range: 'Sheet1' }, id));
      expect(denied).toMatchObject({ retryable: false, status: 403 });
      expect(denied.message).toContain('share the spreadsheet with the Google account this credential connects');

      sheets.issued.delete(connection.accessToken);
      const expired = await failure(invoke('read_range', { spreadsheetId: SHEET, range: 'Leads' }, id));
      expect(expired).toMatchObject({ retryable: true, status: 401 });
      expect(expired.message).not.toContain(connection.accessToken);
    });
  });

  describe('the example workflow (examples/google-sheets-lead-capture.json) over the HTTP API', () => {
    it('imports with its credential by name, runs from POST /run, and keeps no secret in the execution or the logs', async () => {
      const created = await m.t.http.post(
        '/api/credentials',
        { name: 'Demo Google Sheets', connectorKey: 'google_sheets', authKind: 'google_service_account', secrets: bot.key },
        { token: owner.token },
      );
      expect(created.status).toBe(201);
      const doc = JSON.parse(readFileSync(join(__dirname, '..', 'examples', 'google-sheets-lead-capture.json'), 'utf8'));
      const imported = await m.t.http.post('/api/workflows/import', doc, { token: owner.token });
      expect([imported.status, imported.text]).toEqual([201, expect.any(String)]);
      const run = await m.t.http.post(
        `/api/workflows/${imported.body.id}/run`,
        { payload: { lead: { name: 'Grace Hopper', email: 'grace@example.com', company: 'COBOL Inc', source: 'landing page' } } },
        { token: owner.token },
      );
      expect(run.status).toBe(202);
      const done = await waitForExecution(m.t.http, owner.token, run.body.executionId);
      expect([done.status, done.error ?? null]).toEqual(['succeeded', null]);
      const leads = sheets.spreadsheets.get(SHEET)!.sheets.get('Leads')!;
      const row = leads.at(-1)!;
      expect(row).toEqual(['Grace Hopper', 'grace@example.com', 'COBOL Inc', 'landing page']);
      expect(sheets.spreadsheets.get(SHEET)!.sheets.get('Summary')![0]).toEqual([
        `Last lead: Grace Hopper (Leads!A${leads.length}:D${leads.length})`,
      ]);
      const stored = await m.t.http.get(`/api/executions/${done.id}`, { token: owner.token });
      expectNoSecret(stored.text);
    });

    it('no private key, assertion or access token in any log line', () => {
      expectNoSecret(m.t.logs.join('\n'));
    });
  });
});
