import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsDate, IsInt, IsOptional, Max, Min } from 'class-validator';

/**
 * Numbers and dates in query strings, checked in one place. `Number()` and `new Date()` accept
 * far more than a client should send (`1e308`, `0x10`, `+5`, ` 7 `, `+275760-09-13`, Feb 30th),
 * and values that JavaScript accepts can still overflow PostgreSQL, which answered 500.
 */

/** Plain decimal digits: no sign, exponent, fraction, hex, spaces or leading zeros. */
const DIGITS = /^(0|[1-9][0-9]{0,14})$/;

/** The largest page number any list accepts (with 100 per page, the first million rows). */
export const MAX_PAGE = 10_000;

/** An optional integer query parameter within [min, max]; anything else is a 400 naming it. */
export function IntQuery(opts: { min: number; max: number; default?: number; description?: string }) {
  const message = `$property must be a whole number from ${opts.min} to ${opts.max} (digits only)`;
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: opts.min, maximum: opts.max, default: opts.default, description: opts.description }),
    IsOptional(),
    // Only plain digits become a number; anything else stays a string and fails IsInt.
    Transform(({ value }) => (typeof value === 'string' && DIGITS.test(value) ? Number(value) : value)),
    IsInt({ message }),
    Min(opts.min, { message }),
    Max(opts.max, { message }),
  );
}

/** Dates every store and runtime here can hold (PostgreSQL timestamptz and JS Date both go wider). */
const MIN_DATE_MS = new Date('0001-01-01T00:00:00Z').getTime();
const MAX_DATE_MS = new Date('9999-12-31T23:59:59.999Z').getTime();

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/i;

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (year: number, month: number) => (month === 2 ? (isLeap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31);

/**
 * An ISO 8601 date or date-time (`2026-01-31`, `2026-01-31T10:00:00Z`, `…+02:00`; without a
 * zone it is UTC) between 0001-01-01 and 9999-12-31 UTC, every component in range; else null.
 */
export function parseApiDate(value: unknown): Date | null {
  if (typeof value !== 'string' || value.length > 40) return null;
  const m = ISO_DATE.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((p) => (p === undefined ? 0 : Number(p)));
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (m[8] && m[8].toUpperCase() !== 'Z') {
    const [oh, om] = [Number(m[9]), Number(m[10])];
    if (oh > 14 || om > 59) return null;
    offsetMinutes = (m[8].startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // setUTCFullYear keeps years below 100 as they are
  d.setUTCHours(hour, minute, second, millis);
  const ms = d.getTime() - offsetMinutes * 60_000;
  if (!Number.isFinite(ms) || ms < MIN_DATE_MS || ms > MAX_DATE_MS) return null;
  return new Date(ms);
}

/** An optional ISO 8601 date query parameter (see parseApiDate); anything else is a 400 naming it. */
export function DateQuery(opts: { description: string; example?: string }) {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'string',
      format: 'date-time',
      description: `${opts.description}; ISO 8601, 0001-01-01 to 9999-12-31 (UTC when no zone is given)`,
      example: opts.example,
    }),
    IsOptional(),
    Transform(({ value }) => parseApiDate(value) ?? value),
    IsDate({ message: '$property must be an ISO 8601 date between 0001-01-01 and 9999-12-31, e.g. 2026-01-31T10:00:00Z' }),
  );
}

/**
 * An optional boolean query parameter: exactly `true` or `false`. Anything else (`1`, `yes`,
 * `TRUE`, an empty value, the parameter twice) stays as sent and fails IsBoolean, a 400 naming it.
 */
export function BooleanQuery(opts: { description: string; default?: boolean }) {
  return applyDecorators(
    ApiPropertyOptional({ type: 'boolean', default: opts.default, description: opts.description }),
    IsOptional(),
    Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsBoolean({ message: '$property must be true or false' }),
  );
}
