/**
 * Salesforce REST API (an org's instance URL), as the `salesforce` connector uses it:
 *   POST  /services/data/vNN.N/sobjects/{Object}/        → 201 { id, success: true, errors: [] }
 *   PATCH /services/data/vNN.N/sobjects/{Object}/{id}    → 204
 *   GET   /services/data/vNN.N/query?q=SOQL              → { totalSize, done, records }
 *   GET   /services/data/vNN.N/limits
 * Bearer auth. Errors are arrays `[{ message, errorCode, fields? }]`: INVALID_SESSION_ID (401),
 * NOT_FOUND (404), REQUIRED_FIELD_MISSING / INVALID_FIELD / MALFORMED_QUERY (400); the
 * exported replies give UNABLE_TO_LOCK_ROW, REQUEST_LIMIT_EXCEEDED and SERVER_UNAVAILABLE.
 * The SOQL understood is `SELECT f1, f2 FROM Obj [WHERE F = 'v'] [LIMIT n]`.
 */
import { randomBytes } from 'node:crypto';
import { bearerToken } from './auth-headers';
import { FakeReply, FakeRequest, FakeServer, startFake } from './fake-server';

export const SALESFORCE_FAKE_TOKEN = '00Dfake!AQ4AQ.salesforce-session-token';

const sfError = (status: number, errorCode: string, message: string, fields?: string[]): FakeReply => ({
  status,
  body: [{ message, errorCode, ...(fields ? { fields } : {}) }],
});

export const SALESFORCE_UNABLE_TO_LOCK_ROW = sfError(
  400,
  'UNABLE_TO_LOCK_ROW',
  'unable to obtain exclusive access to this record or 1 records: 0035g00000AbCdE',
);
export const SALESFORCE_REQUEST_LIMIT = sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
export const SALESFORCE_UNAVAILABLE = sfError(503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable');

/** Object → required fields and key prefix, like a small org's schema. */
const SCHEMA: Record<string, { prefix: string; required: string[]; fields: string[] }> = {
  Contact: { prefix: '003', required: ['LastName'], fields: ['FirstName', 'LastName', 'Email', 'Phone', 'AccountId', 'Title'] },
  Account: { prefix: '001', required: ['Name'], fields: ['Name', 'Industry', 'Website', 'Phone'] },
  Lead: { prefix: '00Q', required: ['LastName', 'Company'], fields: ['FirstName', 'LastName', 'Company', 'Email', 'Status'] },
};

export interface SalesforceFake extends FakeServer {
  records: Map<string, { type: string; fields: Record<string, unknown> }>;
  token: string;
}

export async function startSalesforceFake(token = SALESFORCE_FAKE_TOKEN): Promise<SalesforceFake> {
  const records = new Map<string, { type: string; fields: Record<string, unknown> }>();
  const guard = (req: FakeRequest): FakeReply | undefined => {
    if (bearerToken(req) !== token) return sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    if (!/^v\d{2}\.\d$/.test(req.params.version)) return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
    return undefined;
  };
  const checkFields = (type: string, fields: unknown): FakeReply | undefined => {
    if (!fields || typeof fields !== 'object' || Array.isArray(fields))
      return sfError(400, 'JSON_PARSER_ERROR', 'Cannot deserialize instance of sObject');
    const unknown = Object.keys(fields).find((f) => !SCHEMA[type].fields.includes(f));
    if (unknown) return sfError(400, 'INVALID_FIELD', `No such column '${unknown}' on sobject of type ${type}`);
    return undefined;
  };

  const fake = await startFake({
    'POST /services/data/:version/sobjects/:object/': (req) => {
      const denied = guard(req);
      if (denied) return denied;
      const type = req.params.object;
      if (!SCHEMA[type]) return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
      const bad = checkFields(type, req.body);
      if (bad) return bad;
      const fields = req.body as Record<string, unknown>;
      const missing = SCHEMA[type].required.filter((f) => fields[f] === undefined || fields[f] === '');
      if (missing.length) return sfError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
      const id = `${SCHEMA[type].prefix}${randomBytes(6).toString('hex').toUpperCase().slice(0, 12)}AAA`;
      records.set(id, { type, fields: { ...fields } });
      return { status: 201, body: { id, success: true, errors: [] } };
    },
    'PATCH /services/data/:version/sobjects/:object/:id': (req) => {
      const denied = guard(req);
      if (denied) return denied;
      const type = req.params.object;
      const record = records.get(req.params.id);
      if (!SCHEMA[type] || !record || record.type !== type) return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
      const bad = checkFields(type, req.body);
      if (bad) return bad;
      Object.assign(record.fields, req.body);
      return { status: 204 };
    },
    'GET /services/data/:version/query': (req) => {
      const denied = guard(req);
      if (denied) return denied;
      const m = /^\s*SELECT\s+([\w\s,]+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(\w+)\s*=\s*'([^']*)')?(?:\s+LIMIT\s+(\d+))?\s*$/i.exec(
        req.query.q ?? '',
      );
      if (!m) return sfError(400, 'MALFORMED_QUERY', `unexpected token: '${(req.query.q ?? '').split(/\s+/)[0] || 'EOF'}'`);
      const [, list, type, whereField, whereValue, limit] = m;
      if (!SCHEMA[type]) return sfError(400, 'INVALID_TYPE', `sObject type '${type}' is not supported.`);
      const wanted = list.split(',').map((f) => f.trim());
      const bad = wanted.find((f) => f !== 'Id' && !SCHEMA[type].fields.includes(f));
      if (bad) return sfError(400, 'INVALID_FIELD', `No such column '${bad}' on entity '${type}'.`);
      let rows = [...records.entries()].filter(
        ([id, r]) => r.type === type && (!whereField || String(whereField === 'Id' ? id : (r.fields[whereField] ?? '')) === whereValue),
      );
      if (limit) rows = rows.slice(0, Number(limit));
      const out = rows.map(([id, r]) => ({
        attributes: { type, url: `/services/data/${req.params.version}/sobjects/${type}/${id}` },
        ...Object.fromEntries(wanted.map((f) => [f, f === 'Id' ? id : (r.fields[f] ?? null)])),
      }));
      return { body: { totalSize: out.length, done: true, records: out } };
    },
    'GET /services/data/:version/limits': (req) => guard(req) ?? { body: { DailyApiRequests: { Max: 15000, Remaining: 14999 } } },
  });
  return Object.assign(fake, { records, token });
}
