import { parseTemplate, TemplateExpression, TemplateSyntaxError } from './template-parser';

export interface FoundExpression {
  /** Where in the value the template sits, e.g. `text` or `headers.Authorization` or `items[0]`. */
  field: string;
  expression: TemplateExpression;
}

/** A problem naming its field (same shape as an API error detail). */
export interface TemplateProblem {
  field: string;
  message: string;
  [key: string]: unknown;
}

function join(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const safe = /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) ? key : JSON.stringify(key);
  return parent ? (safe.startsWith('"') ? `${parent}[${safe}]` : `${parent}.${safe}`) : safe.startsWith('"') ? `[${safe}]` : safe;
}

/** Every template expression inside a JSON value, with its location; syntax errors as problems. */
export function collectExpressions(value: unknown, field = ''): { found: FoundExpression[]; problems: TemplateProblem[] } {
  const found: FoundExpression[] = [];
  const problems: TemplateProblem[] = [];
  const walk = (v: unknown, at: string) => {
    if (typeof v === 'string') {
      if (!v.includes('{{')) return;
      try {
        for (const expression of parseTemplate(v).expressions) found.push({ field: at, expression });
      } catch (e) {
        if (!(e instanceof TemplateSyntaxError)) throw e;
        problems.push({ field: at, message: `invalid template: ${e.message}` });
      }
    } else if (Array.isArray(v)) v.forEach((item, i) => walk(item, join(at, i)));
    else if (v !== null && typeof v === 'object') for (const [k, item] of Object.entries(v)) walk(item, join(at, k));
  };
  walk(value, field);
  return { found, problems };
}

/**
 * Checks that every template reads something that will exist when the step runs: for
 * `steps.<name>` a step that comes earlier in the workflow. Every first name is valid: one that
 * is not a root reads the trigger payload (see template-parser), which only the run can know.
 */
export function checkReferences(
  value: unknown,
  field: string,
  earlierSteps: ReadonlySet<string>,
  allSteps: ReadonlySet<string>,
): TemplateProblem[] {
  const { found, problems } = collectExpressions(value, field);
  for (const { field: at, expression } of found) {
    const [root, stepName] = expression.path;
    const shown = `{{${expression.source}}}`;
    if (root !== 'steps') continue;
    if (typeof stepName !== 'string') {
      problems.push({ field: at, message: `${shown} must name a step: {{steps.<step name>...}}` });
    } else if (!allSteps.has(stepName)) {
      problems.push({ field: at, message: `${shown} refers to unknown step "${stepName}"` });
    } else if (!earlierSteps.has(stepName)) {
      problems.push({ field: at, message: `${shown} refers to step "${stepName}", which does not run before this one` });
    }
  }
  return problems;
}
