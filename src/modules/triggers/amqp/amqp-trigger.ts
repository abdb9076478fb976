import type { ErrorDetail } from '../../../core/errors/app-exception';
import { isUuid } from '../../../core/validation/uuid';
import type { StoredTrigger, TriggerDefinition } from '../../workflows';

export const AMQP_TRIGGER_TYPE = 'amqp';
export const DEFAULT_PREFETCH = 10;
export const MAX_PREFETCH = 100;
/** AMQP 0-9-1 names (queue, exchange, routing key) are short strings: at most 255 bytes. */
const MAX_NAME_BYTES = 255;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** A workflow started by each message of a RabbitMQ queue, as stored in `workflows.trigger`. */
export interface AmqpTrigger extends StoredTrigger {
  type: typeof AMQP_TRIGGER_TYPE;
  /** An `amqp` credential of the workflow's tenant: the broker's URL. */
  credentialId: string;
  queue: string;
  /** Unacknowledged messages one consumer holds at most (channel prefetch). */
  prefetch: number;
  /** When set, the queue is bound to this exchange at start (with `routingKey`, default ""). */
  exchange?: string;
  routingKey?: string;
}

const name = (description: string) => ({ type: 'string', minLength: 1, maxLength: MAX_NAME_BYTES, description });

/** The trigger's JSON Schema (OpenAPI and request validation). */
export const AMQP_TRIGGER_SCHEMA: Record<string, unknown> = {
  type: 'object',
  title: 'AmqpTrigger',
  description: 'Each message of a RabbitMQ (AMQP 0-9-1) queue starts a run; its body (JSON, else text) is the run input.',
  required: ['type', 'credentialId', 'queue'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', const: AMQP_TRIGGER_TYPE },
    credentialId: {
      type: 'string',
      format: 'uuid',
      description: 'A credential of kind `amqp` (connectorKey `amqp`) holding the broker URL',
    },
    queue: name('The queue to consume; it must exist (or be bound below) before messages can arrive'),
    prefetch: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_PREFETCH,
      default: DEFAULT_PREFETCH,
      description: 'Unacknowledged messages each worker holds at most',
    },
    exchange: name('Optional: bind the queue to this existing exchange when consuming starts'),
    routingKey: { type: 'string', maxLength: MAX_NAME_BYTES, description: 'Binding key for `exchange` (default "")' },
  },
  example: { type: AMQP_TRIGGER_TYPE, credentialId: '3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b', queue: 'orders', prefetch: 10 },
};

function checkName(value: unknown, field: string, problems: ErrorDetail[], required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value.length === 0) {
    problems.push({ field, message: 'must be a non-empty string' });
    return undefined;
  }
  if (Buffer.byteLength(value) > MAX_NAME_BYTES) problems.push({ field, message: `must be at most ${MAX_NAME_BYTES} bytes` });
  else if (CONTROL_CHARS.test(value)) problems.push({ field, message: 'must not contain control characters' });
  // Names the broker reserves for itself: consuming or binding them is never what is meant.
  else if (value.startsWith('amq.') && field.endsWith('.queue')) problems.push({ field, message: 'must not start with "amq." (reserved)' });
  else return value;
  return undefined;
}

/**
 * The trigger's own fields, checked and defaulted (prefetch); the credential is checked by the
 * handler. Problems name `<prefix>.<field>`. Returns null when there are any.
 */
export function checkAmqpTriggerFields(input: StoredTrigger, prefix: string, problems: ErrorDetail[]): AmqpTrigger | null {
  const before = problems.length;
  const known = new Set(['type', 'credentialId', 'queue', 'prefetch', 'exchange', 'routingKey']);
  for (const key of Object.keys(input))
    if (!known.has(key)) problems.push({ field: `${prefix}.${key}`, message: 'is not a field of the amqp trigger' });

  const credentialId = input.credentialId;
  if (typeof credentialId !== 'string' || !isUuid(credentialId))
    problems.push({ field: `${prefix}.credentialId`, message: 'must be the UUID of an amqp credential' });
  const queue = checkName(input.queue, `${prefix}.queue`, problems, true);
  const exchange = checkName(input.exchange, `${prefix}.exchange`, problems, false);

  let routingKey: string | undefined;
  if (input.routingKey !== undefined) {
    if (typeof input.routingKey !== 'string') problems.push({ field: `${prefix}.routingKey`, message: 'must be a string' });
    else if (Buffer.byteLength(input.routingKey) > MAX_NAME_BYTES)
      problems.push({ field: `${prefix}.routingKey`, message: `must be at most ${MAX_NAME_BYTES} bytes` });
    else if (input.exchange === undefined)
      problems.push({ field: `${prefix}.routingKey`, message: 'needs exchange (the key binds the queue to it)' });
    else routingKey = input.routingKey;
  }

  const prefetch = input.prefetch ?? DEFAULT_PREFETCH;
  if (typeof prefetch !== 'number' || !Number.isInteger(prefetch) || prefetch < 1 || prefetch > MAX_PREFETCH)
    problems.push({ field: `${prefix}.prefetch`, message: `must be an integer from 1 to ${MAX_PREFETCH}` });

  if (problems.length > before) return null;
  return {
    type: AMQP_TRIGGER_TYPE,
    credentialId: (credentialId as string).toLowerCase(),
    queue: queue!,
    prefetch: prefetch as number,
    ...(exchange !== undefined ? { exchange, routingKey: routingKey ?? '' } : {}),
  };
}

/** The trigger's documentation (OpenAPI branch) and the handler's type, description and schema. */
export const AMQP_TRIGGER: TriggerDefinition = {
  type: AMQP_TRIGGER_TYPE,
  description: 'Each message of a RabbitMQ (AMQP 0-9-1) queue starts a run with the message body as input',
  schema: AMQP_TRIGGER_SCHEMA,
};
