import { Param, PipeTransform } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { isUuid } from '../validation/uuid';
import { AppException } from './app-exception';

/** The pipe behind `@UuidParam`, its own class so the document can find the parameters it checks. */
class UuidParamPipe implements PipeTransform<unknown, string> {
  constructor(private readonly name: string) {}

  transform(value: unknown): string {
    if (!isUuid(value)) throw AppException.validation([{ field: this.name, message: `${this.name} must be a UUID` }]);
    return value;
  }
}

/** `@UuidParam('id')`: a malformed id is a 400 naming the parameter, not a database error. */
export const UuidParam = (name = 'id') => Param(name, new UuidParamPipe(name));

/**
 * The path parameters of a handler that `@UuidParam` checks, so the document can say
 * `format: uuid` for them (finishDocument) and clients learn that "nope" is a 400, not a 404.
 */
export function uuidPathParams(controller: object, method: string): string[] {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
    string,
    { data?: unknown; pipes?: unknown[] }
  >;
  return Object.values(args)
    .filter((a) => typeof a.data === 'string' && (a.pipes ?? []).some((p) => p instanceof UuidParamPipe))
    .map((a) => a.data as string);
}
