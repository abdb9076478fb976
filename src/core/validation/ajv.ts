import Ajv, { ErrorObject, Options } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ErrorDetail } from '../errors/app-exception';

/**
 * The one way Flowgate builds a JSON Schema validator. `openapi` reads the OpenAPI 3.0 dialect
 * (draft-04-like, `nullable`, the `double`/`float` documentation formats); `2020` is for
 * connector parameter schemas written in JSON Schema 2020-12. Formats (date-time, uri, email, …)
 * are always checked; `strict` is off because schemas carry OpenAPI keywords (example, …).
 */
export function createAjv(dialect: 'openapi' | '2020' = 'openapi', options: Options = {}): Ajv {
  const base: Options = { allErrors: true, strict: false, validateFormats: true, ...options };
  const ajv = dialect === '2020' ? new Ajv2020(base) : new Ajv(base);
  addFormats(ajv);
  ajv.addFormat('double', true);
  ajv.addFormat('float', true);
  ajv.addFormat('int32', true);
  ajv.addFormat('int64', true);
  return ajv;
}

/**
 * The segments an Ajv error points at: property names and array indexes (unescaped), then the
 * missing or unknown property for `required` / `additionalProperties`.
 */
export function ajvErrorPath(e: ErrorObject): string[] {
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') path.push(String(params.missingProperty));
  if (e.keyword === 'additionalProperties') path.push(String(params.additionalProperty));
  if (e.keyword === 'discriminator') path.push(String(params.tag));
  return path;
}

/** Where a document keeps a discriminator's tag values once its `mapping` is removed (Ajv refuses mappings). */
export const DISCRIMINATOR_TAGS = 'x-tags';

/** The dotted field path an Ajv error points at (`steps.0.params.url`), with `prefix` in front. */
export function ajvErrorField(e: ErrorObject, prefix = ''): string {
  return [prefix, ...ajvErrorPath(e)].filter(Boolean).join('.');
}

/** Ajv errors as the API's error details: one per problem, each naming its field. */
export function ajvErrorDetails(errors: ErrorObject[] | null | undefined, prefix = ''): ErrorDetail[] {
  return (errors ?? []).map((e) => ajvErrorDetail(e, prefix));
}

export function ajvErrorDetail(e: ErrorObject, prefix = ''): ErrorDetail {
  const field = ajvErrorField(e, prefix);
  const params = e.params as Record<string, unknown>;
  const what = field || 'the request body';
  switch (e.keyword) {
    case 'discriminator': {
      const tags = ((e.schema as Record<string, unknown> | undefined)?.[DISCRIMINATOR_TAGS] as string[] | undefined) ?? [];
      return { field, message: `${what} must be one of: ${tags.map((t) => JSON.stringify(t)).join(', ')}` };
    }
    case 'required':
      return { field, message: `${what} is required` };
    case 'additionalProperties':
      return { field, message: `property ${what} should not exist` };
    case 'enum':
      return { field, message: `${what} must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'const':
      return { field, message: `${what} must be ${JSON.stringify(params.allowedValue)}` };
    case 'type':
      return { field, message: `${what} must be ${article(String(params.type))}` };
    default:
      return { field, message: `${what} ${e.message ?? 'is not valid'}` };
  }
}

const article = (types: string) =>
  types
    .split(',')
    .map((t) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`))
    .join(' or ');
