import { TEMPLATE_OPTION_SCHEMAS, USE_CASES, UseCase } from '../src/modules/kong/patterns';
import { KongFake, startKongFake } from './fakes/kong-admin.fake';
import { applyTemplate, createWorkflow } from './kong.helpers';
import { registerTenant, startTestApp, TestApp } from './support/test-app';

/**
 * Every option value a template allows, deployed against the fake Kong (which validates like
 * Kong: field types, enums, the plugins' conditional and entity checks). Each combination must
 * end one of two ways: Kong accepts what Flowgate renders (201/200), or Flowgate refuses it
 * with a 400 naming an option before calling Kong. A Kong rejection (KONG_*), a 5xx or a
 * Kong write before a 400 is a failure: Flowgate would have promised something Kong refuses.
 *
 * The space comes from the options' JSON schemas themselves. Options that take part in a
 * cross-field rule somewhere (enums, free-form values: `limit_by` × `header_name` × `path`,
 * `policy`, `auth` × `scopes`...) are combined exhaustively, absent included. Numbers (at their
 * minimum and maximum) and booleans that have a default are then set one at a time on top of
 * one accepted combination per value of every other option (so oauth2's `mandatory_scope`
 * meets `scopes`), and numbers also in pairs. Free-form options take sample values; a new
 * option without samples fails the test, so it cannot go unchecked.
 */
const ABSENT = Symbol('absent');
type Options = Record<string, unknown>;
type Prop = { enum?: unknown[]; type?: string; minimum?: number; maximum?: number; default?: unknown };

function optionSpace(useCase: UseCase, samples: Record<string, unknown[]>) {
  const props = TEMPLATE_OPTION_SCHEMAS[useCase].properties as Record<string, Prop>;
  const discrete: [string, unknown[]][] = [];
  const oneAtATime: [string, unknown[]][] = [];
  const numeric: [string, number[]][] = [];
  for (const [name, p] of Object.entries(props)) {
    if (p.enum) discrete.push([name, [ABSENT, ...p.enum]]);
    else if (p.type === 'boolean')
      (p.default === undefined ? discrete : oneAtATime).push([name, p.default === undefined ? [ABSENT, true, false] : [true, false]]);
    else if (p.type === 'integer' || p.type === 'number') numeric.push([name, [p.minimum!, p.maximum!]]);
    else if (samples[name]) discrete.push([name, [ABSENT, ...samples[name]]]);
    else throw new Error(`${useCase}: option "${name}" has no sample values in this test; add some so it is covered`);
  }
  oneAtATime.push(...numeric);
  let combos: Options[] = [{}];
  for (const [name, values] of discrete) combos = combos.flatMap((c) => values.map((v) => (v === ABSENT ? c : { ...c, [name]: v })));
  const singles = oneAtATime.flatMap(([name, values]) => values.map((v) => ({ [name]: v })));
  const pairs = numeric.flatMap(([a, av], i) =>
    numeric.slice(i + 1).flatMap(([b, bv]) => av.flatMap((x) => bv.map((y) => ({ [a]: x, [b]: y })))),
  );
  return { combos, singles, pairs, discreteFields: discrete.map(([name]) => name) };
}

interface Outcome {
  options: Options;
  status: number;
  code?: string;
  detail?: string;
}

async function exercise(
  t: TestApp,
  kong: KongFake,
  token: string,
  useCase: UseCase,
  workflowId: string,
  samples: Record<string, unknown[]>,
) {
  const { combos, singles, pairs, discreteFields } = optionSpace(useCase, samples);
  const bad: Outcome[] = [];
  const accepted: Options[] = [];
  const run = async (options: Options) => {
    const writes = kong.writes().length;
    const res = await applyTemplate(t.http, token, workflowId, useCase, options);
    if (res.status === 200 || res.status === 201) {
      if (res.body.status !== 'active') bad.push({ options, status: res.status, detail: `deployment ${res.body.status}` });
      accepted.push(options);
      return;
    }
    const fields: string[] = (res.body.details ?? []).map((d: { field: string }) => d.field);
    const refusedUpFront =
      res.status === 400 && res.body.code === 'VALIDATION_FAILED' && fields.length > 0 && fields.every((f) => f.startsWith('options'));
    if (!refusedUpFront || kong.writes().length !== writes)
      bad.push({ options, status: res.status, code: res.body.code, detail: res.body.message });
  };
  for (const options of combos) await run(options);
  // One accepted combination per value of each combined option (e.g. auth "oauth2" with
  // scopes), then each number bound and defaulted boolean on top of it; numbers in pairs too.
  const bases = new Map<string, Options>([['{}', {}]]);
  for (const field of discreteFields) {
    for (const o of [...accepted]) {
      const key = `${field}=${JSON.stringify(o[field])}`;
      if (field in o && !bases.has(key)) bases.set(key, o);
    }
  }
  for (const base of bases.values()) for (const n of singles) await run({ ...base, ...n });
  for (const n of pairs) await run(n);
  return { bad, accepted };
}

/** DB-less Kong has no database: no oauth2, no cluster policy; and no Kong Redis settings in that app. */
const REFUSED_IN_DBLESS: Partial<Record<UseCase, string[]>> = {
  webhook_handler: ['policy=cluster', 'policy=redis'],
  federated_security: ['auth=oauth2'],
};

const SOAP_STEP = {
  name: 'legacy',
  connector: 'soap',
  action: 'call',
  params: {
    url: 'http://legacy.example/service.asmx',
    operation: 'GetWeather',
    namespace: 'http://flowgate.test/legacy/',
    params: { City: '{{trigger.city}}' },
  },
};

function samplesFor(useCase: UseCase, workflowId: string): Record<string, unknown[]> {
  const route = `/workflows/${workflowId}/webhook`;
  return {
    protocol_bridge: { step: ['legacy'] },
    webhook_handler: { header_name: ['X-Customer-Id'], path: [route, `${route}/orders`] },
    smart_aggregator: { steps: [['shape']] },
    federated_security: {
      key_names: [['x-api-key', 'apikey']],
      scopes: [['orders:read', 'orders.write']],
      redirect_uris: [['https://app.example.com/callback']],
    },
    usage_tracking: {},
  }[useCase];
}

for (const mode of ['db', 'dbless'] as const) {
  describe(`Kong templates: every allowed option combination is one Kong accepts (${mode} mode)`, () => {
    let kong: KongFake;
    let t: TestApp;
    let owner: Awaited<ReturnType<typeof registerTenant>>;

    beforeAll(async () => {
      kong = await startKongFake({ mode });
      t = await startTestApp({
        KONG_ADMIN_URL: kong.url,
        KONG_MODE: mode,
        KONG_USAGE_SECRET: 'usage-secret-options-spec-0123456789',
        KONG_DBLESS_RECONCILE_SECONDS: '0',
        // DB mode with Kong's Redis settings (policy redis renders config.redis); DB-less without (policy redis is refused).
        ...(mode === 'db'
          ? { KONG_RATE_LIMIT_REDIS_HOST: 'kong-redis.internal', KONG_RATE_LIMIT_REDIS_PASSWORD: 'kong-redis-password-0123' }
          : {}),
      });
      owner = await registerTenant(t.http, `Options ${mode}`);
    });
    afterAll(async () => {
      await t?.close();
      await kong?.close();
    });

    for (const useCase of USE_CASES) {
      it(useCase, async () => {
        const workflowId = await createWorkflow(t.http, owner.token, useCase === 'protocol_bridge' ? { steps: [SOAP_STEP] } : {});
        const { bad, accepted } = await exercise(t, kong, owner.token, useCase, workflowId, samplesFor(useCase, workflowId));
        expect(bad).toEqual([]);
        // Every value an enum allows deploys in some combination (limit_by "path" included),
        // except what this mode refuses by design.
        const props = TEMPLATE_OPTION_SCHEMAS[useCase].properties as Record<string, Prop>;
        const neverDeployed = Object.entries(props).flatMap(([name, p]) =>
          (p.enum ?? []).filter((v) => !accepted.some((o) => o[name] === v)).map((v) => `${name}=${String(v)}`),
        );
        expect(neverDeployed).toEqual(mode === 'dbless' ? (REFUSED_IN_DBLESS[useCase] ?? []) : []);
      });
    }
  });
}
