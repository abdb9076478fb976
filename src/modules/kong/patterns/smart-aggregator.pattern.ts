import { z } from 'zod';
import { AppException } from '../../../core/errors/app-exception';
import { StepDefinition } from '../../engine';
import { definePattern, WorkflowView } from './kong-pattern';
import { stepName } from './option-types';

const options = z.strictObject({
  cache_ttl: z.number().int().min(1).max(86_400).default(300),
  /** Names of the read-only steps to run; default: every read-only step of the workflow. */
  steps: z.array(stepName).min(1).max(50).meta({ uniqueItems: true }).optional(),
});
export type SmartAggregatorOptions = z.output<typeof options>;

/** GET fan-out: Flowgate's aggregate endpoint runs the workflow's read-only steps in parallel; Kong caches the answer. */
export const smartAggregator = definePattern({
  name: 'smart_aggregator',
  routeSuffix: 'aggregate',
  options,
  upstream: { endpoint: 'aggregate' },
  frontsWebhook: false,
  checkWorkflow: (workflow, o) => void aggregateSteps(workflow, o),
  plan: (o, kit) => {
    const cache = kit.plugin('proxy-cache', {
      strategy: 'memory',
      cache_ttl: o.cache_ttl,
      // Kong matches content types exactly; Flowgate answers JSON with a charset.
      content_type: ['application/json', 'application/json; charset=utf-8'],
      request_method: ['GET', 'HEAD'],
      response_code: [200],
    });
    return kit.plan([kit.service([kit.route(['GET', 'HEAD'], [kit.gatewayHeader(), cache])])]);
  },
});

/** The steps an aggregator runs: the named read-only steps, or every read-only step. */
export function aggregateSteps({ steps: all, readOnlySteps: readOnly }: WorkflowView, o: SmartAggregatorOptions): StepDefinition[] {
  const names = o.steps;
  if (!names) {
    if (!readOnly.length) {
      throw AppException.validation([
        {
          field: 'workflow_id',
          message: 'workflow_id: a smart aggregator needs a workflow with read-only steps (read-only connector actions or transforms)',
        },
      ]);
    }
    return readOnly;
  }
  const problems = names.flatMap((n, i) => {
    if (!all.some((s) => s.name === n))
      return [{ field: `options.steps[${i}]`, message: `options.steps[${i}]: the workflow has no step named "${n}"` }];
    if (!readOnly.some((s) => s.name === n))
      return [{ field: `options.steps[${i}]`, message: `options.steps[${i}]: step "${n}" is not read-only, so it cannot be aggregated` }];
    return [];
  });
  if (problems.length) throw AppException.validation(problems);
  return readOnly.filter((s) => names.includes(s.name));
}
