import type { ErrorDetail } from '../../core/errors/app-exception';
import { ConnectorError } from '../connectors/contract';
import { AuthKindHandler, ResolveContext } from '../credentials';
import { CompaniesRepository } from '../companies';
import { CompaniesService } from '../companies';
import { NangoClient } from '../nango';
import { NangoError } from '../nango';

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/**
 * Credential kind `nango`: the stored "secret" is only a reference to one of the tenant's
 * marketplace companies (`{ companyId }`). At call time the company's current access token
 * is fetched from Nango (which refreshes it when due) and handed to the connector for that
 * one call as `accessToken` (plus `instanceUrl` when the connection has one, for Salesforce).
 * The token is never stored, put in a job, or returned: the invoker scrubs it from outputs
 * and errors like any other secret.
 */
export class NangoAuthKind implements AuthKindHandler {
  readonly kind = 'nango' as const;
  readonly ownsSchema = true;
  readonly defaultSchema = {
    type: 'object',
    required: ['companyId'],
    additionalProperties: false,
    properties: { companyId: { type: 'string', pattern: UUID, description: 'A marketplace company of this tenant (GET /api/companies)' } },
  };

  constructor(
    private readonly nango: NangoClient,
    private readonly companies: CompaniesRepository,
    private readonly companiesService: CompaniesService,
  ) {}

  hint(secrets: Record<string, string>): string {
    return `company ${String(secrets.companyId ?? '').slice(0, 8)}…`;
  }

  /** The referenced company must be this tenant's (another tenant's id reads as unknown). */
  async checkForTenant(secrets: Record<string, string>, tenantId: string): Promise<ErrorDetail[]> {
    if (await this.companies.findById(tenantId, secrets.companyId)) return [];
    return [{ field: 'secrets.companyId', message: 'no marketplace company with this id in your account (GET /api/companies)' }];
  }

  /** At call time the company is looked up again: it may have been deleted since the save. */
  async resolve(stored: Record<string, string>, ctx: ResolveContext): Promise<Record<string, string>> {
    const company = stored.companyId ? await this.companies.findById(ctx.tenantId, stored.companyId) : null;
    if (!company) {
      throw new ConnectorError('Nango credential: its company no longer exists in this tenant', {
        retryable: false,
        status: 404,
        code: 'CREDENTIAL_INVALID',
      });
    }
    if (company.status !== 'active') {
      throw new ConnectorError(`Nango credential: company connection is ${company.status}; the customer must connect again`, {
        retryable: false,
        status: 409,
        code: 'CREDENTIAL_INVALID',
      });
    }
    try {
      const { accessToken, connectionConfig } = await this.nango.getAccessToken(company.providerConfigKey, company.connectionId);
      const instanceUrl = connectionConfig.instance_url ?? connectionConfig.instanceUrl;
      return {
        accessToken,
        companyId: company.id,
        connectionId: company.connectionId,
        ...(typeof instanceUrl === 'string' && instanceUrl ? { instanceUrl } : {}),
      };
    } catch (e) {
      if (!(e instanceof NangoError)) throw e;
      if (e.needsReauth) {
        // Nango tried to refresh for this call and the provider refused: same outcome as the sweep.
        await this.companies.recordRefreshFailure(ctx.tenantId, company.id, `Nango: ${e.message} (${e.status})`, 'needs_reauth');
        await this.companiesService.invalidate(ctx.tenantId);
      }
      throw new ConnectorError(`Nango: ${e.message}`, {
        retryable: e.transient,
        status: e.status || undefined,
        code: 'NANGO_TOKEN_UNAVAILABLE',
        retryAfterSeconds: e.retryAfterSeconds,
      });
    }
  }
}
