import { Type } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { ErrorDetail } from '../errors/app-exception';
import { ajvErrorDetail, createAjv, DISCRIMINATOR_TAGS } from './ajv';

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
      const detail = ajvErrorDetail(e);
      if (!byField.has(detail.field ?? '')) byField.set(detail.field ?? '', detail);
    }
    return [...byField.values()];
  }

  private validatorFor(dto: Type<unknown>): ValidateFunction | null {
    if (this.validators.has(dto)) return this.validators.get(dto)!;
    if (!this.ajv) {
      // `discriminator`: a oneOf with one (e.g. a workflow's trigger) checks only the branch its
      // tag names, so problems name that branch's fields rather than every branch's.
      this.ajv = createAjv('openapi', { discriminator: true, verbose: true });
      this.ajv.addSchema(withoutDiscriminatorMappings(this.document()) as object, 'openapi.json');
    }
    const schemas = (this.ajv.getSchema('openapi.json')?.schema as OpenAPIObject).components?.schemas ?? {};
    const validate = dto.name in schemas ? this.ajv.compile({ $ref: `openapi.json#/components/schemas/${dto.name}` }) : null;
    this.validators.set(dto, validate);
    return validate;
  }
}
/**
 * Ajv refuses a discriminator `mapping` (it maps by each branch's `enum`/`const` instead, the
 * same values here); a copy of the document without them, the tag values kept aside in
 * `x-tags` for the message when a body names none of them (see ajvErrorDetail).
 */
function withoutDiscriminatorMappings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDiscriminatorMappings);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k === 'discriminator' && v && typeof v === 'object' && 'mapping' in v) {
      const { mapping, ...rest } = v as { mapping: Record<string, string> };
      out[k] = { ...rest, [DISCRIMINATOR_TAGS]: Object.keys(mapping) };
    } else out[k] = withoutDiscriminatorMappings(v);
  }
  return out;
}
