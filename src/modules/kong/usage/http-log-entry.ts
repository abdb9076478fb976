import { ErrorObject } from 'ajv';
import { z } from 'zod';
import { ErrorDetail } from '../../../core/errors/app-exception';
import { createAjv } from '../../../core/validation/ajv';

/**
 * Byte counts come from nginx variables (integers). Latencies and `started_at` are computed by
 * Kong with float arithmetic (`request_time * 1000`), so they are doubles, not integers.
 */
const bytes = z.number().int().min(0).meta({ description: 'bytes' });
const millis = z.number().min(0).meta({ format: 'double', description: 'milliseconds' });
const entity = (what: string) =>
  z
    .object({
      name: z.string().max(255).nullable().optional(),
      tags: z.array(z.string()).max(100).nullable().optional(),
    })
    .nullable()
    .optional()
    .meta({
      description: `The ${what} that handled the request; Flowgate reads its tags (tenant:<id>, deployment:<id>) to find the tenant`,
    });

/**
 * The fields Flowgate reads from a Kong http-log entry (Kong's log serializer), defined once:
 * the TypeScript type, the OpenAPI request body and the batch check all come from it. Every
 * other key Kong sends (headers, querystring, tries...) is allowed, ignored and never stored:
 * request headers and query strings can carry API keys.
 */
const httpLogEntry = z
  .looseObject({
    request: z.object({ method: z.string().min(1).max(16), uri: z.string().max(65536), size: bytes.optional() }),
    response: z.object({ status: z.number().int().min(0).max(999), size: bytes.optional() }),
    latencies: z
      .object({
        request: millis.optional(),
        kong: millis.optional(),
        proxy: z.number().meta({ format: 'double', description: 'milliseconds; -1 when no upstream answered' }).optional(),
      })
      .optional(),
    // Kong sends milliseconds since the epoch; refuse seconds and absurd values.
    started_at: z
      .number()
      .min(946684800000)
      .max(32503680000000)
      .meta({ format: 'double', description: 'milliseconds since the Unix epoch' }),
    client_ip: z.string().max(64).optional(),
    route: entity('Kong route'),
    service: entity('Kong service'),
    consumer: z
      .object({
        username: z.string().max(255).nullable().optional(),
        custom_id: z.string().max(255).nullable().optional(),
      })
      .nullable()
      .optional(),
  })
  .meta({
    description:
      "One entry of Kong's http-log plugin (its log serializer). Only these fields are read; the rest (headers, query strings...) is " +
      'ignored and never stored',
    example: {
      request: { method: 'POST', uri: '/workflows/0b7e9c3a-5d1f-4e2a-9c8b-1f2e3d4c5b6a/metered', size: 312 },
      response: { status: 202, size: 97 },
      latencies: { request: 18, kong: 2, proxy: 16 },
      started_at: 1767225600000,
      client_ip: '203.0.113.7',
      route: {
        name: 'flowgate-metered-5f0c2a9e-8d3b-4c1a-9e7f-2b6d4a8c0e1f',
        tags: ['flowgate', 'deployment:5f0c2a9e-8d3b-4c1a-9e7f-2b6d4a8c0e1f'],
      },
    },
  });

export type HttpLogEntry = z.output<typeof httpLogEntry>;

/** One entry as OpenAPI 3.0: it documents the request body and checks the batch, so the two cannot disagree. */
export const HTTP_LOG_ENTRY_SCHEMA: Record<string, unknown> = z.toJSONSchema(httpLogEntry, { io: 'input', target: 'openapi-3.0' });

const validate = createAjv('openapi').compile<HttpLogEntry>(HTTP_LOG_ENTRY_SCHEMA);

function path(index: number, e: ErrorObject): string {
  const inner = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const missing = e.keyword === 'required' ? (e.params as { missingProperty: string }).missingProperty : '';
  return `${index}${inner ? `.${inner}` : ''}${missing ? `.${missing}` : ''}`;
}

/** Problems with one entry, each naming the entry index and field (`[2].response.status`). */
export function checkEntry(entry: unknown, index: number): ErrorDetail[] {
  if (validate(entry)) return [];
  return (validate.errors ?? []).map((e) => {
    const field = path(index, e);
    return { field, message: e.keyword === 'required' ? `${field} is required` : `${field} ${e.message}` };
  });
}

/** The entries as typed values, once every one passed checkEntry. */
export function isHttpLogEntry(entry: unknown): entry is HttpLogEntry {
  return validate(entry);
}
