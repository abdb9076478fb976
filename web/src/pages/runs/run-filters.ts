import type { paths } from '../../api/generated/schema';

type LogsQuery = NonNullable<paths['/api/logs']['get']['parameters']['query']>;
export type RunStatus = NonNullable<LogsQuery['status']>[number];

export const STATUSES: readonly RunStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
/** The built-in triggers (a deployment may register more; a link may still name one of those). */
export const TRIGGERS = ['webhook', 'schedule', 'manual', 'retry', 'error', 'amqp'] as const;

/** The Runs list's filters, as the URL holds them (so a link opens a filtered list and Back works). */
export interface RunFilters {
  status: RunStatus[];
  trigger: string[];
  workflowId?: string;
  /** ISO 8601 instants (UTC). */
  from?: string;
  to?: string;
}

function list(params: URLSearchParams, name: string): string[] {
  // `status=failed&status=cancelled` and `status=failed,cancelled` both work, as in the API.
  return params
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

export function filtersFromSearch(params: URLSearchParams): RunFilters {
  return {
    status: list(params, 'status').filter((s): s is RunStatus => (STATUSES as readonly string[]).includes(s)),
    trigger: list(params, 'trigger'),
    workflowId: params.get('workflowId') || undefined,
    from: params.get('from') || undefined,
    to: params.get('to') || undefined,
  };
}

export function filtersToSearch(f: RunFilters): URLSearchParams {
  const out = new URLSearchParams();
  if (f.status.length) out.set('status', f.status.join(','));
  if (f.workflowId) out.set('workflowId', f.workflowId);
  if (f.trigger.length) out.set('trigger', f.trigger.join(','));
  if (f.from) out.set('from', f.from);
  if (f.to) out.set('to', f.to);
  return out;
}

/** The GET /api/logs query of these filters (the URL's spelling is the API's). */
export function logsQuery(f: RunFilters, limit: number, cursor?: string): LogsQuery {
  return {
    status: f.status.length ? f.status : undefined,
    trigger: f.trigger.length ? f.trigger : undefined,
    workflowId: f.workflowId,
    from: f.from,
    to: f.to,
    limit,
    cursor,
  };
}

/** A stable key of the filters: the list reloads from its first page when it changes. */
export function filtersKey(f: RunFilters): string {
  return filtersToSearch(f).toString();
}

/** ISO instant → the `datetime-local` input's value (the browser's local time, to the minute). */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `datetime-local` value (local time) → ISO instant; empty → undefined. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
