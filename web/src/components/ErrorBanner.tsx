import type { ApiError } from '../api/errors';

/** An error a person can act on: the message, and the request id to quote to an operator. */
export function ErrorBanner({ error, onDismiss }: { error: ApiError | Error | undefined | null; onDismiss?: () => void }) {
  if (!error) return null;
  const requestId = 'requestId' in error ? (error.requestId as string | undefined) : undefined;
  return (
    <div className="banner banner-error" role="alert">
      <span>{error.message}</span>
      {requestId && <span className="muted small"> (request {requestId})</span>}
      {onDismiss && (
        <button type="button" className="btn btn-ghost btn-sm" onClick={onDismiss} aria-label="Dismiss error">
          ×
        </button>
      )}
    </div>
  );
}

export function Notice({ children, tone = 'info' }: { children: React.ReactNode; tone?: 'info' | 'success' | 'warning' }) {
  return (
    <div className={`banner banner-${tone}`} role="status">
      {children}
    </div>
  );
}
