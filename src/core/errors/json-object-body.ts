import { Body, PipeTransform } from '@nestjs/common';
import { AppException } from './app-exception';

/**
 * Throws the 400 VALIDATION_FAILED for a body that is present but not a JSON object. A missing
 * body (or an empty one sent with a content type, which Fastify's text parser reads as '') is
 * left to the caller: its required fields are then named one by one.
 */
export function assertJsonObjectBody(value: unknown): void {
  if (value === undefined || value === '' || (typeof value === 'object' && value !== null && !Array.isArray(value))) return;
  const what = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
  throw AppException.validation([{ message: `the request body must be a JSON object, not ${what}` }]);
}

class JsonObjectBodyPipe implements PipeTransform {
  transform(value: unknown): unknown {
    assertJsonObjectBody(value);
    return value;
  }
}

/**
 * `@JsonObjectBody()`: a free-form body documented as `type: object` (no DTO to validate) is
 * still refused when it is an array, a string, a number or null, before the handler runs.
 */
export const JsonObjectBody = () => Body(new JsonObjectBodyPipe());
