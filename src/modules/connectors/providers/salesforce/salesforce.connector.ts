import { Connector, ConnectorContext, ConnectorDescriptor, ConnectorError, OutboundRequest } from '../../contract';
import { hostOf } from '../../catalog/credential-hosts';
import { invalidParams, joinUrl, ProviderFailure, requireSecret, segment, send, textReason } from '../shared/provider-call';

const PROVIDER = 'Salesforce';
export const SALESFORCE_DEFAULT_API_VERSION = '61.0';

const apiVersion = {
  type: 'string',
  pattern: '^[0-9]{2}\\.[0-9]$',
  default: SALESFORCE_DEFAULT_API_VERSION,
  description: 'REST API version, e.g. 61.0',
};
const sobject = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]*$', description: 'sObject API name, e.g. Contact or Invoice__c' };
const fields = { type: 'object', minProperties: 1, description: 'Field values by API name, e.g. { "LastName": "Lovelace" }' };

/**
 * Salesforce REST API: create/update sObject records and run SOQL queries. Auth: a bearer token
 * with the org's instance URL (credential kind `bearer`), or a marketplace company's Nango
 * connection (kind `nango`), whose token is fetched fresh for every call.
 * Errors arrive as `[{ message, errorCode, fields }]`.
 */
export class SalesforceConnector implements Connector {
  readonly descriptor: ConnectorDescriptor = {
    key: 'salesforce',
    name: 'Salesforce',
    description: 'Create and update records and run SOQL queries through the Salesforce REST API.',
    auth: ['bearer', 'nango'],
    credentialSchema: {
      type: 'object',
      required: ['accessToken', 'instanceUrl'],
      additionalProperties: false,
      properties: {
        accessToken: { type: 'string', minLength: 1, description: 'OAuth access token (session id)' },
        instanceUrl: { type: 'string', pattern: '^https?://', description: 'The org instance URL, e.g. https://acme.my.salesforce.com' },
      },
    },
    baseUrlSetting: 'SALESFORCE_BASE_URL',
    // Each org has its own host: the credential's instance URL (a Nango connection's too).
    hosts: [],
    credentialHosts: (s) => [hostOf(s.instanceUrl ?? s.instance_url)],
    docsUrl: 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/',
    actions: [
      {
        key: 'create_record',
        name: 'Create record',
        description: 'Creates a record. Output body: { id, success, errors }.',
        readOnly: false,
        sideEffects: true,
        sampleOutput: { status: 201, body: { id: '003Dn00000QX9fZIAT', success: true, errors: [] } },
        input: {
          type: 'object',
          required: ['object', 'fields'],
          additionalProperties: false,
          properties: { object: sobject, fields, apiVersion },
        },
      },
      {
        key: 'update_record',
        name: 'Update record',
        description: 'Updates fields of a record by id. Output body: { id, success }.',
        readOnly: false,
        sideEffects: true,
        sampleOutput: { status: 204, body: { id: '003Dn00000QX9fZIAT', success: true } },
        input: {
          type: 'object',
          required: ['object', 'id', 'fields'],
          additionalProperties: false,
          properties: { object: sobject, id: { type: 'string', pattern: '^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$' }, fields, apiVersion },
        },
      },
      {
        key: 'query',
        name: 'SOQL query',
        description: 'Runs a SOQL query. Output body: { totalSize, done, records, nextRecordsUrl? }.',
        readOnly: true,
        sideEffects: false,
        input: {
          type: 'object',
          required: ['soql'],
          additionalProperties: false,
          properties: {
            soql: { type: 'string', minLength: 1, maxLength: 100000, description: 'e.g. SELECT Id, Name FROM Account LIMIT 10' },
            apiVersion,
          },
        },
      },
    ],
  };

  async execute(action: string, params: Record<string, unknown>, ctx: ConnectorContext): Promise<unknown> {
    const version = `v${(params.apiVersion as string | undefined) ?? SALESFORCE_DEFAULT_API_VERSION}`;
    switch (action) {
      case 'create_record': {
        const res = await this.call(ctx, {
          method: 'POST',
          url: `/services/data/${version}/sobjects/${segment(String(params.object))}/`,
          body: params.fields,
        });
        return { status: res.status, body: res.body };
      }
      case 'update_record': {
        const id = String(params.id);
        const res = await this.call(ctx, {
          method: 'PATCH',
          url: `/services/data/${version}/sobjects/${segment(String(params.object))}/${segment(id)}`,
          body: params.fields,
        });
        // 204 No Content: Salesforce says nothing more than "done".
        return { status: res.status, body: { id, success: true } };
      }
      case 'query': {
        const res = await this.call(ctx, { method: 'GET', url: `/services/data/${version}/query`, query: { q: String(params.soql) } });
        return { status: res.status, body: res.body };
      }
      default:
        throw invalidParams(PROVIDER, `unknown action "${action}"`);
    }
  }

  async testCredential(ctx: ConnectorContext): Promise<{ ok: true; detail?: string }> {
    await this.call(ctx, { method: 'GET', url: `/services/data/v${SALESFORCE_DEFAULT_API_VERSION}/limits` });
    return { ok: true, detail: 'token accepted' };
  }

  /**
   * SALESFORCE_BASE_URL, when configured, wins (tests, proxies); otherwise the credential's
   * instance URL (a Nango connection carries it in its connection config).
   */
  private instanceUrl(ctx: ConnectorContext): string {
    if (ctx.baseUrl) return ctx.baseUrl;
    const s = ctx.credential?.secrets ?? {};
    const url = s.instanceUrl ?? s.instance_url;
    if (url) return url;
    throw new ConnectorError(
      `${PROVIDER}: credential "${ctx.credential?.name ?? '(none)'}" has no instance URL (and SALESFORCE_BASE_URL is not set)`,
      {
        retryable: false,
        code: 'CREDENTIAL_INVALID',
      },
    );
  }

  private call(ctx: ConnectorContext, req: Omit<OutboundRequest, 'url'> & { url: string }) {
    const token = requireSecret(PROVIDER, ctx, 'accessToken');
    const viaNango = ctx.credential?.authKind === 'nango';
    return send(
      PROVIDER,
      ctx,
      {
        ...req,
        url: joinUrl(this.instanceUrl(ctx), req.url),
        headers: { accept: 'application/json', ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        credential: { headers: { authorization: `Bearer ${token}` } },
      },
      (res): ProviderFailure => {
        const first = Array.isArray(res.body)
          ? (res.body[0] as { message?: string; errorCode?: string; fields?: string[] } | undefined)
          : undefined;
        const failure: ProviderFailure = {
          code: first?.errorCode,
          message: first?.message ?? textReason(res),
          details: Array.isArray(res.body) ? res.body : undefined,
        };
        // A row lock clears in moments; an expired Nango token is refreshed on the next attempt.
        if (first?.errorCode === 'UNABLE_TO_LOCK_ROW') failure.retryable = true;
        if (viaNango && res.status === 401) failure.retryable = true;
        return failure;
      },
    );
  }
}
