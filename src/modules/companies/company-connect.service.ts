import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { AuthUser } from '../../core/security/auth-user';
import type { RequestActor } from '../../core/security/request-actor';
import { NangoClient } from '../nango';
import { NangoError } from '../nango';
import { assertNangoConfigured } from '../nango';
import { NangoConnectionInfo } from '../nango';
import { CompaniesService } from './companies.service';
import { assertConnectionBelongsTo, sessionTags, TAGS } from './connection-ownership';
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

  /**
   * A connect session for this tenant. Nango chooses the connection id when the customer
   * finishes; the session's tags (tenant, user, and a fresh `flowgate_session` reference that
   * the signed state carries) are how Flowgate recognises that connection afterwards.
   */
  async oauthUrl(user: AuthUser, integrationId: string): Promise<OAuthUrlDto> {
    assertNangoConfigured(this.config);
    const sessionRef = randomUUID();
    let session;
    try {
      session = await this.nango.createConnectSession({ allowedIntegrations: [integrationId], tags: sessionTags(user, sessionRef) });
    } catch (e) {
      throw mapSessionError(e, integrationId);
    }
    const expiresMs = Date.parse(session.expiresAt);
    const expiresAt = Math.floor((Number.isFinite(expiresMs) ? expiresMs : Date.now() + SESSION_TTL_SECONDS * 1000) / 1000);
    return {
      connectLink: session.connectLink ?? `${DEFAULT_CONNECT_UI}/?session_token=${encodeURIComponent(session.token)}`,
      sessionToken: session.token,
      expiresAt: new Date(expiresAt * 1000).toISOString(),
      state: this.state.sign({ tenantId: user.tenantId, userId: user.userId, integrationId, sessionRef, expiresAt }),
      integrationId,
    };
  }

  /**
   * GET /callback: everything comes from the signed state (see OAuthStateSigner). The
   * connection is the one Nango lists with this tenant's and this session's tags; Flowgate
   * never guesses or invents a connection id.
   */
  async callback(stateValue: string): Promise<ConnectedCompanyDto> {
    assertNangoConfigured(this.config);
    const state = this.state.verify(stateValue);
    let found;
    try {
      found = await this.nango.findConnectionsByTags(state.integrationId, {
        [TAGS.tenant]: state.tenantId,
        [TAGS.session]: state.sessionRef,
      });
    } catch (e) {
      throw e instanceof NangoError ? e.toAppException() : e;
    }
    if (!found.length) {
      throw new AppException(
        404,
        'NANGO_CONNECTION_NOT_FOUND',
        'Nango has no connection from this connect session yet: finish the Nango Connect flow, then call back',
      );
    }
    // Newest first: a session that somehow produced two connections keeps the latest.
    // Finishes a flow the user named in the signed state started: the connect is recorded as theirs.
    return this.attach(state.tenantId, state.integrationId, found[0].connectionId, { type: 'user', id: state.userId, email: null });
  }

  exchange(user: AuthUser, integrationId: string, connectionId: string): Promise<ConnectedCompanyDto> {
    assertNangoConfigured(this.config);
    return this.attach(user.tenantId, integrationId, connectionId);
  }

  private async attach(tenantId: string, integrationId: string, connectionId: string, actor?: RequestActor): Promise<ConnectedCompanyDto> {
    let connection: NangoConnectionInfo;
    try {
      connection = await this.nango.getConnection(integrationId, connectionId);
    } catch (e) {
      throw e instanceof NangoError ? e.toAppException() : e;
    }
    assertConnectionBelongsTo(tenantId, connection);
    return this.companies.upsertFromConnection(tenantId, connection, { actor });
  }
}

/** Nango answers 400 invalid_body naming allowed_integrations for an integration it does not have. */
function mapSessionError(e: unknown, integrationId: string): AppException | unknown {
  if (!(e instanceof NangoError)) return e;
  if (e.status === 404 || (e.status === 400 && /integration/i.test(e.message))) {
    return new AppException(404, 'NANGO_INTEGRATION_NOT_FOUND', `Nango: ${e.message} (${integrationId})`, [
      { field: 'integrationId', message: `Nango answered ${e.code ?? e.status}`, nangoCode: e.code },
    ]);
  }
  return e.toAppException();
}
