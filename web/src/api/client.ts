import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './generated/schema';
import { session } from '../session/session';
import { ApiError, toApiError } from './errors';

/**
 * Where the API is: the `flowgate-api-base` meta tag of index.html, empty for this origin (the
 * console served by Flowgate or behind Kong); an operator serving the console elsewhere sets it
 * and lists the console's origin in CORS_ORIGINS.
 */
export const apiBaseUrl = (document.querySelector<HTMLMetaElement>('meta[name="flowgate-api-base"]')?.content ?? '').replace(/\/+$/, '');

const bearer: Middleware = {
  onRequest({ request }) {
    const token = session.token();
    if (token && !request.headers.has('Authorization') && !request.headers.has('X-Admin-Token')) {
      request.headers.set('Authorization', `Bearer ${token}`);
    }
    return request;
  },
  onResponse({ request, response }) {
    // A signed-in call refused: the session is over (back to the sign-in page). A 401 on the
    // sign-in call itself is a wrong password, not an ended session.
    if (response.status === 401 && request.headers.has('Authorization')) session.expire();
    return response;
  },
};

/** The typed client of Flowgate's API, generated from openapi/openapi.json. */
export const api = createClient<paths>({ baseUrl: apiBaseUrl });
api.use(bearer);

type Result<T> = { data?: T; error?: unknown; response: Response };

/**
 * Awaits an `api.GET/POST/...` call: its data, or an ApiError with a message a person
 * understands (the network being down included).
 */
export async function call<T>(request: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await request;
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError(0, 'Flowgate cannot be reached. Check your connection and try again.');
  }
  if (!result.response.ok) throw toApiError(result.response, result.error);
  return result.data as T;
}

/** Headers for an admin-token call (operator pages). */
export function adminHeaders(): Record<string, string> {
  return { 'X-Admin-Token': session.adminToken() ?? '' };
}
