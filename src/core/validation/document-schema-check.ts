import { Type } from '@nestjs/common';
import { ModelPropertiesAccessor } from '@nestjs/swagger/dist/services/model-properties-accessor';
import { SchemaObjectFactory } from '@nestjs/swagger/dist/services/schema-object-factory';
import { SwaggerTypesMapper } from '@nestjs/swagger/dist/services/swagger-types-mapper';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ErrorDetail } from '../errors/app-exception';
import { JSON_VALUE_COMPONENT, JSON_VALUE_SCHEMA } from '../openapi/json-schemas';

/**
 * Request bodies checked against the schema the document publishes for their DTO. The schema is
 * built by the same @nestjs/swagger factory that writes `components.schemas` of openapi.json, so
 * every type, enum, format, bound and required property the document declares is enforced, also
 * where a DTO's class-validator decorators say less (an `unknown` typed as object, a nested DTO
 * given an array, `null` for a field that is not nullable). class-validator runs first and keeps
 * its messages; this check catches what it let through.
 */
const factory = new SchemaObjectFactory(new ModelPropertiesAccessor(), new SwaggerTypesMapper());
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, discriminator: false });
addFormats(ajv);

/** Compiled once per DTO class; null when the class documents no properties (nothing to check). */
const validators = new Map<Type<unknown>, ValidateFunction | null>();

function validatorFor(dto: Type<unknown>): ValidateFunction | null {
  if (validators.has(dto)) return validators.get(dto)!;
  // The finisher adds JsonValue to the document; ApiJsonValueProperty refers to it.
  const schemas: Record<string, object> = { [JSON_VALUE_COMPONENT]: JSON_VALUE_SCHEMA };
  const name = factory.exploreModelSchema(dto, schemas as never);
  const validate = name ? ajv.compile({ components: { schemas }, allOf: [{ $ref: `#/components/schemas/${name}` }] }) : null;
  validators.set(dto, validate);
  return validate;
}

/** The document's objections to `body` as `{ field: "trigger.intervalSeconds", message }`, one per field; empty when it conforms. */
export function documentSchemaProblems(dto: Type<unknown>, body: unknown): ErrorDetail[] {
  const validate = validatorFor(dto);
  if (!validate || validate(body)) return [];
  const byField = new Map<string, ErrorDetail>();
  for (const e of validate.errors ?? []) {
    const detail = toDetail(e);
    if (!byField.has(detail.field ?? '')) byField.set(detail.field ?? '', detail);
  }
  return [...byField.values()];
}

function toDetail(e: ErrorObject): ErrorDetail {
  const path = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') path.push(String(params.missingProperty));
  if (e.keyword === 'additionalProperties') path.push(String(params.additionalProperty));
  const field = path.join('.');
  const what = field || 'the request body';
  switch (e.keyword) {
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
