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

const nonNegative = { type: 'number', minimum: 0 };
const entity = {
  type: ['object', 'null'],
  properties: { name: { type: ['string', 'null'], maxLength: 255 }, tags: { type: ['array', 'null'], items: { type: 'string' }, maxItems: 100 } },
};

const schema = {
  type: 'object',
  required: ['request', 'response', 'started_at'],
  properties: {
    request: {
      type: 'object',
      required: ['method', 'uri'],
      properties: { method: { type: 'string', minLength: 1, maxLength: 16 }, uri: { type: 'string', maxLength: 65536 }, size: nonNegative },
    },
    response: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'integer', minimum: 0, maximum: 999 }, size: nonNegative },
    },
    latencies: { type: 'object', properties: { request: nonNegative, kong: nonNegative, proxy: { type: 'number' } } },
    // Kong sends milliseconds since the epoch; refuse seconds and absurd values.
    started_at: { type: 'number', minimum: 946684800000, maximum: 32503680000000 },
    client_ip: { type: 'string', maxLength: 64 },
    route: entity,
    service: entity,
    consumer: {
      type: ['object', 'null'],
      properties: { username: { type: ['string', 'null'], maxLength: 255 }, custom_id: { type: ['string', 'null'], maxLength: 255 } },
    },
  },
};

const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function path(index: number, e: ErrorObject): string {
  const inner = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const missing = e.keyword === 'required' ? (e.params as { missingProperty: string }).missingProperty : '';
  return `[${index}]${inner ? `.${inner}` : ''}${missing ? `.${missing}` : ''}`;
}

/** Problems with one entry, each naming the entry index and field (`[2].response.status`). */
export function checkEntry(entry: unknown, index: number): ErrorDetail[] {
  if (validate(entry)) return [];
  return (validate.errors ?? []).map((e) => {
    const field = path(index, e);
    return { field, message: e.keyword === 'required' ? `${field} is required` : `${field} ${e.message}` };
  });
}
