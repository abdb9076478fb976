import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException, ErrorDetail } from '../../core/errors/app-exception';
import { validateCondition } from '../engine';
import { validateTransform } from '../engine';
import { STEP_CONNECTORS, StepConnectors, StepDefinition } from '../engine';
import { checkReferences } from '../engine';
import { StepDto } from './dto/workflow.dto';

/** The value at a dotted/bracketed path inside params (for "is this field a template?"). */
function valueAt(params: Record<string, unknown>, field: string): unknown {
  const parts = field
    .replace(/^\/|^params\.?/, '')
    .split(/[./]|\[(\d+)\]/)
    .filter((p) => p !== undefined && p !== '');
  let cur: unknown = params;
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, p)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function normalizeParamField(field: string | undefined): string {
  if (!field) return '';
  return field
    .replace(/^\//, '')
    .replace(/\//g, '.')
    .replace(/^params\.?/, '');
}

/**
 * Everything a workflow's steps are checked for before it is saved (its trigger is its trigger
 * handler's to check): step names, connectors, actions, params against the action's schema, credentials (own tenant,
 * right connector), core step params, and template references (known roots, earlier steps).
 * Each problem names its field, e.g. `steps[1].params.city`.
 */
@Injectable()
export class WorkflowValidator {
  constructor(
    @Inject(STEP_CONNECTORS) private readonly connectors: StepConnectors,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  normalizeSteps(steps: StepDto[]): StepDefinition[] {
    return steps.map((s) => {
      const type = s.type ?? 'connector';
      const step: StepDefinition = { name: s.name, type, params: s.params ?? {} };
      if (s.connector !== undefined) step.connector = s.connector;
      if (s.action !== undefined) step.action = s.action;
      if (s.credentialId !== undefined) step.credentialId = s.credentialId;
      return step;
    });
  }

  async checkSteps(tenantId: string, steps: StepDefinition[], problems: ErrorDetail[]): Promise<void> {
    // WORKFLOW_MAX_STEPS (the DTO's MAX_STEPS is only the ceiling the setting may reach).
    const maxSteps = this.config.workflowLimits.maxSteps;
    if (steps.length > maxSteps) {
      problems.push({
        field: 'steps',
        message: `a workflow has at most ${maxSteps} steps (WORKFLOW_MAX_STEPS); this one has ${steps.length}`,
      });
      return;
    }
    const names = steps.map((s) => s.name);
    const all = new Set(names);
    const seen = new Set<string>();
    const credentialChecks: Array<Promise<ErrorDetail | null>> = [];

    steps.forEach((step, i) => {
      const at = `steps[${i}]`;
      if (seen.has(step.name)) problems.push({ field: `${at}.name`, message: `duplicate step name "${step.name}"` });
      const earlier = new Set(seen);
      seen.add(step.name);
      const later = names.slice(i + 1);

      if (step.type === 'connector') {
        if (!step.connector) problems.push({ field: `${at}.connector`, message: 'a connector step needs a connector' });
        else if (!this.connectors.knows(step.connector))
          problems.push({ field: `${at}.connector`, message: `unknown connector "${step.connector}" (see GET /api/connectors)` });
        else if (!step.action) problems.push({ field: `${at}.action`, message: 'a connector step needs an action' });
        else if (!this.connectors.knows(step.connector, step.action))
          problems.push({ field: `${at}.action`, message: `connector "${step.connector}" has no action "${step.action}"` });
        else {
          for (const p of this.connectors.validateParams(step.connector, step.action, step.params)) {
            const rel = normalizeParamField(p.field);
            // A templated value is checked against the schema when the step runs, after rendering.
            const value = rel ? valueAt(step.params, rel) : undefined;
            if (typeof value === 'string' && value.includes('{{')) continue;
            problems.push({ field: rel ? `${at}.params.${rel}` : `${at}.params`, message: p.message });
          }
          const needs = this.connectors.requiredCredentialKinds(step.connector);
          if (!step.credentialId && needs) {
            problems.push({
              field: `${at}.credentialId`,
              message: `connector "${step.connector}" needs a credential (${needs.join(' or ')})`,
            });
          }
          if (step.credentialId) {
            credentialChecks.push(
              this.connectors.assertCredentialUsable(tenantId, step.credentialId, step.connector, step.params).then(
                () => null,
                (e) => {
                  if (!(e instanceof AppException) || e.status >= 500) throw e;
                  const field =
                    Array.isArray(e.details) && e.details[0]?.field?.startsWith('params.') ? e.details[0].field : 'credentialId';
                  return { field: `${at}.${field}`, message: e.message };
                },
              ),
            );
          }
        }
      } else {
        for (const k of ['connector', 'action', 'credentialId'] as const) {
          if (step[k] !== undefined) problems.push({ field: `${at}.${k}`, message: `a ${step.type} step does not take ${k}` });
        }
        if (step.type === 'condition') problems.push(...validateCondition(step.params, `${at}.params`, later));
        else problems.push(...validateTransform(step.params, `${at}.params`));
      }
      // then/else hold step names, not templates; everything else may reference earlier steps.
      let templated: Record<string, unknown> = step.params;
      if (step.type === 'condition') {
        const { then: _then, else: _else, ...rest } = step.params;
        templated = rest;
      }
      problems.push(...checkReferences(templated, `${at}.params`, earlier, all));
    });
    // In step order, whatever order the lookups answer in.
    for (const problem of await Promise.all(credentialChecks)) if (problem) problems.push(problem);
  }
}
