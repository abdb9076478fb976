import fc from 'fast-check';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_CREDENTIALS } from '../src/modules/workflow-io/demo-credentials';
import { startBoredFake } from './fakes/bored.fake';
import { DiscordFake, startDiscordFake } from './fakes/discord.fake';
import { startDogCeoFake } from './fakes/dogceo.fake';
import { startEchoFake } from './fakes/echo.fake';
import { startFakeStoreFake } from './fakes/fakestore.fake';
import { FakeServer } from './fakes/fake-server';
import { startNasaFake } from './fakes/nasa.fake';
import { NEWSAPI_FAKE_KEY, startNewsApiFake } from './fakes/newsapi.fake';
import { startNumbersFake } from './fakes/numbers.fake';
import { OPENWEATHER_API_KEY, startOpenWeatherFake } from './fakes/openweather.fake';
import { startPokeApiFake } from './fakes/pokeapi.fake';
import { startRestCountriesFake } from './fakes/restcountries.fake';
import { SALESFORCE_FAKE_TOKEN, SalesforceFake, startSalesforceFake } from './fakes/salesforce.fake';
import { SlackFake, startSlackFake } from './fakes/slack.fake';
import { SoapFake, startSoapFake } from './fakes/soap-service.fake';
import { startSwapiFake } from './fakes/swapi.fake';
import { startTheCatApiFake } from './fakes/thecatapi.fake';
import { startTwilioFake, TWILIO_FAKE_ACCOUNT, TwilioFake } from './fakes/twilio.fake';
import { registerTenant, startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

type Owner = Awaited<ReturnType<typeof registerTenant>>;
const EXAMPLES_DIR = join(__dirname, '..', 'examples');
const exampleFiles = readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const example = (file: string) => JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8'));

/** Runs the compiled `npm run seed` entry (dist/ is built once per test run by global setup). */
function runSeed(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cwd = join(__dirname, '.artifacts', 'seed');
  mkdirSync(cwd, { recursive: true });
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [join(__dirname, '..', 'dist', 'scripts', 'seed.js')], { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    proc.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * POST /api/workflows/import and GET /api/workflows/:id/export, and every file in examples/:
 * each imports, and each dry-runs against the fakes, which proves its template paths match the
 * connectors' real output shapes.
 */
describe('workflow import/export and examples (HTTP, PostgreSQL, fakes)', () => {
  let t: TestApp;
  let slack: SlackFake;
  let discord: DiscordFake;
  let twilio: TwilioFake;
  let salesforce: SalesforceFake;
  let soap: SoapFake;
  let echo: FakeServer;
  let others: FakeServer[];
  let swapiFake: FakeServer;
  let owner: Owner;

  beforeAll(async () => {
    let weather, newsapi, nasa, numbers, fakestore, swapi, pokeapi, restcountries, bored, dogceo, thecatapi: FakeServer;
    [
      slack,
      discord,
      twilio,
      salesforce,
      soap,
      echo,
      weather,
      newsapi,
      nasa,
      numbers,
      fakestore,
      swapi,
      pokeapi,
      restcountries,
      bored,
      dogceo,
      thecatapi,
    ] = await Promise.all([
      startSlackFake(),
      startDiscordFake(),
      startTwilioFake(),
      startSalesforceFake(),
      startSoapFake(),
      startEchoFake(),
      startOpenWeatherFake(),
      startNewsApiFake(),
      startNasaFake(),
      startNumbersFake(),
      startFakeStoreFake(),
      startSwapiFake(),
      startPokeApiFake(),
      startRestCountriesFake(),
      startBoredFake(),
      startDogCeoFake(),
      startTheCatApiFake(),
    ]);
    others = [weather, newsapi, nasa, numbers, fakestore, swapi, pokeapi, restcountries, bored, dogceo, thecatapi];
    swapiFake = swapi;
    t = await startTestApp({
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1,::1',
      OUTBOUND_TIMEOUT_MS: '5000',
      OPENWEATHER_BASE_URL: weather.url,
      TWILIO_BASE_URL: twilio.url,
      NEWSAPI_BASE_URL: newsapi.url,
      NASA_BASE_URL: nasa.url,
      NUMBERS_BASE_URL: numbers.url,
      FAKESTORE_BASE_URL: fakestore.url,
      SWAPI_BASE_URL: swapi.url,
      POKEAPI_BASE_URL: pokeapi.url,
      RESTCOUNTRIES_BASE_URL: restcountries.url,
      BORED_BASE_URL: bored.url,
      DOGCEO_BASE_URL: dogceo.url,
      THECATAPI_BASE_URL: thecatapi.url,
    });
    owner = await registerTenant(t.http);
    await createDemoCredentials(owner);
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([slack, discord, twilio, salesforce, soap, echo, ...others].map((f) => f.close()));
  });

  /** The examples' credentials, by their names, pointing at the fakes instead of the real services. */
  async function createDemoCredentials(who: Owner, only?: string[]) {
    const pointed: Record<string, Record<string, string>> = {
      'Demo Slack': { webhookUrl: slack.webhookUrl('live') },
      'Demo Discord': { webhookUrl: discord.webhookUrl('live') },
      'Demo OpenWeather': { apiKey: OPENWEATHER_API_KEY },
      'Demo Twilio': TWILIO_FAKE_ACCOUNT,
      'Demo Salesforce': { accessToken: SALESFORCE_FAKE_TOKEN, instanceUrl: salesforce.url },
      'Demo NewsAPI': { apiKey: NEWSAPI_FAKE_KEY },
    };
    for (const c of DEMO_CREDENTIALS.filter((d) => !only || only.includes(d.name))) {
      const res = await t.http.post(
        '/api/credentials',
        { name: c.name, connectorKey: c.connectorKey, authKind: c.authKind, secrets: pointed[c.name] ?? c.secrets },
        { token: who.token },
      );
      if (res.status !== 201) throw new Error(`credential ${c.name}: ${res.status} ${res.text}`);
    }
  }

  const importDoc = (doc: unknown, token = owner.token) => t.http.post('/api/workflows/import', doc, { token });
  const dryRun = (id: string, payload: unknown) => t.http.post(`/api/workflows/${id}/dry-run`, { payload }, { token: owner.token });

  it('has an example for every connector family', () => {
    const connectors = new Set(
      exampleFiles.flatMap((f) =>
        example(f)
          .steps.map((s: { connector?: string }) => s.connector)
          .filter(Boolean),
      ),
    );
    for (const key of [
      'http',
      'slack',
      'discord',
      'openweather',
      'twilio',
      'soap',
      'salesforce',
      'newsapi',
      'nasa',
      'swapi',
      'pokeapi',
      'bored',
      'numbers',
      'restcountries',
      'dogceo',
      'thecatapi',
      'fakestore',
    ]) {
      expect([key, connectors.has(key)]).toEqual([key, true]);
    }
  });

  it.each(exampleFiles)('imports %s with its credentials resolved by name', async (file) => {
    const doc = example(file);
    const res = await importDoc(doc);
    expect([res.status, res.text]).toEqual([201, expect.any(String)]);
    expect(res.body).toMatchObject({ name: doc.name, active: doc.active ?? true, trigger: { type: doc.trigger.type } });
    const creds = (await t.http.get('/api/credentials', { token: owner.token })).body as Array<{ id: string; name: string }>;
    res.body.steps.forEach((step: { credentialId?: string }, i: number) => {
      const named = doc.steps[i].credential;
      expect(step.credentialId).toBe(named ? creds.find((c) => c.name === named)!.id : undefined);
    });
  });

  describe('examples run against the fakes (dry run) with the paths they use', () => {
    async function imported(file: string, mutate?: (doc: any) => void): Promise<string> {
      const doc = example(file);
      mutate?.(doc);
      const res = await importDoc(doc);
      expect(res.status).toBe(201);
      return res.body.id;
    }
    function succeeded(res: { status: number; body: any }) {
      expect(res.status).toBe(200);
      const failedStep = res.body.steps?.find((s: { status: string }) => s.status === 'failed');
      expect([res.body.status, failedStep?.error?.message]).toEqual(['succeeded', undefined]);
      return res.body;
    }

    it('weather-greeting-slack: "Hello Ada, it is 14.2°C in Paris"', async () => {
      const id = await imported('weather-greeting-slack.json');
      succeeded(await dryRun(id, { user: { name: 'Ada' }, city: 'Paris' }));
      expect(slack.messages.at(-1)).toEqual({ text: 'Hello Ada, it is 14.2°C in Paris (clear sky).' });
    });

    it('order-confirmation-sms: product lookup, SMS via Twilio, Discord note', async () => {
      const id = await imported('order-confirmation-sms.json');
      succeeded(await dryRun(id, { order: { id: 'A-1001', productId: 1 }, customer: { name: 'Ada', phone: '+14155550100' } }));
      expect(twilio.messages.at(-1)).toMatchObject({
        to: '+14155550100',
        body: 'Hi Ada, order #A-1001 for Fjallraven Backpack ($109.95) is confirmed.',
      });
      expect(discord.messages.at(-1)).toMatchObject({ content: 'New order #A-1001: Fjallraven Backpack for Ada' });

      const before = twilio.messages.length;
      const noPhone = succeeded(await dryRun(id, { order: { id: 'A-1002', productId: 2 }, customer: { name: 'Bob' } }));
      expect(noPhone.steps.find((s: { name: string }) => s.name === 'sms').status).toBe('skipped');
      expect(twilio.messages.length).toBe(before);
    });

    it('soap-calculator-to-slack: the calculator answer reaches Slack', async () => {
      const id = await imported('soap-calculator-to-slack.json', (doc) => {
        doc.steps[0].params.url = doc.steps[0].params.url.replace('http://www.dneonline.com', soap.url);
      });
      succeeded(await dryRun(id, { a: 2, b: 40 }));
      expect(slack.messages.at(-1)).toEqual({ text: '2 + 40 = 42 (SOAP 1.1)' });
    });

    it('lead-to-salesforce: creates the Lead, reads it back by Id and reports it', async () => {
      const id = await imported('lead-to-salesforce.json');
      const out = succeeded(
        await dryRun(id, { user: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.test', company: 'Analytical Engines' } }),
      );
      const leadId = out.steps.find((s: { name: string }) => s.name === 'lead').output.body.id;
      expect([...salesforce.records.values()].find((r) => r.fields.Email === 'ada@example.test')).toMatchObject({
        type: 'Lead',
        fields: { Company: 'Analytical Engines' },
      });
      expect(slack.messages.at(-1)).toEqual({ text: `New lead Lovelace at Analytical Engines (${leadId}, Open - Not Contacted).` });
    });

    it('morning-news-digest: the top headline reaches Slack', async () => {
      const id = await imported('morning-news-digest.json');
      succeeded(await dryRun(id, undefined));
      expect(slack.messages.at(-1)).toEqual({
        text: 'Good morning! 1 tech stories today. Top: Chips get smaller again (The Verge) https://example.com/chips',
      });
    });

    it('space-and-numbers-discord: APOD and a number fact as a Discord embed', async () => {
      const id = await imported('space-and-numbers-discord.json');
      succeeded(await dryRun(id, undefined));
      const msg = discord.messages.at(-1) as any;
      expect(msg.content).toBe('Did you know? 42 is the answer to the Ultimate Question of Life, the Universe, and Everything.');
      expect(msg.embeds[0]).toMatchObject({
        title: expect.stringMatching(/^Nebula of \d{4}-\d{2}-\d{2}$/),
        url: expect.stringMatching(/^https:\/\/apod\.nasa\.gov\//),
      });
    });

    it('fun-facts-bundle: six public APIs bundled and delivered over HTTP', async () => {
      const id = await imported('fun-facts-bundle.json', (doc) => {
        doc.steps.at(-1).params.url = `${echo.url}/fun-facts`;
      });
      succeeded(await dryRun(id, { person: 4, pokemon: 'bulbasaur', country: 'Japan', breed: 'pug' }));
      expect(echo.requests.at(-1)!.body).toEqual({
        character: 'Darth Vader',
        pokemon: 'bulbasaur (grass)',
        capital: 'Tokyo',
        suggestion: 'Learn Express.js',
        dog: expect.stringContaining('/breeds/pug/'),
        cat: 'https://cdn2.thecatapi.com/images/cat0.jpg',
      });
    });
  });

  describe('import', () => {
    it('answers 400 naming every credential the tenant lacks, and creates nothing', async () => {
      const stranger = await registerTenant(t.http);
      await createDemoCredentials(stranger, ['Demo Slack']);
      const res = await importDoc(example('lead-to-salesforce.json'), stranger.token);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'IMPORT_CREDENTIALS_MISSING',
        message: 'Import needs credentials this tenant does not have: "Demo Salesforce"',
      });
      expect(res.body.details).toEqual([
        {
          field: 'steps[1].credential',
          message: 'no credential named "Demo Salesforce" in this tenant (create one for connector "salesforce", kind bearer)',
        },
        {
          field: 'steps[2].credential',
          message: 'no credential named "Demo Salesforce" in this tenant (create one for connector "salesforce", kind bearer)',
        },
      ]);
      expect((await t.http.get('/api/workflows', { token: stranger.token })).body.total).toBe(0);
    });

    it("never resolves a name to another tenant's credential", async () => {
      const stranger = await registerTenant(t.http);
      const res = await importDoc(example('weather-greeting-slack.json'), stranger.token);
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['steps[0].credential', 'steps[1].credential']);
    });

    it('refuses a credential of another connector, with the step named', async () => {
      const doc = example('weather-greeting-slack.json');
      doc.steps[1].credential = 'Demo Discord';
      const res = await importDoc(doc);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'IMPORT_CREDENTIALS_MISMATCH' });
      expect(res.body.details).toEqual([
        { field: 'steps[1].credential', message: 'credential "Demo Discord" is for connector "discord", not "slack"' },
      ]);
    });

    it('validates the document like a workflow: bad fields, newer formats, bad params', async () => {
      const doc = example('weather-greeting-slack.json');
      const shape = await importDoc({ ...doc, formatVersion: 2, credentialId: 'x', steps: [{ ...doc.steps[0], credential: '' }] });
      expect(shape.status).toBe(400);
      expect(shape.body.details.map((d: { field: string }) => d.field)).toEqual(
        expect.arrayContaining(['formatVersion', 'credentialId', 'steps.0.credential']),
      );

      // null reads as "no credential" (found by the property below: it was a 500).
      const nulled = await importDoc({ ...doc, steps: [{ ...doc.steps[0], credential: null }, ...doc.steps.slice(1)] });
      expect([201, 400]).toContain(nulled.status);

      const params = await importDoc({ ...doc, steps: [{ ...doc.steps[0], params: { units: 'kelvin' } }] });
      expect(params.status).toBe(400);
      expect(JSON.stringify(params.body.details)).toMatch(/steps\[0\]\.params/);
    });
    it('answers any hostile document with a 4xx (or 201), never a 5xx (property)', async () => {
      const base = example('weather-greeting-slack.json');
      const keys = fc.constantFrom(
        '__proto__',
        'constructor',
        'name',
        'steps',
        'trigger',
        'credential',
        'params',
        'settings',
        'formatVersion',
        'credentials',
      );
      const value = fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.string({ unit: 'binary', maxLength: 30 }),
        fc.constant('{{constructor.constructor}}'),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(keys, value, { maxKeys: 4 }),
          fc.integer({ min: 0, max: 1 }),
          fc.dictionary(keys, value, { maxKeys: 3 }),
          async (patch, stepIndex, stepPatch) => {
            const doc = JSON.parse(JSON.stringify(base));
            Object.assign(doc, patch);
            if (Array.isArray(doc.steps) && doc.steps[stepIndex] && typeof doc.steps[stepIndex] === 'object')
              Object.assign(doc.steps[stepIndex], stepPatch);
            const res = await importDoc(doc);
            expect([res.status, res.text]).toEqual([expect.any(Number), expect.any(String)]);
            expect(res.status === 201 || (res.status >= 400 && res.status < 500)).toBe(true);
          },
        ),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 60) },
      );
    });
  });

  describe('export', () => {
    it('round-trips: credentials by name, no ids or secrets, importable into another tenant', async () => {
      const doc = example('lead-to-salesforce.json');
      const created = await importDoc(doc);
      const secret = await t.http.post(`/api/workflows/${created.body.id}/webhook-secret`, undefined, { token: owner.token });
      expect(secret.status).toBeLessThan(300);

      const exported = await t.http.get(`/api/workflows/${created.body.id}/export`, { token: owner.token });
      expect(exported.status).toBe(200);
      expect(exported.body).toMatchObject({
        format: 'flowgate.workflow',
        formatVersion: 1,
        name: doc.name,
        trigger: doc.trigger,
        active: true,
      });
      expect(exported.body.steps).toEqual(doc.steps.map((s: Record<string, unknown>) => ({ type: 'connector', ...s })));
      expect(exported.body.credentials).toEqual(doc.credentials);
      const text = exported.text;
      for (const leak of [
        created.body.id,
        SALESFORCE_FAKE_TOKEN,
        secret.body.webhookSecret,
        slack.webhookUrl('live'),
        'credentialId',
        'webhookSecret',
      ]) {
        expect([leak, text.includes(leak)]).toEqual([leak, false]);
      }

      const other = await registerTenant(t.http);
      await createDemoCredentials(other, ['Demo Salesforce', 'Demo Slack']);
      const copy = await importDoc(exported.body, other.token);
      expect(copy.status).toBe(201);
      const again = await t.http.get(`/api/workflows/${copy.body.id}/export`, { token: other.token });
      expect({ ...again.body }).toEqual({ ...exported.body });
    });

    it("answers 404 for another tenant's workflow and 400 for a malformed id", async () => {
      const created = await importDoc(example('fun-facts-bundle.json'));
      const stranger = await registerTenant(t.http);
      expect((await t.http.get(`/api/workflows/${created.body.id}/export`, { token: stranger.token })).status).toBe(404);
      expect((await t.http.get('/api/workflows/not-a-uuid/export', { token: owner.token })).status).toBe(400);
      expect((await t.http.get(`/api/workflows/${created.body.id}/export`)).status).toBe(401);
    });
  });

  describe("connector errors drive the worker's retries", () => {
    async function runToEnd(id: string): Promise<any> {
      const accepted = await t.http.post(`/api/workflows/${id}/run`, { payload: {} }, { token: owner.token });
      expect(accepted.status).toBe(202);
      let execution: any;
      await waitFor(
        async () => {
          execution = (await t.http.get(`/api/executions/${accepted.body.executionId}`, { token: owner.token })).body;
          return execution?.status === 'succeeded' || execution?.status === 'failed';
        },
        'the execution to finish',
        30_000,
        50,
      );
      return execution;
    }
    const swapiWorkflow = async (personId: number) => {
      const res = await t.http.post(
        '/api/workflows',
        {
          name: `swapi ${personId}`,
          trigger: { type: 'webhook' },
          steps: [{ name: 'person', connector: 'swapi', action: 'get_person', params: { id: personId } }],
          settings: { retries: 2, backoff: { type: 'fixed', delayMs: 50 } },
        },
        { token: owner.token },
      );
      expect(res.status).toBe(201);
      return res.body.id as string;
    };

    it('a 503 is retried and the run succeeds on the next attempt', async () => {
      const id = await swapiWorkflow(1);
      swapiFake.failNext({ status: 503, body: { detail: 'Service temporarily unavailable' } });
      const execution = await runToEnd(id);
      expect(execution).toMatchObject({ status: 'succeeded', attempts: 2 });
    });

    it('a 404 fails at once with the mapped message', async () => {
      const id = await swapiWorkflow(404);
      const execution = await runToEnd(id);
      expect(execution).toMatchObject({ status: 'failed', attempts: 1, error: { message: 'SWAPI: Not found (404)', retryable: false } });
    });
  });

  describe('npm run seed (compiled entry, real services)', () => {
    it('creates the demo tenant once, with placeholder credentials and every example workflow; a re-run adds nothing', async () => {
      const env = {
        NODE_ENV: 'development',
        DATABASE_URL: t.config.database.url,
        RUN_MIGRATIONS: 'false',
        LOG_LEVEL: 'warn',
        QUEUE_PREFIX: `${t.config.queue.prefix}-seed`,
      };
      const first = await runSeed(env);
      expect([first.code, first.stderr.includes('Seed failed')]).toEqual([0, false]);
      const password = /^Password: (\S+)$/m.exec(first.stdout)?.[1];
      expect(password).toBeDefined();
      expect(first.stdout).toContain(
        'Credentials created: Demo Slack, Demo Discord, Demo OpenWeather, Demo Twilio, Demo Salesforce, Demo NewsAPI, Demo NASA',
      );

      const again = await runSeed(env);
      expect(again.code).toBe(0);
      expect(again.stdout).not.toMatch(/^Password:/m);
      expect(again.stdout).toContain('The account already existed');
      expect(again.stdout).toContain('Credentials created: none (all present)');
      expect(again.stdout).toContain('Workflows created: none (all present)');

      const login = await t.http.post('/api/auth/login', { email: 'demo@flowgate.local', password });
      expect(login.status).toBe(200);
      const token = login.body.accessToken;
      const creds = await t.http.get('/api/credentials', { token });
      expect(creds.body.map((c: { name: string }) => c.name).sort()).toEqual(DEMO_CREDENTIALS.map((c) => c.name).sort());
      const flows = await t.http.get('/api/workflows', { token, query: { limit: 100 } });
      expect(flows.body.items.map((w: { name: string }) => w.name).sort()).toEqual(exampleFiles.map((f) => example(f).name).sort());
      const exported = await t.http.get(`/api/workflows/${flows.body.items[0].id}/export`, { token });
      expect(exported.status).toBe(200);
    });
  });
});
