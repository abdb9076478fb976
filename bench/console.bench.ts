import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { chromium, Browser, Page } from 'playwright-core';
import { benchEnv, percentile, round } from './lib/bench-env';
import { api, createBenchWorkflow, registerBenchTenant } from './lib/flowgate-api';
import { benchSecrets, startFlowgate } from './lib/processes';
import { BenchFigure, BenchRun, runWhenMain } from './lib/types';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
];
const ROUNDS = Number(process.env.BENCH_CONSOLE_ROUNDS ?? 3);
const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

/** A tenant's token and id, with `runs` executions of one workflow inserted in one statement. */
async function tenantWithRuns(base: string, databaseUrl: string, tag: string, runs: number): Promise<string> {
  const token = await registerBenchTenant(base, tag);
  const me = await api(base, 'GET', '/api/auth/me', undefined, token);
  const workflowId = await createBenchWorkflow(base, token, {
    name: `${tag} workflow`,
    trigger: { type: 'webhook' },
    steps: [{ name: 'shape', type: 'transform', params: { ok: true } }],
  });
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO executions (id, tenant_id, workflow_id, workflow_name, trigger, status, job_id, received_at)
       SELECT gen_random_uuid(), $1::uuid, $2::uuid, $3::text, 'webhook',
              (ARRAY['succeeded','failed','succeeded','cancelled'])[1 + g % 4], $3::text || '-' || g, now() - g * interval '1 second'
       FROM generate_series(1, $4::int) g`,
      [me.body.tenant.id, workflowId, `${tag} workflow`, runs],
    );
  } finally {
    await db.end();
  }
  return token;
}

/** A workflow of `steps` transform steps (each reading the one before). */
async function workflowWithSteps(base: string, token: string, steps: number): Promise<string> {
  return createBenchWorkflow(base, token, {
    name: `${steps} steps`,
    trigger: { type: 'webhook' },
    steps: Array.from({ length: steps }, (_, i) => ({
      name: `step${i + 1}`,
      type: 'transform',
      params: { n: i + 1, previous: i ? `{{steps.step${i}.n}}` : '{{trigger.id}}' },
    })),
  });
}

async function signedInPage(browser: Browser, base: string, token: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, baseURL: base });
  await context.addInitScript(`window.localStorage.setItem('flowgate.session', ${JSON.stringify(token)})`);
  return context.newPage();
}

/**
 * Frame intervals (ms) while the list's scroll area moves from top to bottom in steps of one
 * screen per animation frame: how smooth scrolling a long list is.
 */
async function scrollFrames(page: Page): Promise<number[]> {
  return page.getByRole('region', { name: 'Runs list (scrolls)' }).evaluate(
    (el: { scrollTop: number; scrollHeight: number; clientHeight: number }) =>
      new Promise<number[]>((resolve) => {
        // Runs in the page (the bench program has no DOM types).
        const requestAnimationFrame = (globalThis as { requestAnimationFrame?: (cb: () => void) => number }).requestAnimationFrame!;
        const gaps: number[] = [];
        let last = performance.now();
        const step = () => {
          const now = performance.now();
          gaps.push(now - last);
          last = now;
          if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1 || gaps.length > 400) return resolve(gaps.slice(1));
          el.scrollTop += el.clientHeight;
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      }),
  );
}

/** Opens /runs, then scrolls until every run is loaded; what it took and how smooth it stays. */
async function measureRuns(browser: Browser, base: string, token: string, total: number) {
  const page = await signedInPage(browser, base, token);
  try {
    const started = performance.now();
    await page.goto('/runs');
    await page.locator('[data-testid="run-row"]').first().waitFor();
    const firstRowMs = performance.now() - started;
    const count = page.locator('.runs-count');
    const scroller = page.getByRole('region', { name: 'Runs list (scrolls)' });
    const loadStarted = performance.now();
    for (let i = 0; i < 200; i++) {
      const text = (await count.textContent()) ?? '';
      if (text.includes('end of list')) break;
      await scroller.evaluate((el: { scrollTop: number; scrollHeight: number }) => {
        el.scrollTop = el.scrollHeight;
      });
      await count.filter({ hasNotText: text }).waitFor();
    }
    await count.getByText(`${total} runs loaded (end of list)`).waitFor();
    const allLoadedMs = performance.now() - loadStarted;
    await scroller.evaluate((el: { scrollTop: number }) => {
      el.scrollTop = 0;
    });
    const frames = (await scrollFrames(page)).sort((a, b) => a - b);
    const rowsInDom = await page.locator('[data-testid="run-row"]').count();
    return { firstRowMs, allLoadedMs, frameP95: percentile(frames, 95), rowsInDom };
  } finally {
    await page.context().close();
  }
}

/** Opens the builder on a workflow: until every step is in the outline, then selecting the last step. */
async function measureBuilder(browser: Browser, base: string, token: string, workflowId: string, steps: number) {
  const page = await signedInPage(browser, base, token);
  try {
    const started = performance.now();
    await page.goto(`/workflows/${workflowId}`);
    const items = page.getByRole('list', { name: 'Steps' }).getByRole('listitem');
    await page.getByRole('button', { name: `Edit step${steps}` }).waitFor();
    const openMs = performance.now() - started;
    if ((await items.count()) < steps) throw new Error(`the outline lists ${await items.count()} of ${steps} steps`);
    const selectStarted = performance.now();
    await page.getByRole('button', { name: `Edit step${steps}` }).click();
    await page.getByRole('heading', { name: `Step ${steps}: step${steps}` }).waitFor();
    const selectMs = performance.now() - selectStarted;
    return { openMs, selectMs };
  } finally {
    await page.context().close();
  }
}

/**
 * The console with much data: the runs list with 10,000 runs against the same list with 200
 * (one page: the baseline), and the builder on a 50-step workflow against a 5-step one, in
 * headless Chromium against a spawned Flowgate (the production build of the console).
 */
export const run: BenchRun = async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}`);
  const env = await benchEnv('console');
  const flowgate = await startFlowgate({
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    QUEUE_PREFIX: env.prefix,
    ...benchSecrets(),
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const base = flowgate.url;
    const big = await tenantWithRuns(base, env.databaseUrl, 'many-runs', 10_000);
    const small = await tenantWithRuns(base, env.databaseUrl, 'few-runs', 200);
    const builderToken = await registerBenchTenant(base, 'builder');
    const fifty = await workflowWithSteps(base, builderToken, 50);
    const five = await workflowWithSteps(base, builderToken, 5);

    const runsBig: Array<Awaited<ReturnType<typeof measureRuns>>> = [];
    const runsSmall: typeof runsBig = [];
    const builderBig: Array<Awaited<ReturnType<typeof measureBuilder>>> = [];
    const builderSmall: typeof builderBig = [];
    for (let i = 0; i < ROUNDS; i++) {
      runsSmall.push(await measureRuns(browser, base, small, 200));
      runsBig.push(await measureRuns(browser, base, big, 10_000));
      builderSmall.push(await measureBuilder(browser, base, builderToken, five, 5));
      builderBig.push(await measureBuilder(browser, base, builderToken, fifty, 50));
    }
    const m = <T>(xs: T[], f: (x: T) => number) => round(median(xs.map(f)));
    const figures: BenchFigure[] = [
      {
        name: 'Runs: first rows shown after navigation (10,000 runs vs 200)',
        flowgate: m(runsBig, (r) => r.firstRowMs),
        baseline: m(runsSmall, (r) => r.firstRowMs),
        unit: 'ms',
        note: 'the first page (200 rows) is the same size for both tenants',
      },
      {
        name: 'Runs: scroll frame interval p95, every run loaded (10,000 vs 200)',
        flowgate: m(runsBig, (r) => r.frameP95),
        baseline: m(runsSmall, (r) => r.frameP95),
        unit: 'ms',
        target: 'within 2× the 200-row list',
        pass:
          m(runsBig, (r) => r.frameP95) <=
          2 *
            Math.max(
              m(runsSmall, (r) => r.frameP95),
              16.7,
            ),
      },
      {
        name: 'Runs: row elements in the page, every run loaded (10,000 vs 200)',
        flowgate: m(runsBig, (r) => r.rowsInDom),
        baseline: m(runsSmall, (r) => r.rowsInDom),
        note: 'virtualized: only the rows in view (plus overscan) exist',
      },
      {
        name: 'Runs: loading all 10,000 by scrolling (50 pages of 200)',
        flowgate: m(runsBig, (r) => r.allLoadedMs),
        unit: 'ms',
      },
      {
        name: 'Builder: open until every step is listed (50 steps vs 5)',
        flowgate: m(builderBig, (b) => b.openMs),
        baseline: m(builderSmall, (b) => b.openMs),
        unit: 'ms',
      },
      {
        name: 'Builder: select the last step until its form shows (50 steps vs 5)',
        flowgate: m(builderBig, (b) => b.selectMs),
        baseline: m(builderSmall, (b) => b.selectMs),
        unit: 'ms',
        target: 'within 2× the 5-step workflow',
        pass:
          m(builderBig, (b) => b.selectMs) <=
          2 *
            Math.max(
              m(builderSmall, (b) => b.selectMs),
              16.7,
            ),
      },
    ];
    return {
      title: 'Console with much data (runs list, builder)',
      method:
        `Headless Chromium (${CHROMIUM}) against a spawned Flowgate serving its production console build; ` +
        `${ROUNDS} rounds, medians. Runs: a tenant with 10,000 runs inserted in one statement beside one with 200 (one page, the baseline); ` +
        'open /runs, scroll to the end until every page is loaded, then scroll top to bottom one screen per animation frame and take the p95 frame interval. ' +
        'Builder: a 50-step workflow beside a 5-step one; open it until the last step is in the outline, then select the last step until its form shows.',
      figures,
    };
  } finally {
    await browser.close();
    await flowgate.stop();
    await env.cleanup();
  }
};

runWhenMain(module, run);
