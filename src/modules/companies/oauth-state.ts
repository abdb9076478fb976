import { createHmac } from 'node:crypto';
import { AppException } from '../../core/errors/app-exception';
import { constantTimeEquals } from '../../core/security/admin-token.guard';

/** What GET /api/auth/oauth-url signs and GET /api/auth/callback trusts. */
export interface OAuthState {
  tenantId: string;
  userId: string;
  integrationId: string;
  /** The `flowgate_session` tag of the connect session (how the callback finds the connection). */
  sessionRef: string;
  /** Unix seconds; the state dies with the connect session (30 minutes). */
  expiresAt: number;
}

/**
 * The callback is public (the browser lands on it after Nango's Connect UI, without
 * Flowgate's JWT), so everything it acts on comes from `state`: an HMAC-SHA256 over the
 * payload with a key derived from JWT_SECRET (domain-separated, so a JWT is never a valid
 * state or the reverse). Nobody without the server's secret can mint one for another
 * tenant or another connect session, and an expired one is refused. Version 2 carries the
 * session tag instead of a connection id (Nango chooses connection ids).
 */
export class OAuthStateSigner {
  private readonly key: Buffer;

  constructor(jwtSecret: string) {
    this.key = createHmac('sha256', jwtSecret).update('flowgate:nango-oauth-state:v1').digest();
  }

  sign(state: OAuthState): string {
    const payload = Buffer.from(
      JSON.stringify({
        v: 2,
        tid: state.tenantId,
        uid: state.userId,
        iid: state.integrationId,
        ref: state.sessionRef,
        exp: state.expiresAt,
      }),
    ).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  verify(value: string, now = Date.now()): OAuthState {
    const [payload, mac, extra] = value.split('.');
    if (!payload || !mac || extra !== undefined || !constantTimeEquals(mac, this.mac(payload))) {
      throw AppException.badRequest('OAUTH_STATE_INVALID', 'state is not a value issued by GET /api/auth/oauth-url', [
        { field: 'state', message: 'invalid signature' },
      ]);
    }
    let p: { v?: number; tid?: string; uid?: string; iid?: string; ref?: string; exp?: number };
    try {
      p = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw AppException.badRequest('OAUTH_STATE_INVALID', 'state is unreadable', [{ field: 'state', message: 'unreadable' }]);
    }
    if (p.v !== 2 || !p.tid || !p.uid || !p.iid || !p.ref || typeof p.exp !== 'number') {
      throw AppException.badRequest('OAUTH_STATE_INVALID', 'state is incomplete', [{ field: 'state', message: 'incomplete' }]);
    }
    if (p.exp * 1000 < now) {
      throw AppException.badRequest('OAUTH_STATE_EXPIRED', 'state has expired: start again with GET /api/auth/oauth-url', [
        { field: 'state', message: 'expired' },
      ]);
    }
    return { tenantId: p.tid, userId: p.uid, integrationId: p.iid, sessionRef: p.ref, expiresAt: p.exp };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
