import { Connector, ConnectorContext, ConnectorDescriptor, OutboundRequest } from '../../contract';
import { invalidParams, joinUrl, requireSecret, segment, send } from '../shared/provider-call';
import { SHEETS_PROVIDER, sheetsFailure } from './google-sheets-errors';

export const SHEETS_DEFAULT_BASE_URL = 'https://sheets.googleapis.com';

const spreadsheetId = {
  type: 'string',
  pattern: '^[A-Za-z0-9_-]{1,200}$',
  description: 'The id in the spreadsheet URL: docs.google.com/spreadsheets/d/<spreadsheetId>/edit',
};
const range = {
  type: 'string',
  minLength: 1,
  maxLength: 500,
  description: "A sheet name or an A1 range, e.g. Leads, Leads!A:D, 'Sheet 1'!A1:C3",
};
const cell = { type: ['string', 'number', 'boolean', 'null'] };
const values = {
  type: 'array',
  minItems: 1,
  maxItems: 10000,
  description: 'One row (an array of cells) or several rows (an array of arrays of cells)',
  anyOf: [{ items: cell, maxItems: 1000 }, { items: { type: 'array', items: cell, maxItems: 1000 } }],
};
const valueInputOption = {
  type: 'string',
  enum: ['USER_ENTERED', 'RAW'],
  default: 'USER_ENTERED',
  description: 'USER_ENTERED: parsed as if typed (numbers, dates, formulas); RAW: stored as given',
};

/**
 * Google Sheets API v4: append a row, read a range, update a range. Auth: a service account's
 * key (kind `google_service_account`, exchanged for a token per call or from the cache) or a
 * marketplace company's Nango connection (kind `nango`, token fetched from Nango at call time).
 * Either way the connector receives a bearer `accessToken`. Errors: google-sheets-errors.ts.
 */
export class GoogleSheetsConnector implements Connector {
  readonly descriptor: ConnectorDescriptor = {
    key: 'google_sheets',
    name: 'Google Sheets',
    description: 'Append rows to, read and update ranges of a Google spreadsheet (Sheets API v4).',
    auth: ['google_service_account', 'nango'],
    baseUrlSetting: 'GOOGLE_SHEETS_BASE_URL',
    // The token host is here for the scope's sake; the service-account token request itself is
    // scoped to GOOGLE_TOKEN_URL's host by the credential kind.
    hosts: ['sheets.googleapis.com', 'oauth2.googleapis.com'],
    docsUrl: 'https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values',
    actions: [
      {
        key: 'append_row',
        name: 'Append row',
        description:
          'Appends one row (or several) after the last row of the table in `range` (spreadsheets.values.append, INSERT_ROWS). Output body: { spreadsheetId, tableRange, updates: { updatedRange, updatedRows, updatedColumns, updatedCells } }.',
        readOnly: false,
        sideEffects: true,
        sampleOutput: {
          status: 200,
          body: {
            spreadsheetId: '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms',
            tableRange: 'Leads!A1:D41',
            updates: {
              spreadsheetId: '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms',
              updatedRange: 'Leads!A42:D42',
              updatedRows: 1,
              updatedColumns: 4,
              updatedCells: 4,
            },
          },
        },
        input: {
          type: 'object',
          required: ['spreadsheetId', 'range', 'values'],
          additionalProperties: false,
          properties: { spreadsheetId, range, values, valueInputOption },
        },
      },
      {
        key: 'read_range',
        name: 'Read range',
        description: 'Reads the cells of a range (spreadsheets.values.get). Output body: { range, majorDimension, values }.',
        readOnly: true,
        sideEffects: false,
        sampleOutput: {
          status: 200,
          body: {
            range: 'Leads!A1:D3',
            majorDimension: 'ROWS',
            values: [
              ['Name', 'Email', 'Company', 'Received'],
              ['Ada Lovelace', 'ada@example.com', 'Analytical Engines', '2026-11-27'],
              ['Grace Hopper', 'grace@example.com', 'COBOL Inc', '2026-11-28'],
            ],
          },
        },
        input: {
          type: 'object',
          required: ['spreadsheetId', 'range'],
          additionalProperties: false,
          properties: {
            spreadsheetId,
            range,
            majorDimension: { type: 'string', enum: ['ROWS', 'COLUMNS'], default: 'ROWS' },
            valueRenderOption: {
              type: 'string',
              enum: ['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA'],
              default: 'FORMATTED_VALUE',
            },
          },
        },
      },
      {
        key: 'update_range',
        name: 'Update range',
        description:
          'Overwrites the cells of a range, starting at its top-left cell (spreadsheets.values.update). Output body: { spreadsheetId, updatedRange, updatedRows, updatedColumns, updatedCells }.',
        readOnly: false,
        sideEffects: true,
        sampleOutput: {
          status: 200,
          body: {
            spreadsheetId: '1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms',
            updatedRange: 'Leads!D42',
            updatedRows: 1,
            updatedColumns: 1,
            updatedCells: 1,
          },
        },
        input: {
          type: 'object',
          required: ['spreadsheetId', 'range', 'values'],
          additionalProperties: false,
          properties: { spreadsheetId, range, values, valueInputOption },
        },
      },
    ],
  };

  async execute(action: string, params: Record<string, unknown>, ctx: ConnectorContext): Promise<unknown> {
    const id = segment(String(params.spreadsheetId));
    const a1 = segment(String(params.range));
    const input = (params.valueInputOption as string | undefined) ?? 'USER_ENTERED';
    switch (action) {
      case 'append_row': {
        const res = await this.call(ctx, {
          method: 'POST',
          url: `/v4/spreadsheets/${id}/values/${a1}:append`,
          query: { valueInputOption: input, insertDataOption: 'INSERT_ROWS' },
          body: { values: rows(params.values) },
        });
        return { status: res.status, body: res.body };
      }
      case 'read_range': {
        const res = await this.call(ctx, {
          method: 'GET',
          url: `/v4/spreadsheets/${id}/values/${a1}`,
          query: {
            majorDimension: (params.majorDimension as string | undefined) ?? 'ROWS',
            valueRenderOption: (params.valueRenderOption as string | undefined) ?? 'FORMATTED_VALUE',
          },
        });
        const body = res.body as Record<string, unknown>;
        // Google leaves `values` out when the range is empty: always an array for the next steps.
        return { status: res.status, body: { ...body, values: Array.isArray(body?.values) ? body.values : [] } };
      }
      case 'update_range': {
        const res = await this.call(ctx, {
          method: 'PUT',
          url: `/v4/spreadsheets/${id}/values/${a1}`,
          query: { valueInputOption: input },
          body: { range: String(params.range), majorDimension: 'ROWS', values: rows(params.values) },
        });
        return { status: res.status, body: res.body };
      }
      default:
        throw invalidParams(SHEETS_PROVIDER, `unknown action "${action}"`);
    }
  }

  /**
   * A service-account credential has already been exchanged for a token when this runs (the
   * credential kind does it while resolving): reaching here means Google's token endpoint
   * accepted the key. A Nango credential means Nango handed out a token. Neither proves access
   * to a given spreadsheet: that needs its id, which only a step has.
   */
  testCredential(ctx: ConnectorContext): Promise<{ ok: true; detail?: string }> {
    requireSecret(SHEETS_PROVIDER, ctx, 'accessToken');
    const viaNango = ctx.credential?.authKind === 'nango';
    return Promise.resolve({
      ok: true,
      detail: viaNango
        ? 'Nango gave an access token for the connection (spreadsheet access is checked on the first run)'
        : 'The service-account key was exchanged for an access token (share each spreadsheet with the service account)',
    });
  }

  private call(ctx: ConnectorContext, req: OutboundRequest) {
    const token = requireSecret(SHEETS_PROVIDER, ctx, 'accessToken');
    const viaNango = ctx.credential?.authKind === 'nango';
    const principal = ctx.credential?.secrets.principal;
    return send(
      SHEETS_PROVIDER,
      ctx,
      {
        ...req,
        url: joinUrl(ctx.baseUrl || SHEETS_DEFAULT_BASE_URL, req.url),
        headers: { accept: 'application/json', ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        credential: { headers: { authorization: `Bearer ${token}` } },
      },
      (res) => sheetsFailure(res, { principal, viaNango }),
    );
  }
}

/** `values` as rows: a flat array of cells is one row. */
function rows(values: unknown): unknown[][] {
  const list = Array.isArray(values) ? values : [values];
  return list.every((v) => Array.isArray(v)) ? (list as unknown[][]) : [list];
}
