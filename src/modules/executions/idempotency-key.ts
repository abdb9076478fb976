import { AppException } from '../../core/errors/app-exception';

/** `Idempotency-Key`: printable, at most 255 characters; absent or empty means none. */
export function checkIdempotencyKey(value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) value = value[0];
  if (value === undefined || value === '') return undefined;
  if (value.length > 255 || !/^[\x21-\x7e]+$/.test(value)) {
    throw AppException.validation([{ field: 'Idempotency-Key', message: 'must be 1 to 255 printable characters without spaces' }]);
  }
  return value;
}
