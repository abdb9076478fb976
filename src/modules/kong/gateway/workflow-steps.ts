import { AppException } from '../../../core/errors/app-exception';
import { StepDefinition } from '../../engine';

/** The soap step a protocol bridge runs: the named one, or the workflow's first soap step. */
export function pickSoapStep(steps: StepDefinition[], name?: string): StepDefinition {
  if (name) {
    const step = steps.find((s) => s.name === name);
    if (!step)
      throw AppException.validation([{ field: 'options.step', message: `options.step: the workflow has no step named "${name}"` }]);
    if (step.type !== 'connector' || step.connector !== 'soap') {
      throw AppException.validation([{ field: 'options.step', message: `options.step: step "${name}" is not a soap connector step` }]);
    }
    return step;
  }
  const step = steps.find((s) => s.type === 'connector' && s.connector === 'soap');
  if (!step)
    throw AppException.validation([
      { field: 'workflow_id', message: 'workflow_id: a protocol bridge needs a workflow with a soap connector step' },
    ]);
  return step;
}

/** The steps an aggregator runs: the named read-only steps, or every read-only step. */
export function pickAggregateSteps(all: StepDefinition[], readOnly: StepDefinition[], names?: string[]): StepDefinition[] {
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
