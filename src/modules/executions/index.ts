/** The executions module's public surface: other modules import from here, never from its files. */
export { isUuid } from './execution-id';
export { ExecutionProducer } from './execution.producer';
export type { Enqueued } from './execution.producer';
export { ExecutionsModule } from './executions.module';
export { checkIdempotencyKey } from './idempotency-key';
export { IngestConnection } from './ingest-connection';
export { PendingRuns } from './pending-runs';
export type { QueueDepth } from './pending-runs';
