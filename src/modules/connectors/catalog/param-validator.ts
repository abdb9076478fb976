import type { ErrorObject, ValidateFunction } from 'ajv';
import { ErrorDetail } from '../../../core/errors/app-exception';
import { ajvErrorPath, createAjv } from '../../../core/validation/ajv';
import { JsonSchema } from '../connector.types';
import { containsTemplate, isTemplateString, valueAt } from './template-values';

/**
 * Validates step params against an action's JSON schema, in two modes:
 *
 * - `save` (workflow create/edit, before rendering): a value that contains a `{{...}}`
 *   template is accepted wherever the schema expects any type or format, because its real
 *   value exists only at run time. Concretely, an error is ignored when the value it is about
 *   is a template string, or, for combinators (anyOf/oneOf/not/if), when anything inside that
 *   value is one. Everything else still counts: missing required fields, unknown fields,
 *   literal values of the wrong type.
 * - `run` (after rendering, in the invoker): the schema applies as written.
 *
 * Errors name the field relative to the params object (`city`, `embeds[0].title`); an error
 * about the params object as a whole has no field.
 */
export type ValidationMode = 'save' | 'run';

const COMBINATORS = new Set(['anyOf', 'oneOf', 'not', 'if']);

export class ParamValidator {
  // verbose: the messages read the failing schema (`e.schema`) to name the alternatives.
  private readonly ajv = createAjv('2020', { verbose: true });

  /** Compiles once at start; throws (naming `where`) on a broken schema. */
  compile(schema: JsonSchema, where: string): ValidateFunction {
    try {
      return this.ajv.compile(schema);
    } catch (e) {
      throw new Error(`${where}: invalid JSON schema: ${(e as Error).message}`);
    }
  }

  validate(validateFn: ValidateFunction, params: unknown, mode: ValidationMode): ErrorDetail[] {
    if (validateFn(params)) return [];
    let errors = [...(validateFn.errors ?? [])];
    if (mode === 'save') errors = errors.filter((e) => !this.aboutTemplate(e, params));
    // A failed anyOf/oneOf/not says it better than the branch errors beneath it.
    const combinators = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'not');
    errors = errors.filter((e) => !combinators.some((c) => c !== e && e.schemaPath.startsWith(`${c.schemaPath}/`)));
    errors = errors.filter((e) => e.keyword !== 'if'); // the failing "then"/"else" branch errors remain
    const details = errors.map(toDetail);
    const seen = new Set<string>();
    return details.filter((d) => {
      const key = `${d.field ?? ''}|${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  private aboutTemplate(e: ErrorObject, params: unknown): boolean {
    const value = valueAt(params, e.instancePath);
    if (isTemplateString(value)) return true;
    return COMBINATORS.has(e.keyword) && containsTemplate(value);
  }
}

/** The field relative to the params object, indexes in brackets (`embeds[0].title`); none for the object itself. */
function fieldOf(e: ErrorObject): string | undefined {
  const parts = ajvErrorPath(e);
  if (!parts.length) return undefined;
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

/** `[{ required: ['a'] }, { required: ['b'] }]` → ['a', 'b'] when every branch is a bare required. */
function requiredOnlyBranches(schema: unknown): string[] | undefined {
  if (!Array.isArray(schema)) return undefined;
  const names: string[] = [];
  for (const branch of schema) {
    const keys = branch && typeof branch === 'object' ? Object.keys(branch) : [];
    if (keys.length !== 1 || keys[0] !== 'required' || !Array.isArray(branch.required)) return undefined;
    names.push(branch.required.join(' + '));
  }
  return names;
}

function listOf(items: string[], conj: string): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${conj} ${items[items.length - 1]}`;
}

function toDetail(e: ErrorObject): ErrorDetail {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { field: fieldOf(e), message: 'is required' };
    case 'additionalProperties':
      return { field: fieldOf(e), message: 'is not allowed (unknown field)' };
    case 'enum':
      return {
        field: fieldOf(e),
        message: `must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'anyOf':
    case 'oneOf': {
      const names = requiredOnlyBranches(e.schema);
      const message = names
        ? `needs one of ${listOf(names, 'or')}`
        : `must match ${e.keyword === 'oneOf' ? 'exactly one' : 'one'} of the allowed forms`;
      return { field: fieldOf(e), message };
    }
    case 'not': {
      const schema = e.schema as { anyOf?: unknown; required?: string[] } | undefined;
      const names = requiredOnlyBranches(schema?.anyOf) ?? (schema?.required ? [schema.required.join(' + ')] : undefined);
      return { field: fieldOf(e), message: names ? `cannot combine ${listOf(names, 'or')}` : 'is not allowed in this form' };
    }
    default:
      return { field: fieldOf(e), message: e.message ?? 'is invalid' };
  }
}
