/** One problem the API named: a field (`steps[1].input.url`) and what is wrong with it. */
export interface FieldProblem {
  field?: string;
  message: string;
  [key: string]: unknown;
}

/**
 * Every failed call becomes an ApiError whose `message` a person understands; `code`, `fieldErrors`
 * and `requestId` keep what the API said for the page that wants more (a field's own error).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly details: FieldProblem[] = [],
    readonly requestId?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The problems that name a field, by field path. */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) if (d.field && !out[d.field]) out[d.field] = d.message;
    return out;
  }
}

interface ErrorBody {
  message?: unknown;
  code?: unknown;
  details?: unknown;
}

/** The sentence shown for a status, with the API's own message where it says more. */
export function humanMessage(status: number, body: ErrorBody | undefined, retryAfter?: number): string {
  const apiMessage = typeof body?.message === 'string' ? body.message : undefined;
  switch (status) {
    case 0:
      return 'Flowgate cannot be reached. Check your connection and try again.';
    case 400:
    case 422:
      return apiMessage ?? 'Some of what you entered is not valid.';
    case 401:
      return 'Your session has ended. Please sign in again.';
    case 403:
      return 'Your role does not allow this. Ask an owner or admin of your team.';
    case 404:
      return 'This no longer exists, or it belongs to another team.';
    case 409:
      // The API says what conflicts (a name taken, a credential in use, a run not retryable, an
      // edit over someone else's: "reload and retry").
      return apiMessage ?? 'This conflicts with a change made meanwhile. Reload and try again.';
    case 413:
      return 'That is too large to send.';
    case 429:
      return `Too many requests. Wait ${retryAfter ? `${retryAfter} seconds` : 'a moment'} and try again.`;
    case 503:
      return apiMessage
        ? `A service Flowgate depends on is unavailable: ${apiMessage}`
        : 'A service Flowgate depends on is unavailable. Try again in a minute.';
    default:
      return status >= 500
        ? 'Flowgate had a problem answering. Try again; if it persists, tell your operator.'
        : (apiMessage ?? `Request failed (${status}).`);
  }
}

export function toApiError(response: Response, body: unknown): ApiError {
  const b = (body && typeof body === 'object' ? body : undefined) as ErrorBody | undefined;
  const retryAfter = Number(response.headers.get('Retry-After')) || undefined;
  const details = Array.isArray(b?.details) ? (b!.details as FieldProblem[]) : [];
  return new ApiError(
    response.status,
    humanMessage(response.status, b, retryAfter),
    typeof b?.code === 'string' ? b.code : undefined,
    details,
    response.headers.get('X-Request-Id') ?? undefined,
    retryAfter,
  );
}
