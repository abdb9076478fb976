import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptions, getSchemaPath } from '@nestjs/swagger';

/**
 * Free-form JSON, documented so generated clients get a usable type. A bare `type: object`
 * becomes an empty record in openapi-typescript (nothing can be sent or read through it), so:
 * objects say `additionalProperties: true` (`{ [key: string]: unknown }`), maps of counts say
 * their value type, and "any JSON value" is the `JsonValue` component (a union of the six JSON
 * types, null spelled so strict OpenAPI 3.0 validators accept it).
 */
export const JSON_NULL_SCHEMA = { type: 'object', nullable: true, enum: [null] } as const;

export const JSON_OBJECT_SCHEMA = { type: 'object', additionalProperties: true } as const;

export const JSON_VALUE_COMPONENT = 'JsonValue';
export const JSON_VALUE_REF = `#/components/schemas/${JSON_VALUE_COMPONENT}`;

/** The `JsonValue` component, added to every document by `finishDocument`. */
export const JSON_VALUE_SCHEMA = {
  description: 'Any JSON value: object, array, string, number, boolean or null',
  anyOf: [JSON_OBJECT_SCHEMA, { type: 'array', items: {} }, { type: 'string' }, { type: 'number', format: 'double' }, { type: 'boolean' }, JSON_NULL_SCHEMA],
};

type Opts = Omit<ApiPropertyOptions, 'type' | 'additionalProperties' | 'allOf' | 'anyOf' | 'oneOf'>;

/** A JSON object with any keys (payloads, inputs, rendered params). */
export const ApiJsonObjectProperty = (opts: Opts = {}) => ApiProperty({ ...JSON_OBJECT_SCHEMA, ...opts } as ApiPropertyOptions);

/** Any JSON value, null included (step outputs, stored values). */
export const ApiJsonValueProperty = (opts: Opts = {}) => ApiProperty({ allOf: [{ $ref: JSON_VALUE_REF }], ...opts } as ApiPropertyOptions);

/** A map of name to integer count (`byStatus`, sync `counts`). */
export const ApiCountsProperty = (opts: Opts = {}) =>
  ApiProperty({ type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, ...opts } as ApiPropertyOptions);

/**
 * A reference that may be null. `nullable` beside `allOf` is ignored by strict 3.0 validators
 * (nullable needs a `type` in the same schema), so null is its own branch of an `anyOf`.
 */
export const ApiNullableRefProperty = (model: Type<unknown>, opts: Opts = {}) =>
  applyDecorators(ApiExtraModels(model), ApiProperty({ anyOf: [{ $ref: getSchemaPath(model) }, JSON_NULL_SCHEMA], ...opts } as ApiPropertyOptions));

/** An RFC 3339 timestamp (`2026-11-27T17:00:00.000Z`). */
export const ApiDateTimeProperty = (opts: Opts & { nullable?: boolean } = {}) =>
  ApiProperty({ type: 'string', format: 'date-time', example: '2026-11-27T17:00:00.000Z', ...opts } as ApiPropertyOptions);
