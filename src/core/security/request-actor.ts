import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AuthUser } from './auth-user';

/** Who made a request: a signed-in user, the operator's admin token, or nobody yet (a login). */
export type ActorType = 'user' | 'admin_token' | 'anonymous';

export interface RequestActor {
  type: ActorType;
  /** The user's id, the admin token's fingerprint (never the token), or null. */
  id: string | null;
  email: string | null;
}

const ADMIN_FINGERPRINT = Symbol.for('flowgate.adminTokenFingerprint');

/**
 * A short, stable name for an admin token: the first 16 hex digits of its SHA-256. Tells two
 * tokens (before and after a rotation) apart in the audit log without revealing either.
 */
export function adminTokenFingerprint(token: string): string {
  return `admin:${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
}

/** Left on the raw request by the AdminTokenGuard once the token matched. */
export function markAdminToken(raw: IncomingMessage, token: string): void {
  (raw as unknown as Record<symbol, string>)[ADMIN_FINGERPRINT] = adminTokenFingerprint(token);
}

/** The actor of a request as the guards left it: the JWT's user, else the admin token, else anonymous. */
export function actorOf(request: { user?: unknown; raw: IncomingMessage } | undefined): RequestActor {
  const user = request?.user as AuthUser | undefined;
  if (user?.userId) return { type: 'user', id: user.userId, email: user.email ?? null };
  const admin = request ? (request.raw as unknown as Record<symbol, string | undefined>)[ADMIN_FINGERPRINT] : undefined;
  if (admin) return { type: 'admin_token', id: admin, email: null };
  return { type: 'anonymous', id: null, email: null };
}
