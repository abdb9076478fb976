import { call } from '../../api/client';
import { ApiError } from '../../api/errors';
import { session } from '../../session/session';

/** Raised when the admin token was refused: the page forgets it and asks again. */
export class AdminTokenRefused extends ApiError {}

/**
 * `call` for an X-Admin-Token request. A 401/403 here means the admin token (not the user's
 * session) is wrong: the shared message would say "your session has ended", so this one says
 * what happened, and the token is forgotten so it is not sent again.
 */
export async function adminCall<T>(request: Parameters<typeof call<T>>[0]): Promise<T> {
  try {
    return await call(request);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      session.setAdminToken(null);
      throw new AdminTokenRefused(
        e.status,
        'The admin token was refused (wrong or revoked). It has been forgotten: enter the right one.',
        e.code,
      );
    }
    if (e instanceof ApiError && e.status === 404) {
      throw new ApiError(404, 'The admin API is off on this server (no ADMIN_TOKEN is configured).', e.code);
    }
    throw e;
  }
}
