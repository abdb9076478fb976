const TONES: Record<string, string> = {
  succeeded: 'success',
  success: 'success',
  active: 'success',
  ok: 'success',
  up: 'success',
  failed: 'danger',
  error: 'danger',
  down: 'danger',
  expired: 'danger',
  cancelled: 'neutral',
  inactive: 'neutral',
  queued: 'info',
  running: 'info',
  pending: 'info',
  planned: 'warning',
  skipped: 'neutral',
  degraded: 'warning',
};

/** A status word with its colour; the word itself carries the meaning (never colour alone). */
export function StatusBadge({ status }: { status: string | null | undefined }) {
  if (!status) return <span className="muted">—</span>;
  return <span className={`badge badge-${TONES[status] ?? 'neutral'}`}>{status}</span>;
}
