import type { ConsumeMessage } from 'amqplib';
import { createHash } from 'node:crypto';

/**
 * The run input of a message: the body parsed as JSON when it is JSON (whatever the
 * content type says: publishers often leave it unset), else the body as UTF-8 text.
 */
export function messagePayload(msg: Pick<ConsumeMessage, 'content'>): unknown {
  const text = msg.content.toString('utf8');
  const trimmed = text.trim();
  if (trimmed && /^[[{"0-9tfn-]/.test(trimmed)) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      // not JSON after all: the text is the payload
    }
  }
  return text;
}

/**
 * The idempotency key of a delivery, stable across redeliveries of the same message: its
 * `messageId` when the publisher set one, else a hash of what a redelivery keeps unchanged
 * (body, the publisher's properties and headers, the exchange and routing key it came by).
 * Two identical messages without a messageId therefore count as one within the dedupe window:
 * publishers that may send identical messages set messageId.
 */
export function deliveryKey(workflowId: string, msg: Pick<ConsumeMessage, 'content' | 'fields' | 'properties'>): string {
  const id = msg.properties.messageId as unknown;
  if (typeof id === 'string' && id !== '') return `amqp:id:${id}`;
  const p = msg.properties;
  const stable = JSON.stringify([
    workflowId,
    msg.fields.exchange,
    msg.fields.routingKey,
    p.contentType ?? null,
    p.contentEncoding ?? null,
    p.correlationId ?? null,
    p.timestamp ?? null,
    p.type ?? null,
    p.appId ?? null,
    p.userId ?? null,
    sortedHeaders(p.headers),
  ]);
  const hash = createHash('sha256').update(stable).update('\n').update(msg.content).digest('hex');
  return `amqp:sha256:${hash}`;
}

/** Headers in a fixed key order; `x-delivery-count` and `x-death` change on redelivery and are left out. */
function sortedHeaders(headers: Record<string, unknown> | undefined): Array<[string, unknown]> {
  if (!headers) return [];
  return Object.keys(headers)
    .filter((k) => k !== 'x-delivery-count' && k !== 'x-death')
    .sort()
    .map((k) => [k, stringifiable(headers[k])]);
}

function stringifiable(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (typeof v === 'bigint') return v.toString();
  return v;
}
