import { Type } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ErrorDetail } from '../errors/app-exception';

/**
 * Request bodies checked against the schema the document publishes for their DTO
 * (`components.schemas.<DTO class name>` of the document /docs-json serves and openapi.json
 * holds), so every type, enum, format, bound and required property the document declares is
 * enforced, also where a DTO's class-validator decorators say less (an `unknown` typed as
 * object, a nested DTO given an array, `null` for a field that is not nullable).
 */
export class DocumentSchemaCheck {
  private ajv?: Ajv;
  /** Compiled once per DTO class; null when the document has no schema for it (nothing to check). */
  private readonly validators = new Map<Type<unknown>, ValidateFunction | null>();

  /** `document` is called once, on the first body checked (building it takes a few hundred ms). */
  constructor(private readonly document: () => OpenAPIObject) {}

  /** The document's objections to `body` as `{ field: "trigger.intervalSeconds", message }`, one per field; empty when it conforms. */
  problems(dto: Type<unknown>, body: unknown): ErrorDetail[] {
    const validate = this.validatorFor(dto);
    if (!validate || validate(body)) return [];
    const byField = new Map<string, ErrorDetail>();
    for (const e of validate.errors ?? []) {
      const detail = toDetail(e);
      if (!byField.has(detail.field ?? '')) byField.set(detail.field ?? '', detail);
    }
    return [...byField.values()];
  }

  private validatorFor(dto: Type<unknown>): ValidateFunction | null {
    if (this.validators.has(dto)) return this.validators.get(dto)!;
    if (!this.ajv) {
      // `discriminator`: a oneOf with one (e.g. a workflow's trigger) checks only the branch its
      // tag names, so problems name that branch's fields rather than every branch's.
      this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, discriminator: true, verbose: true });
      addFormats(this.ajv);
      this.ajv.addSchema(withoutDiscriminatorMappings(this.document()) as object, 'openapi.json');
    }
    const schemas = (this.ajv.getSchema('openapi.json')?.schema as OpenAPIObject).components?.schemas ?? {};
    const validate = dto.name in schemas ? this.ajv.compile({ $ref: `openapi.json#/components/schemas/${dto.name}` }) : null;
    this.validators.set(dto, validate);
    return validate;
  }
}
/** `x-tags` on a discriminator: its tag values, kept for the message when a body names none of them. */
const TAGS = 'x-tags';

/**
 * Ajv refuses a discriminator `mapping` (it maps by each branch's `enum`/`const` instead, the
 * same values here); a copy of the document without them, the tag values kept aside.
 */
function withoutDiscriminatorMappings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDiscriminatorMappings);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k === 'discriminator' && v && typeof v === 'object' && 'mapping' in v) {
      const { mapping, ...rest } = v as { mapping: Record<string, string> };
      out[k] = { ...rest, [TAGS]: Object.keys(mapping) };
    } else out[k] = withoutDiscriminatorMappings(v);
  }
  return out;
}

function toDetail(e: ErrorObject): ErrorDetail {
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') path.push(String(params.missingProperty));
  if (e.keyword === 'additionalProperties') path.push(String(params.additionalProperty));
  if (e.keyword === 'discriminator') path.push(String(params.tag));
  const field = path.join('.');
  const what = field || 'the request body';
  switch (e.keyword) {
    case 'discriminator': {
      const tags = ((e.schema as Record<string, unknown> | undefined)?.[TAGS] as string[] | undefined) ?? [];
      return { field, message: `${what} must be one of: ${tags.map((t) => JSON.stringify(t)).join(', ')}` };
    }
    case 'required':
      return { field, message: `${what} is required` };
    case 'additionalProperties':
      return { field, message: `property ${what} should not exist` };
    case 'enum':
      return { field, message: `${what} must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
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
