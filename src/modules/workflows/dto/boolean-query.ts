import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

/**
 * An optional boolean query parameter: exactly `true` or `false`. Anything else (`1`, `yes`,
 * `TRUE`, an empty value, the parameter twice) stays as sent and fails IsBoolean, a 400 naming it.
 */
export function BooleanQuery(opts: { description: string }) {
  return applyDecorators(
    ApiPropertyOptional({ type: 'boolean', description: opts.description }),
    IsOptional(),
    Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsBoolean({ message: '$property must be true or false' }),
  );
}
