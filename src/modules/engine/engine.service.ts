import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { DomainError } from '../../core/errors/domain-error';
import { ConnectorError } from '../connectors';
import { runCondition, ConditionParams } from './core-steps/condition.step';
import { RunOutcome, RunRequest, STEP_CONNECTORS, StepConnectors, StepDefinition, StepError, StepResult } from './engine.types';
import { RenderBudgetError, RunRenderBudget, WORKFLOW_TOO_MANY_STEPS } from './render-budget';
import { TemplateSyntaxError } from './templates/template-parser';
import { TemplateContext } from './templates/template-renderer';

/** Thrown when the caller's signal aborts a run (worker shutdown): the run is released, not failed. */
export class RunAbortedError extends Error {
  constructor() {
    super('Run aborted');
    this.name = 'RunAbortedError';
  }
}

export interface ParallelRunRequest extends Omit<RunRequest, 'steps'> {
  /** Steps that do not depend on each other (templates may read only trigger and execution). */
  steps: StepDefinition[];
}

export interface SingleStepRequest extends Omit<RunRequest, 'steps'> {
  /** A connector or transform step that reads only the trigger and execution (no other step's output). */
  step: StepDefinition;
}

/** One step's result, and for a failure the error it failed with as thrown, for callers that answer it their own way. */
export interface SingleStepOutcome {
  result: StepResult;
  /** The thrown error behind `result.error` (a ConnectorError, RenderBudgetError, TemplateSyntaxError…). */
  cause?: unknown;
}

/**
 * Runs workflow steps: renders each step's templates against
 * `{ trigger, steps: { <name>: <output> }, execution }`, runs core steps in-process and connector
 * steps through the connector framework, each bounded by the step timeout. Every run renders
 * within a RunRenderBudget (RENDER_MAX_STEP_BYTES, RENDER_MAX_RUN_BYTES) and runs at most
 * WORKFLOW_MAX_STEPS steps, whoever calls it.
 *
 * Used by the execution worker, the dry run, and other features that need to run steps
 * (the Kong smart aggregator through `runParallel` and `readOnlySteps`, the Kong protocol
 * bridge through `runStep`).
 */
@Injectable()
export class EngineService {
  constructor(
    @Inject(STEP_CONNECTORS) private readonly connectors: StepConnectors,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A fresh budget for one run (or one bridge call). */
  newBudget(): RunRenderBudget {
    const l = this.config.workflowLimits;
    return new RunRenderBudget({ maxStepBytes: l.renderMaxStepBytes, maxRunBytes: l.renderMaxRunBytes });
  }

  /**
   * One step's params rendered within the render budget, for callers that run the step
   * themselves (the Kong protocol bridge). Throws RenderBudgetError or TemplateSyntaxError.
   */
  renderStepParams(step: StepDefinition, ctx: TemplateContext): Record<string, unknown> {
    return this.newBudget().renderParams(step, ctx);
  }

  /** The step count problem of a stored workflow (saved before the limit was lowered), or null. */
  private tooManySteps(steps: StepDefinition[]): string | null {
    const max = this.config.workflowLimits.maxSteps;
    return steps.length > max ? `The workflow has ${steps.length} steps; at most ${max} may run (WORKFLOW_MAX_STEPS)` : null;
  }

  /**
   * Runs the steps in order. A condition can turn following steps off (recorded `skipped`);
   * the first failing step stops the run and the rest are recorded `skipped`.
   * Throws RunAbortedError when `signal` aborts.
   */
  async run(req: RunRequest): Promise<RunOutcome> {
    const started = performance.now();
    const ctx: TemplateContext = { trigger: req.trigger ?? null, steps: {}, execution: req.execution ?? {} };
    const results: StepResult[] = [];
    const skipped = new Map<string, string>();
    let failure: RunOutcome['error'];
    const budget = this.newBudget();

    const tooMany = this.tooManySteps(req.steps);
    if (tooMany) {
      // Nothing runs; the first step past the limit carries the error.
      const over = req.steps[this.config.workflowLimits.maxSteps];
      const error = { message: tooMany, retryable: false, code: WORKFLOW_TOO_MANY_STEPS };
      for (const step of req.steps) {
        const base = { name: step.name, type: step.type, connector: step.connector, action: step.action };
        results.push(
          step === over
            ? { ...base, status: 'failed', error, durationMs: 0 }
            : { ...base, status: 'skipped', skippedReason: tooMany, durationMs: 0 },
        );
      }
      return { status: 'failed', steps: results, error: { ...error, step: over.name }, durationMs: round(performance.now() - started) };
    }

    for (let i = 0; i < req.steps.length; i++) {
      const step = req.steps[i];
      const base = { name: step.name, type: step.type, connector: step.connector, action: step.action };
      if (failure) {
        results.push({ ...base, status: 'skipped', skippedReason: `step "${failure.step}" failed`, durationMs: 0 });
        continue;
      }
      const reason = skipped.get(step.name);
      if (reason) {
        results.push({ ...base, status: 'skipped', skippedReason: reason, durationMs: 0 });
        continue;
      }
      const result = await this.execute(
        step,
        ctx,
        budget,
        req,
        req.steps.slice(i + 1).map((s) => s.name),
      );
      results.push(result.result);
      if (result.result.status === 'failed') {
        failure = { ...result.result.error!, step: step.name };
        continue;
      }
      ctx.steps[step.name] = result.result.output;
      for (const name of result.skip) skipped.set(name, `condition "${step.name}" chose ${result.branch === 'then' ? 'else' : 'then'}`);
    }
    return { status: failure ? 'failed' : 'succeeded', steps: results, error: failure, durationMs: round(performance.now() - started) };
  }

  /**
   * Runs independent steps at the same time against the trigger only (no step reads another's
   * output; conditions are not allowed). Each result stands alone; one failure does not stop
   * the others. Meant for read-only fan-out such as the Kong aggregator. The steps share one
   * run budget (a step that would pass it fails with RENDER_LIMIT_EXCEEDED).
   */
  async runParallel(req: ParallelRunRequest): Promise<StepResult[]> {
    const ctx: TemplateContext = { trigger: req.trigger ?? null, steps: {}, execution: req.execution ?? {} };
    const tooMany = this.tooManySteps(req.steps);
    if (tooMany) throw AppException.conflict(WORKFLOW_TOO_MANY_STEPS, tooMany);
    for (const step of req.steps) {
      if (step.type === 'condition')
        throw AppException.badRequest('CONDITION_NOT_PARALLEL', `Step "${step.name}": conditions cannot run in parallel`);
    }
    const budget = this.newBudget();
    const settled = await Promise.all(req.steps.map((step) => this.execute(step, ctx, budget, req, [])));
    return settled.map((s) => s.result);
  }

  /**
   * Runs one step on its own against the trigger, within a fresh run budget and the request's
   * step timeout: what a synchronous caller (the Kong protocol bridge) needs to answer with the
   * step's output or with its own mapping of the error. Conditions are not allowed (nothing follows them).
   */
  async runStep(req: SingleStepRequest): Promise<SingleStepOutcome> {
    if (req.step.type === 'condition')
      throw AppException.badRequest('CONDITION_NOT_ALONE', `Step "${req.step.name}": a condition cannot run on its own`);
    const ctx: TemplateContext = { trigger: req.trigger ?? null, steps: {}, execution: req.execution ?? {} };
    const { result, cause } = await this.execute(req.step, ctx, this.newBudget(), req, []);
    return { result, cause };
  }

  /** The steps that are safe to run without side effects: read-only connector actions and transforms. */
  readOnlySteps(steps: StepDefinition[]): StepDefinition[] {
    return steps.filter((s) => s.type === 'transform' || (s.type === 'connector' && this.connectors.isReadOnly(s.connector!, s.action!)));
  }

  private async execute(
    step: StepDefinition,
    ctx: TemplateContext,
    budget: RunRenderBudget,
    req: Pick<RunRequest, 'tenantId' | 'stepTimeoutMs' | 'signal' | 'execution' | 'sideEffects'>,
    following: string[],
  ): Promise<{ result: StepResult; skip: string[]; branch?: 'then' | 'else'; cause?: unknown }> {
    if (req.signal?.aborted) throw new RunAbortedError();
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    const base = { name: step.name, type: step.type, connector: step.connector, action: step.action, startedAt };
    let input: unknown;
    try {
      // Stops the moment the rendered params pass the step's or the run's budget.
      input = budget.renderParams(step, ctx);
      if (step.type === 'transform') {
        // The output is the input (the same value): already charged.
        return { result: { ...base, status: 'succeeded', input, output: input, durationMs: round(performance.now() - t0) }, skip: [] };
      }
      if (step.type === 'condition') {
        const outcome = runCondition(input as ConditionParams, following);
        const output = { result: outcome.result, branch: outcome.branch };
        budget.chargeOutput(step, output);
        return {
          result: { ...base, status: 'succeeded', input, output, durationMs: round(performance.now() - t0) },
          skip: outcome.skip,
          branch: outcome.branch,
        };
      }
      // The invoker checks the rendered params against the action's schema (non-retryable 400).
      const params = input as Record<string, unknown>;
      // The invoker bounds the call by the step timeout (and the caller's signal), whatever the connector does.
      const call = {
        tenantId: req.tenantId,
        connector: step.connector!,
        action: step.action!,
        params,
        credentialId: step.credentialId,
        timeoutMs: req.stepTimeoutMs,
        signal: req.signal,
        idempotencyKey: stepIdempotencyKey(req.execution, step.name),
      };
      if (req.sideEffects === false) {
        // A dry run without side effects: a side-effecting action is planned (its request recorded, never sent).
        const { output, planned } = await this.connectors.invokeWithoutSideEffects(call);
        budget.chargeOutput(step, output);
        const status = planned ? 'planned' : 'succeeded';
        return {
          result: { ...base, status, input, output, ...(planned ? { request: planned } : {}), durationMs: round(performance.now() - t0) },
          skip: [],
        };
      }
      const output = await this.connectors.invoke(call);
      budget.chargeOutput(step, output);
      return { result: { ...base, status: 'succeeded', input, output, durationMs: round(performance.now() - t0) }, skip: [] };
    } catch (e) {
      // Whatever the step reported, a run aborted by its caller is released, not failed.
      if (e instanceof RunAbortedError || req.signal?.aborted) throw new RunAbortedError();
      return {
        result: { ...base, status: 'failed', input, error: toStepError(e), durationMs: round(performance.now() - t0) },
        skip: [],
        cause: e,
      };
    }
  }
}

function toStepError(e: unknown): StepError {
  if (e instanceof RenderBudgetError) return e.toStepError();
  // A connector failure shows the provider's status and code, not Flowgate's answer to it.
  if (e instanceof ConnectorError) {
    return { message: e.message, retryable: e.retryable, status: e.stepStatus, code: e.stepCode, retryAfterSeconds: e.retryAfterSeconds };
  }
  // Every deliberate failure (AppException included) says itself whether a retry may help.
  if (e instanceof DomainError) {
    return { message: e.message, retryable: !!e.retryable, status: e.status, code: e.code, retryAfterSeconds: e.retryAfterSeconds };
  }
  if (e instanceof TemplateSyntaxError) return { message: e.message, retryable: false, code: 'TEMPLATE_INVALID' };
  // Unknown failures (a bug, a dropped socket) may well pass on another attempt.
  return { message: (e as Error)?.message ?? String(e), retryable: true, code: 'STEP_ERROR' };
}

/**
 * A key that is the same for every attempt of one step of one execution (a retry, a redelivery)
 * and differs for any other step or execution; none without an execution id (a dry run).
 */
export function stepIdempotencyKey(execution: Record<string, unknown> | undefined, stepName: string): string | undefined {
  const id = execution?.id;
  if (typeof id !== 'string' || !id) return undefined;
  return `flowgate-${createHash('sha256').update(`${id}\u0000${stepName}`).digest('hex').slice(0, 40)}`;
}

const round = (n: number) => Math.round(n * 100) / 100;
