import { AppConfig } from '../../../core/config/app-config';
import { EngineService } from '../engine.service';
import { StepConnectors, StepDefinition } from '../engine.types';
import { RENDER_LIMIT_EXCEEDED, RenderBudgetError, RunRenderBudget, WORKFLOW_TOO_MANY_STEPS } from '../render-budget';
import { jsonSize } from '../templates/json-size';
import { RenderLimitError, RenderMeter, renderString, renderValue, TemplateContext } from '../templates/template-renderer';

const MiB = 1024 * 1024;
const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v) ?? '');

/** `levels` objects, each holding the previous one twice: tiny in memory, 2^levels times the seed as JSON. */
function doubling(levels: number, seed: unknown = 'x'): unknown {
  let v: unknown = seed;
  for (let i = 0; i < levels; i++) v = { a: v, b: v };
  return v;
}

/** The doubling workflow: each transform step references the previous one twice (whole-value templates). */
function doublingSteps(n: number): StepDefinition[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `s${i}`,
    type: 'transform' as const,
    params: i === 0 ? { seed: '{{trigger.seed}}' } : { left: `{{steps.s${i - 1}}}`, right: `{{steps.s${i - 1}}}` },
  }));
}

describe('jsonSize: the JSON byte length, measured without building the text', () => {
  it.each([
    ['plain text', 'hello'],
    ['escapes', 'quote " backslash \\ newline \n tab \t bell \u0007 nul \u0000'],
    ['multi-byte UTF-8 and a surrogate pair', 'é ü 漢字 😀'],
    ['a lone surrogate', 'broken \ud800 here \udc00'],
    ['numbers', [0, -1.5, 1e21, 123456789, Number.NaN, Infinity]],
    ['booleans and null', [true, false, null]],
    ['undefined in an array (null) and in an object (left out)', { list: [1, undefined, () => 1], gone: undefined, kept: 'k' }],
    ['a date (toJSON)', { at: new Date('2026-01-02T03:04:05.000Z') }],
    ['nesting and odd keys', { 'a"b': { é: [[], {}, [{ x: 'y' }]] }, __proto__x: 1 }],
    ['empty containers', [{}, [], '']],
  ])('%s', (_name, value) => {
    expect(jsonSize(value, Infinity)).toBe(bytes(value));
  });

  it('gives up at the limit: a value of 2^40 × its seed is measured at the cost of the limit', () => {
    // Each node reports its reads: the walk must stop long before visiting 2^40 of them.
    let reads = 0;
    let v: unknown = 'seed';
    for (let i = 0; i < 40; i++) {
      const inner = v;
      v = Object.defineProperties(
        {},
        { a: { enumerable: true, get: () => (reads++, inner) }, b: { enumerable: true, get: () => (reads++, inner) } },
      );
    }
    const size = jsonSize(v, 64 * 1024);
    expect(size).toBeGreaterThan(64 * 1024);
    // Every read adds at least 5 bytes ("a":…), so reads are bounded by the limit.
    expect(reads).toBeLessThan((64 * 1024) / 5 + 2);
  });

  it('a string longer than what is left stops without being scanned', () => {
    expect(jsonSize('x'.repeat(10_000), 100)).toBeGreaterThan(100);
  });

  it('ends on a cycle instead of looping', () => {
    const a: Record<string, unknown> = { n: 1 };
    a.self = a;
    expect(jsonSize(a, 10_000)).toBeGreaterThan(10_000);
  });
});

describe('rendering within a RenderMeter', () => {
  it('charges exactly the JSON bytes of what it renders', () => {
    const ctx: TemplateContext = {
      trigger: { user: { name: 'Zoë "Z"', tags: ['a', 'b'] }, n: 42, none: null },
      steps: { prev: { list: [1, 2, { k: 'v' }] } },
    };
    const params = {
      text: 'Hi {{trigger.user.name}} #{{trigger.n}} tags={{trigger.user.tags}}',
      whole: '{{steps.prev}}',
      num: '{{trigger.n}}',
      missing: '{{trigger.nope}}',
      list: ['{{trigger.nope}}', 'plain', 7, true, null, '{{trigger.user.tags | json}}'],
      nested: { deep: { x: '{{trigger.user.name | default: "n/a"}}' } },
    };
    const meter = new RenderMeter();
    const out = renderValue(params, ctx, meter);
    expect(meter.used).toBe(bytes(out));
  });

  it('stops a whole-value reference that doubles each step, before anything of that size exists', () => {
    const ctx: TemplateContext = { trigger: null, steps: { big: doubling(60) } };
    expect(() => renderValue({ a: '{{steps.big}}' }, ctx, new RenderMeter(MiB))).toThrow(RenderLimitError);
  });

  it('stops the json filter before it stringifies', () => {
    const ctx: TemplateContext = { trigger: null, steps: { big: doubling(60) } };
    expect(() => renderString('{{steps.big | json}}', ctx, new RenderMeter(MiB))).toThrow(RenderLimitError);
    expect(() => renderString('text {{steps.big}}', ctx, new RenderMeter(MiB))).toThrow(RenderLimitError);
  });

  it('stops building text once over the limit: 20 references to 256 KB read only the first few', () => {
    let reads = 0;
    const blob = 'x'.repeat(256 * 1024);
    const trigger = Object.defineProperty({}, 'blob', { enumerable: true, get: () => (reads++, blob) });
    const text = Array.from({ length: 20 }, () => '{{trigger.blob}}').join('-');
    expect(() => renderString(text, { trigger, steps: {} }, new RenderMeter(MiB))).toThrow(RenderLimitError);
    expect(reads).toBe(4); // four copies and their dashes already pass 1 MiB: the other 16 are never read
  });

  it('20 whole-value references to a 256 KB payload go over 1 MiB', () => {
    const ctx: TemplateContext = { trigger: { blob: 'x'.repeat(256 * 1024) }, steps: {} };
    const params = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, '{{trigger.blob}}']));
    expect(() => renderValue(params, ctx, new RenderMeter(MiB))).toThrow(RenderLimitError);
    // Within the limit it renders as before.
    expect(renderValue({ f: '{{trigger.blob}}' }, ctx, new RenderMeter(MiB))).toEqual({
      f: ctx.trigger && (ctx.trigger as { blob: string }).blob,
    });
  });

  it('without a meter nothing changes (unlimited)', () => {
    expect(renderString('{{trigger.a}}-{{trigger.a}}', { trigger: { a: 'x' }, steps: {} })).toBe('x-x');
  });
});

describe('RunRenderBudget', () => {
  const step = (name: string, params: Record<string, unknown>): StepDefinition => ({ name, type: 'transform', params });

  it('fails a step over the per-step limit, naming the step and RENDER_MAX_STEP_BYTES', () => {
    const budget = new RunRenderBudget({ maxStepBytes: 1024, maxRunBytes: 1 << 20 });
    const ctx: TemplateContext = { trigger: { s: 'y'.repeat(2000) }, steps: {} };
    let err: unknown;
    try {
      budget.renderParams(step('shape', { v: '{{trigger.s}}' }), ctx);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RenderBudgetError);
    const se = (err as RenderBudgetError).toStepError();
    expect(se).toMatchObject({ code: RENDER_LIMIT_EXCEEDED, retryable: false });
    expect(se.message).toContain('Step "shape"');
    expect(se.message).toContain('1024 bytes');
    expect(se.message).toContain('RENDER_MAX_STEP_BYTES');
  });

  it('counts every step of a run against the run limit (inputs and connector outputs)', () => {
    const budget = new RunRenderBudget({ maxStepBytes: 1000, maxRunBytes: 2400 });
    const ctx: TemplateContext = { trigger: { s: 'z'.repeat(800) }, steps: {} };
    budget.renderParams(step('one', { v: '{{trigger.s}}' }), ctx);
    budget.chargeOutput(step('one', {}), { out: 'w'.repeat(800) });
    expect(budget.usedBytes).toBe(bytes({ v: 'z'.repeat(800) }) + bytes({ out: 'w'.repeat(800) }));
    expect(() => budget.renderParams(step('three', { v: '{{trigger.s}}' }), ctx)).toThrow(/Step "three".*2400 bytes.*RENDER_MAX_RUN_BYTES/);
    expect(() => budget.chargeOutput(step('four', {}), { out: 'w'.repeat(900) })).toThrow(/Step "four".*RENDER_MAX_RUN_BYTES/);
  });
});

describe('EngineService: every run renders within the budget', () => {
  const connectors: StepConnectors = {
    validateParams: () => [],
    knows: () => true,
    isReadOnly: () => true,
    assertCredentialUsable: async () => undefined,
    requiredCredentialKinds: () => null,
    invoke: async (req) => ({ echoed: req.params }),
    invokeWithoutSideEffects: async (req) => ({ output: { echoed: req.params } }),
  };
  const engine = (limits: Partial<AppConfig['workflowLimits']> = {}) =>
    new EngineService(connectors, {
      workflowLimits: { renderMaxStepBytes: MiB, renderMaxRunBytes: 8 * MiB, maxSteps: 50, ...limits },
    } as AppConfig);
  const run = (e: EngineService, steps: StepDefinition[], trigger: unknown = { seed: 'x'.repeat(100) }) =>
    e.run({ tenantId: 't', steps, trigger, stepTimeoutMs: 1000 });

  it('the 30-step doubling workflow fails at the first step past 1 MiB, non-retryable, the rest skipped', async () => {
    const seed = 'x'.repeat(100);
    // JSON size of step i: s0 = {"seed":"x…"}, then {"left":s,"right":s}.
    const sizes = [bytes({ seed })];
    for (let i = 1; i < 30; i++) sizes.push(2 * sizes[i - 1] + bytes({ left: 0, right: 0 }) - 2);
    const firstOver = sizes.findIndex((s) => s > MiB);

    const outcome = await run(engine(), doublingSteps(30), { seed });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatchObject({ step: `s${firstOver}`, code: RENDER_LIMIT_EXCEEDED, retryable: false });
    expect(outcome.error!.message).toMatch(new RegExp(`Step "s${firstOver}".*1048576 bytes \\(1 MiB\\).*RENDER_MAX_STEP_BYTES`));
    expect(outcome.steps.slice(0, firstOver).every((s) => s.status === 'succeeded')).toBe(true);
    expect(outcome.steps[firstOver].input).toBeUndefined();
    expect(outcome.steps.slice(firstOver + 1).every((s) => s.status === 'skipped')).toBe(true);
  });

  it('steps each under the step limit stop at the run limit', async () => {
    const steps: StepDefinition[] = Array.from({ length: 12 }, (_, i) => ({
      name: `c${i}`,
      type: 'transform',
      params: { copy: '{{trigger.blob}}' },
    }));
    const outcome = await run(engine(), steps, { blob: 'b'.repeat(900 * 1024) });
    // 9 copies of ~900 KiB fit in 8 MiB, the 10th does not.
    expect(outcome.error).toMatchObject({ step: 'c9', code: RENDER_LIMIT_EXCEEDED });
    expect(outcome.error!.message).toContain('RENDER_MAX_RUN_BYTES');
  });

  it('connector outputs count toward the run budget', async () => {
    const steps: StepDefinition[] = Array.from({ length: 4 }, (_, i) => ({
      name: `k${i}`,
      type: 'connector',
      connector: 'x',
      action: 'y',
      params: { copy: '{{trigger.blob}}' },
    }));
    const outcome = await run(engine({ renderMaxRunBytes: 5000, renderMaxStepBytes: 4000 }), steps, { blob: 'b'.repeat(1000) });
    // k0: input ~1 KB + output ~1 KB; k1 the same; k2's input fits, its output does not.
    expect(outcome.error).toMatchObject({ step: 'k2', code: RENDER_LIMIT_EXCEEDED });
  });

  it('a stored workflow longer than WORKFLOW_MAX_STEPS runs nothing and names the limit', async () => {
    const outcome = await run(engine({ maxSteps: 5 }), doublingSteps(8));
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatchObject({ step: 's5', code: WORKFLOW_TOO_MANY_STEPS, retryable: false });
    expect(outcome.error!.message).toContain('WORKFLOW_MAX_STEPS');
    expect(outcome.steps.filter((s) => s.status === 'succeeded')).toHaveLength(0);
    await expect(
      engine({ maxSteps: 5 }).runParallel({
        tenantId: 't',
        steps: doublingSteps(8)
          .slice(0, 6)
          .map((s) => ({ ...s, params: { n: 1 } })),
        trigger: {},
        stepTimeoutMs: 1000,
      }),
    ).rejects.toMatchObject({
      code: WORKFLOW_TOO_MANY_STEPS,
    });
  });

  it('parallel steps (the Kong aggregate) share one run budget', async () => {
    const steps: StepDefinition[] = Array.from({ length: 3 }, (_, i) => ({
      name: `p${i}`,
      type: 'transform',
      params: { copy: '{{trigger.q}}' },
    }));
    const results = await engine({ renderMaxRunBytes: 2500, renderMaxStepBytes: 2000 }).runParallel({
      tenantId: 't',
      steps,
      trigger: { q: 'q'.repeat(1000) },
      stepTimeoutMs: 1000,
    });
    expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'failed']);
    expect(results[2].error).toMatchObject({ code: RENDER_LIMIT_EXCEEDED });
  });

  it('renderStepParams (the bridge) uses the same budget', () => {
    const e = engine({ renderMaxStepBytes: 2048 });
    const step: StepDefinition = {
      name: 'legacy',
      type: 'connector',
      connector: 'soap',
      action: 'call',
      params: { a: '{{trigger.x}}', b: '{{trigger.x}}' },
    };
    expect(e.renderStepParams(step, { trigger: { x: 'ok' }, steps: {} })).toEqual({ a: 'ok', b: 'ok' });
    expect(() => e.renderStepParams(step, { trigger: { x: 'x'.repeat(1500) }, steps: {} })).toThrow(RenderBudgetError);
  });
});
