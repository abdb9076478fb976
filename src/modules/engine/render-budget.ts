import { StepDefinition, StepError } from './engine.types';
import { jsonSize } from './templates/json-size';
import { RenderLimitError, RenderMeter, renderValue, TemplateContext } from './templates/template-renderer';

export const RENDER_LIMIT_EXCEEDED = 'RENDER_LIMIT_EXCEEDED';
export const WORKFLOW_TOO_MANY_STEPS = 'WORKFLOW_TOO_MANY_STEPS';

export interface RenderLimits {
  /** RENDER_MAX_STEP_BYTES: JSON bytes one step's rendered params may reach. */
  maxStepBytes: number;
  /** RENDER_MAX_RUN_BYTES: JSON bytes of every step's rendered input and output in one run. */
  maxRunBytes: number;
}

/** `1048576 bytes (1 MiB)`: the exact limit and a readable one. */
export function describeBytes(n: number): string {
  const unit = n >= 1024 * 1024 ? [1024 * 1024, 'MiB'] : n >= 1024 ? [1024, 'KiB'] : null;
  if (!unit) return `${n} bytes`;
  const v = Math.round((n / (unit[0] as number)) * 100) / 100;
  return `${n} bytes (${v} ${unit[1]})`;
}

/** A step went over a render limit: fails the step, never retried (the same data renders the same way). */
export class RenderBudgetError extends Error {
  readonly code = RENDER_LIMIT_EXCEEDED;
  constructor(
    readonly step: string,
    readonly setting: 'RENDER_MAX_STEP_BYTES' | 'RENDER_MAX_RUN_BYTES',
    readonly limit: number,
    what: 'params' | 'output',
  ) {
    super(
      setting === 'RENDER_MAX_STEP_BYTES'
        ? `Step "${step}": its rendered params exceed the per-step render limit of ${describeBytes(limit)}, RENDER_MAX_STEP_BYTES; rendering stopped there`
        : `Step "${step}": its rendered ${what} would take this run's inputs and outputs past the per-run render limit of ${describeBytes(limit)}, RENDER_MAX_RUN_BYTES; rendering stopped there`,
    );
    this.name = 'RenderBudgetError';
  }

  toStepError(): StepError {
    return { message: this.message, retryable: false, code: this.code };
  }
}

/**
 * One run's render budget: each step's params render within the per-step limit and within what
 * is left of the run's, counted while rendering (RenderMeter), so an amplifying template stops
 * before its value is built. Connector outputs are charged to the run too (a transform's output
 * is its input, charged once). Shared by every path that runs steps: the worker, the dry run,
 * the Kong aggregate (parallel steps share one budget) and the bridge.
 */
export class RunRenderBudget {
  private used = 0;

  constructor(private readonly limits: RenderLimits) {}

  get usedBytes(): number {
    return this.used;
  }

  /** The step's params rendered against `ctx`; throws RenderBudgetError over a limit (TemplateSyntaxError as before). */
  renderParams(step: StepDefinition, ctx: TemplateContext): Record<string, unknown> {
    const left = this.limits.maxRunBytes - this.used;
    const byStep = this.limits.maxStepBytes <= left;
    const meter = new RenderMeter(byStep ? this.limits.maxStepBytes : left);
    try {
      const rendered = renderValue(step.params ?? {}, ctx, meter) as Record<string, unknown>;
      this.used += meter.used;
      return rendered;
    } catch (e) {
      if (!(e instanceof RenderLimitError)) throw e;
      throw byStep
        ? new RenderBudgetError(step.name, 'RENDER_MAX_STEP_BYTES', this.limits.maxStepBytes, 'params')
        : new RenderBudgetError(step.name, 'RENDER_MAX_RUN_BYTES', this.limits.maxRunBytes, 'params');
    }
  }

  /** Charges a step's output (built by a connector) to the run; throws RenderBudgetError past the run limit. */
  chargeOutput(step: StepDefinition, output: unknown): void {
    const left = this.limits.maxRunBytes - this.used;
    const size = jsonSize(output, left);
    if (size > left) throw new RenderBudgetError(step.name, 'RENDER_MAX_RUN_BYTES', this.limits.maxRunBytes, 'output');
    this.used += size;
  }
}
