import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's own loggers print the SQL text with its bound values (`query failed: INSERT …
 * -- PARAMETERS: [...]`) as console text, and some kinds (slow queries, migrations) whatever
 * `logging` says. Flowgate gives it this one instead, which writes nothing: a failed query
 * surfaces as a QueryFailedError where it is handled, and is logged there through the log
 * error serializer (SQLSTATE kept; no SQL, no bound value). Migrations report through
 * migrate.ts's own start-up log.
 */
export class TypeOrmLogSink implements TypeOrmLogger {
  logQuery(): void {}
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
