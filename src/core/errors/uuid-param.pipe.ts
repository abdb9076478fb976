import { Param, ParseUUIDPipe } from '@nestjs/common';
import { AppException } from './app-exception';

/** `@UuidParam('id')`: a malformed id is a 400 naming the parameter, not a database error. */
export const UuidParam = (name = 'id') =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () => AppException.validation([{ field: name, message: `${name} must be a UUID` }]),
    }),
  );
