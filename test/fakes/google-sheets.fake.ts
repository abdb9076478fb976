/**
 * Google Sheets API v4 and Google's OAuth 2.0 token endpoint, one fake server, as the
 * `google_sheets` connector and the `google_service_account` credential kind use them:
 *   POST /token   form grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<RS256 JWT>
 *                 → { access_token, expires_in, token_type: 'Bearer' }; errors { error, error_description }
 *   GET  /v4/spreadsheets/{id}/values/{range}?majorDimension&valueRenderOption → { range, majorDimension, values? }
 *   POST /v4/spreadsheets/{id}/values/{range}:append?valueInputOption&insertDataOption
 *                 body { values } → { spreadsheetId, tableRange?, updates: { spreadsheetId, updatedRange, updatedRows, updatedColumns, updatedCells } }
 *   PUT  /v4/spreadsheets/{id}/values/{range}?valueInputOption body { values } → { spreadsheetId, updatedRange, updatedRows, updatedColumns, updatedCells }
 * The assertion is checked like Google does: RS256 signature against the service account's
 * public key, iss (a known client_email), aud (this token URL), scope, iat/exp. Sheets calls need
 * `Authorization: Bearer <a token this fake issued>`; errors are Google's
 * `{ error: { code, message, status, details } }` (UNAUTHENTICATED, PERMISSION_DENIED when the
 * spreadsheet is not shared with the caller, NOT_FOUND, INVALID_ARGUMENT "Unable to parse range").
 * Spreadsheets live in memory: append extends the table, update overwrites, read returns.
 */
import { createPublicKey, KeyObject, randomBytes, verify } from 'node:crypto';
import { bearerToken } from './auth-headers';
import { FakeReply, FakeRequest, FakeServer, startFake } from './fake-server';

export const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export const googleError = (code: number, status: string, message: string, details: unknown[] = []): FakeReply => ({
  status: code,
  body: { error: { code, message, status, ...(details.length ? { details } : {}) } },
});

/** Replies a test can queue with failNext (Google's real bodies). */
export const SHEETS_RATE_LIMITED: FakeReply = {
  ...googleError(
    429,
    'RESOURCE_EXHAUSTED',
    "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user'",
    [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'RATE_LIMIT_EXCEEDED', domain: 'googleapis.com' }],
  ),
  headers: { 'retry-after': '17' },
};
export const SHEETS_QUOTA_403: FakeReply = {
  status: 403,
  body: {
    error: {
      code: 403,
      message: 'User Rate Limit Exceeded',
      status: 'PERMISSION_DENIED',
      errors: [{ message: 'User Rate Limit Exceeded', domain: 'usageLimits', reason: 'rateLimitExceeded' }],
    },
  },
};
export const SHEETS_INTERNAL = googleError(500, 'INTERNAL', 'Internal error encountered.');
export const SHEETS_UNAVAILABLE = googleError(503, 'UNAVAILABLE', 'The service is currently unavailable.');

export interface FakeServiceAccount {
  clientEmail: string;
  publicKey: KeyObject;
}

interface Spreadsheet {
  sheets: Map<string, Array<Array<string | number | boolean | null>>>;
  /** Client e-mails (or Nango tokens' owners) it is shared with; undefined: everyone. */
  sharedWith?: Set<string>;
}

export interface GoogleSheetsFake extends FakeServer {
  tokenUrl: string;
  /** Tokens issued, by token, with the account they were issued to. */
  issued: Map<string, string>;
  spreadsheets: Map<string, Spreadsheet>;
  addServiceAccount(clientEmail: string, publicKeyPem: string): void;
  /** A static token (what a Nango connection hands out) that acts as `owner`. */
  addToken(token: string, owner: string): void;
  addSpreadsheet(id: string, sheets: Record<string, Array<Array<string | number | boolean | null>>>, sharedWith?: string[]): void;
  tokenRequests(): FakeRequest[];
  sheetRequests(): FakeRequest[];
}

function b64urlJson(part: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** `A` → 0, `AB` → 27. */
function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}
function columnName(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

interface ParsedRange {
  sheet: string;
  startCol: number;
  startRow: number;
  endCol?: number;
  endRow?: number;
}

/** `Sheet1`, `Sheet1!A1:C3`, `'Sheet 1'!A:C`, `A1:B2` (first sheet); undefined when Google could not parse it either. */
function parseRange(raw: string, book: Spreadsheet): ParsedRange | undefined {
  let name: string | undefined;
  let cells: string | undefined;
  if (raw.startsWith("'")) {
    const m = /^'((?:[^']|'')+)'(?:!(.*))?$/.exec(raw);
    if (!m) return undefined;
    name = m[1].replace(/''/g, "'");
    cells = m[2];
  } else if (raw.includes('!')) {
    name = raw.slice(0, raw.lastIndexOf('!'));
    cells = raw.slice(raw.lastIndexOf('!') + 1);
  } else if (book.sheets.has(raw)) {
    name = raw;
  } else {
    cells = raw;
  }
  name ??= [...book.sheets.keys()][0];
  if (!book.sheets.has(name)) return undefined;
  if (cells === undefined) return { sheet: name, startCol: 0, startRow: 0 };
  const m = /^([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})?(\d+)?)?$/i.exec(cells);
  if (!m || (!m[1] && !m[2])) return undefined;
  const single = !cells.includes(':');
  return {
    sheet: name,
    startCol: m[1] ? columnIndex(m[1]) : 0,
    startRow: m[2] ? Number(m[2]) - 1 : 0,
    endCol: m[3] ? columnIndex(m[3]) : single && m[1] ? columnIndex(m[1]) : undefined,
    endRow: m[4] ? Number(m[4]) - 1 : single && m[2] ? Number(m[2]) - 1 : undefined,
  };
}

const quote = (name: string) => (/^[A-Za-z0-9_]+$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`);
const a1 = (sheet: string, c0: number, r0: number, c1: number, r1: number) =>
  `${quote(sheet)}!${columnName(c0)}${r0 + 1}${c0 === c1 && r0 === r1 ? '' : `:${columnName(c1)}${r1 + 1}`}`;

export async function startGoogleSheetsFake(): Promise<GoogleSheetsFake> {
  const accounts = new Map<string, KeyObject>();
  const issued = new Map<string, string>();
  const spreadsheets = new Map<string, Spreadsheet>();
  let tokenUrl = '';

  const authorize = (req: FakeRequest): { owner: string } | FakeReply => {
    const token = bearerToken(req);
    const owner = token ? issued.get(token) : undefined;
    if (!owner) {
      return googleError(
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
        [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_TYPE_UNSUPPORTED', domain: 'googleapis.com' }],
      );
    }
    return { owner };
  };

  /** The spreadsheet and parsed range, or Google's error for the request. */
  const open = (req: FakeRequest, rangeParam: string): { book: Spreadsheet; range: ParsedRange; id: string } | FakeReply => {
    const auth = authorize(req);
    if (!('owner' in auth)) return auth;
    const id = req.params.id;
    const book = spreadsheets.get(id);
    if (!book) return googleError(404, 'NOT_FOUND', 'Requested entity was not found.');
    if (book.sharedWith && !book.sharedWith.has(auth.owner))
      return googleError(403, 'PERMISSION_DENIED', 'The caller does not have permission');
    const range = parseRange(rangeParam, book);
    if (!range) return googleError(400, 'INVALID_ARGUMENT', `Unable to parse range: ${rangeParam}`);
    return { book, range, id };
  };

  const cellsOf = (req: FakeRequest): Array<Array<string | number | boolean | null>> | FakeReply => {
    const values = (req.body as { values?: unknown } | undefined)?.values;
    if (!Array.isArray(values) || !values.every((r) => Array.isArray(r))) {
      return googleError(
        400,
        'INVALID_ARGUMENT',
        'Invalid JSON payload received. Unknown name "values": Proto field is not repeating, cannot start list.',
      );
    }
    const option = req.query.valueInputOption;
    if (option !== 'RAW' && option !== 'USER_ENTERED') {
      return googleError(400, 'INVALID_ARGUMENT', "'valueInputOption' is required but not specified");
    }
    // USER_ENTERED parses numbers as if typed; RAW keeps strings as strings.
    return (values as unknown[][]).map((row) =>
      row.map((c) => (option === 'USER_ENTERED' && typeof c === 'string' && /^-?\d+(\.\d+)?$/.test(c) ? Number(c) : (c as string))),
    );
  };

  const fake = await startFake({
    'POST /token': (req) => {
      const form = (req.body ?? {}) as Record<string, string>;
      if (form.grant_type !== JWT_BEARER)
        return {
          status: 400,
          body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: ' + (form.grant_type ?? '') },
        };
      const parts = String(form.assertion ?? '').split('.');
      const header = parts.length === 3 ? b64urlJson(parts[0]) : undefined;
      const claims = parts.length === 3 ? b64urlJson(parts[1]) : undefined;
      if (!header || !claims)
        return {
          status: 400,
          body: {
            error: 'invalid_grant',
            error_description: 'Invalid JWT: Token must be a short-lived token and in a reasonable timeframe',
          },
        };
      if (header.alg !== 'RS256') return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } };
      const key = accounts.get(String(claims.iss));
      if (!key) return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid grant: account not found' } };
      const signed = verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2], 'base64url'));
      if (!signed) return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } };
      if (claims.aud !== tokenUrl)
        return { status: 400, body: { error: 'invalid_grant', error_description: `Invalid JWT: aud must be ${tokenUrl}` } };
      const now = Math.floor(Date.now() / 1000);
      const iat = Number(claims.iat);
      const exp = Number(claims.exp);
      if (!(iat <= now + 300 && exp > now && exp - iat <= 3600)) {
        return {
          status: 400,
          body: {
            error: 'invalid_grant',
            error_description:
              'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
          },
        };
      }
      if (
        !String(claims.scope ?? '')
          .split(' ')
          .includes(SHEETS_SCOPE)
      ) {
        return { status: 400, body: { error: 'invalid_scope', error_description: 'Invalid OAuth scope or ID token audience provided.' } };
      }
      const token = `ya29.fake-${randomBytes(24).toString('base64url')}`;
      issued.set(token, String(claims.iss));
      return { body: { access_token: token, expires_in: 3599, token_type: 'Bearer' } };
    },
    'GET /v4/spreadsheets/:id/values/:range': (req) => {
      const o = open(req, req.params.range);
      if (!('book' in o)) return o;
      const rows = o.book.sheets.get(o.range.sheet)!;
      const lastRow = Math.min(o.range.endRow ?? rows.length - 1, rows.length - 1);
      const width = Math.max(0, ...rows.map((r) => r.length));
      const lastCol = o.range.endCol ?? Math.max(width - 1, o.range.startCol);
      const cut: unknown[][] = [];
      for (let r = o.range.startRow; r <= lastRow; r++) {
        const row = (rows[r] ?? []).slice(o.range.startCol, lastCol + 1);
        while (row.length && (row[row.length - 1] === null || row[row.length - 1] === '')) row.pop();
        cut.push(row.map((c) => (c === null ? '' : req.query.valueRenderOption === 'UNFORMATTED_VALUE' ? c : String(c))));
      }
      while (cut.length && cut[cut.length - 1].length === 0) cut.pop();
      const major = req.query.majorDimension === 'COLUMNS' ? 'COLUMNS' : 'ROWS';
      const values =
        major === 'COLUMNS' ? Array.from({ length: Math.max(0, ...cut.map((r) => r.length)) }, (_, c) => cut.map((r) => r[c] ?? '')) : cut;
      const endRow = o.range.endRow ?? Math.max(rows.length, 1000) - 1;
      return {
        body: {
          range: a1(o.range.sheet, o.range.startCol, o.range.startRow, lastCol, endRow),
          majorDimension: major,
          ...(values.length ? { values } : {}),
        },
      };
    },
    'POST /v4/spreadsheets/:id/values/:range': (req) => {
      if (!req.params.range.endsWith(':append')) return googleError(404, 'NOT_FOUND', 'Method not found.');
      const rangeParam = req.params.range.slice(0, -':append'.length);
      const o = open(req, rangeParam);
      if (!('book' in o)) return o;
      const values = cellsOf(req);
      if (!Array.isArray(values)) return values;
      if (req.query.insertDataOption && !['INSERT_ROWS', 'OVERWRITE'].includes(req.query.insertDataOption)) {
        return googleError(400, 'INVALID_ARGUMENT', `Invalid value at 'insert_data_option' (${req.query.insertDataOption})`);
      }
      const rows = o.book.sheets.get(o.range.sheet)!;
      const start = rows.length;
      const width = Math.max(...values.map((r) => r.length));
      for (const row of values) {
        const line: Array<string | number | boolean | null> = Array.from({ length: o.range.startCol }, () => null);
        rows.push([...line, ...row]);
      }
      const updatedRange = a1(o.range.sheet, o.range.startCol, start, o.range.startCol + width - 1, start + values.length - 1);
      return {
        body: {
          spreadsheetId: o.id,
          ...(start > 0
            ? { tableRange: a1(o.range.sheet, 0, 0, Math.max(0, ...rows.slice(0, start).map((r) => r.length)) - 1, start - 1) }
            : {}),
          updates: {
            spreadsheetId: o.id,
            updatedRange,
            updatedRows: values.length,
            updatedColumns: width,
            updatedCells: values.reduce((n, r) => n + r.length, 0),
          },
        },
      };
    },
    'PUT /v4/spreadsheets/:id/values/:range': (req) => {
      const o = open(req, req.params.range);
      if (!('book' in o)) return o;
      const values = cellsOf(req);
      if (!Array.isArray(values)) return values;
      const rows = o.book.sheets.get(o.range.sheet)!;
      values.forEach((row, i) => {
        const r = o.range.startRow + i;
        while (rows.length <= r) rows.push([]);
        row.forEach((cell, j) => {
          const c = o.range.startCol + j;
          while (rows[r].length <= c) rows[r].push(null);
          rows[r][c] = cell;
        });
      });
      const width = Math.max(...values.map((r) => r.length));
      return {
        body: {
          spreadsheetId: o.id,
          updatedRange: a1(
            o.range.sheet,
            o.range.startCol,
            o.range.startRow,
            o.range.startCol + width - 1,
            o.range.startRow + values.length - 1,
          ),
          updatedRows: values.length,
          updatedColumns: width,
          updatedCells: values.reduce((n, r) => n + r.length, 0),
        },
      };
    },
  });
  tokenUrl = `${fake.url}/token`;
  return Object.assign(fake, {
    tokenUrl,
    issued,
    spreadsheets,
    addServiceAccount(clientEmail: string, publicKeyPem: string) {
      accounts.set(clientEmail, createPublicKey(publicKeyPem));
    },
    addToken(token: string, owner: string) {
      issued.set(token, owner);
    },
    addSpreadsheet(id: string, sheets: Record<string, Array<Array<string | number | boolean | null>>>, sharedWith?: string[]) {
      spreadsheets.set(id, {
        sheets: new Map(Object.entries(sheets).map(([k, v]) => [k, v.map((r) => [...r])])),
        sharedWith: sharedWith ? new Set(sharedWith) : undefined,
      });
    },
    tokenRequests: () => fake.requests.filter((r) => r.path === '/token'),
    sheetRequests: () => fake.requests.filter((r) => r.path.startsWith('/v4/')),
  });
}
