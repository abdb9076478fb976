import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { AuthUser } from '../../core/security/auth-user';
import { NangoClient } from '../nango/nango.client';
import { NangoError } from '../nango/nango.errors';
import { assertNangoConfigured } from '../nango/nango-settings';
import { NangoConnectionInfo } from '../nango/nango.types';
import { CompaniesService } from './companies.service';
import { assertConnectionBelongsTo, CONNECTION_TAG, TENANT_TAG } from './connection-ownership';
import { ConnectedCompanyDto, OAuthUrlDto } from './dto/oauth.dto';
import { OAuthStateSigner } from './oauth-state';

/** Nango Cloud's hosted Connect UI, for servers that answer no `connect_link`. */
const DEFAULT_CONNECT_UI = 'https://connect.nango.dev';
const SESSION_TTL_SECONDS = 30 * 60;

/** The OAuth endpoints: start a Nango connect session, finish it, or attach a connection on demand. */
@Injectable()
export class CompanyConnectService {
  private readonly state: OAuthStateSigner;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly nango: NangoClient,
    private readonly companies: CompaniesService,
  ) {
    this.state = new OAuthStateSigner(config.auth.jwtSecret);
  }

  async oauthUrl(user: AuthUser, integrationId: string, requestedConnectionId?: string): Promise<OAuthUrlDto> {
    assertNangoConfigured(this.config);
    const connectionId = requestedConnectionId ?? randomUUID();
    let session;
    try {
      session = await this.nango.createConnectSession({
        endUser: { id: user.userId, email: user.email },
        organization: { id: user.tenantId },
        allowedIntegrations: [integrationId],
        tags: { [TENANT_TAG]: user.tenantId, [CONNECTION_TAG]: connectionId },
      });
    } catch (e) {
      throw mapSessionError(e, integrationId);
    }
    const expiresMs = Date.parse(session.expiresAt);
    const expiresAt = Math.floor((Number.isFinite(expiresMs) ? expiresMs : Date.now() + SESSION_TTL_SECONDS * 1000) / 1000);
    return {
      connectLink: session.connectLink ?? `${DEFAULT_CONNECT_UI}/?session_token=${encodeURIComponent(session.token)}`,
      sessionToken: session.token,
      expiresAt: new Date(expiresAt * 1000).toISOString(),
      state: this.state.sign({ tenantId: user.tenantId, userId: user.userId, integrationId, connectionId, expiresAt }),
      integrationId,
      connectionId,
    };
  }

  /** GET /callback: everything comes from the signed state (see OAuthStateSigner). */
  async callback(stateValue: string, code?: string): Promise<ConnectedCompanyDto> {
    assertNangoConfigured(this.config);
    const state = this.state.verify(stateValue);
    return this.attach(state.tenantId, state.integrationId, code ?? state.connectionId);
  }

  exchange(user: AuthUser, integrationId: string, connectionId: string): Promise<ConnectedCompanyDto> {
    assertNangoConfigured(this.config);
    return this.attach(user.tenantId, integrationId, connectionId);
  }

  private async attach(tenantId: string, integrationId: string, connectionId: string): Promise<ConnectedCompanyDto> {
    let connection: NangoConnectionInfo;
    try {
      connection = await this.nango.getConnection(integrationId, connectionId);
    } catch (e) {
      throw e instanceof NangoError ? e.toAppException() : e;
    }
    assertConnectionBelongsTo(tenantId, connection);
    return this.companies.upsertFromConnection(tenantId, connection);
  }
}

/** Nango answers 400 invalid_body naming allowed_integrations for an integration it does not have. */
function mapSessionError(e: unknown, integrationId: string): AppException | unknown {
  if (!(e instanceof NangoError)) return e;
  if (e.status === 404 || (e.status === 400 && /integration/i.test(e.message))) {
    return new AppException(404, 'NANGO_INTEGRATION_NOT_FOUND', `Nango: ${e.message} (${integrationId})`, { nangoCode: e.code });
  }
  return e.toAppException();
}
