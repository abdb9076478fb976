import Ajv, { ErrorObject } from 'ajv';
import { ErrorDetail } from '../../../core/errors/app-exception';

/**
 * The fields Flowgate reads from a Kong http-log entry (Kong's log serializer). Everything
 * else Kong sends (headers, querystring, tries...) is ignored and never stored: request
 * headers and query strings can carry API keys.
 */
export interface HttpLogEntry {
  request: { method: string; uri: string; size?: number };
  response: { status: number; size?: number };
  latencies?: { request?: number; kong?: number; proxy?: number };
  started_at: number;
  client_ip?: string;
  route?: { name?: string | null; tags?: string[] | null } | null;
  service?: { name?: string | null; tags?: string[] | null } | null;
  consumer?: { username?: string | null; custom_id?: string | null; id?: string } | null;
}

/**
 * Byte counts come from nginx variables (integers). Latencies and `started_at` are computed by
 * Kong with float arithmetic (`request_time * 1000`), so they are doubles, not integers.
 */
const bytes = { type: 'integer', minimum: 0, description: 'bytes' };
const millis = { type: 'number', format: 'double', minimum: 0, description: 'milliseconds' };
const entity = (what: string) => ({
  type: 'object',
  nullable: true,
  description: `The ${what} that handled the request; Flowgate reads its tags (tenant:<id>, deployment:<id>) to find the tenant`,
  properties: {
    name: { type: 'string', nullable: true, maxLength: 255 },
    tags: { type: 'array', nullable: true, items: { type: 'string' }, maxItems: 100 },
  },
});

/**
 * One entry, as OpenAPI 3.0 (Ajv reads `nullable` too): the same schema checks the batch and
 * documents the request body, so the two cannot disagree. Other keys Kong sends are allowed and ignored.
 */
export const HTTP_LOG_ENTRY_SCHEMA = {
  type: 'object',
  description:
    "One entry of Kong's http-log plugin (its log serializer). Only these fields are read; the rest (headers, query strings...) is " +
    'ignored and never stored',
  required: ['request', 'response', 'started_at'],
  additionalProperties: true,
  properties: {
    request: {
      type: 'object',
      required: ['method', 'uri'],
      properties: { method: { type: 'string', minLength: 1, maxLength: 16 }, uri: { type: 'string', maxLength: 65536 }, size: bytes },
    },
    response: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'integer', minimum: 0, maximum: 999 }, size: bytes },
    },
    latencies: {
      type: 'object',
      properties: {
        request: millis,
        kong: millis,
        proxy: { type: 'number', format: 'double', description: 'milliseconds; -1 when no upstream answered' },
      },
    },
    // Kong sends milliseconds since the epoch; refuse seconds and absurd values.
    started_at: {
      type: 'number',
      format: 'double',
      minimum: 946684800000,
      maximum: 32503680000000,
      description: 'milliseconds since the Unix epoch',
    },
    client_ip: { type: 'string', maxLength: 64 },
    route: entity('Kong route'),
    service: entity('Kong service'),
    consumer: {
      type: 'object',
      nullable: true,
      properties: {
        username: { type: 'string', nullable: true, maxLength: 255 },
        custom_id: { type: 'string', nullable: true, maxLength: 255 },
      },
    },
  },
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
};

// `double` is a documentation format (any number); Ajv only needs to know it exists.
const validate = new Ajv({ allErrors: true, strict: false, formats: { double: true } }).compile(HTTP_LOG_ENTRY_SCHEMA);

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
