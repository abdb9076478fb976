import { useState, type FormEvent } from 'react';
import { api, call } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { EmptyState, Loading } from '../../components/Loading';
import { Field } from '../../components/Field';
import { dateTime } from '../../lib/format';
import { useAction, useApi } from '../../lib/use-api';
import type { AuditEntry } from './types';

const PAGE = 50;

/** "credential" or "credential." → the API's prefix form "credential.*"; an exact action stays. */
function actionQuery(filter: string): string | undefined {
  const f = filter.trim();
  if (!f) return undefined;
  if (f.endsWith('.*')) return f;
  if (f.endsWith('.')) return `${f}*`;
  return f.includes('.') ? f : `${f}.*`;
}

function actorOf(e: AuditEntry): string {
  if (e.actor.type === 'admin_token') return 'admin token';
  if (e.actor.type === 'anonymous') return `anonymous${e.actor.email ? ` (${e.actor.email})` : ''}`;
  return e.actor.email ?? e.actor.id ?? 'user';
}

/**
 * The team's audit log, newest first, by pages ("Load more"), filtered by action. Owners and
 * admins. `changes` counts the changes made on this page: each reloads the first page, so the
 * change just made shows up.
 */
export function AuditSection({ changes }: { changes: number }) {
  const [draft, setDraft] = useState('');
  const [action, setAction] = useState<string>();
  const [more, setMore] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const first = useApi(async () => {
    const page = await call(api.GET('/api/audit', { params: { query: { limit: PAGE, ...(action ? { action } : {}) } } }));
    setMore([]);
    setCursor(page.nextCursor);
    return page.items;
  }, [action, changes]);
  const loadMore = useAction(async () => {
    if (!cursor) return;
    const page = await call(api.GET('/api/audit', { params: { query: { limit: PAGE, cursor, ...(action ? { action } : {}) } } }));
    setMore((m) => [...m, ...page.items]);
    setCursor(page.nextCursor);
  });
  const rows = [...(first.data ?? []), ...more];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAction(actionQuery(draft));
  };
  const filterError = first.error?.fieldErrors.action;

  return (
    <section className="card stack" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      <form className="inline-fields" onSubmit={submit} role="search" aria-label="Filter the audit log">
        <Field label="Action" hint="A prefix like credential or member, or an exact action like member.role_change." error={filterError}>
          {(a) => <input {...a} name="action" value={draft} placeholder="credential" onChange={(e) => setDraft(e.target.value)} />}
        </Field>
        <div className="row">
          <button type="submit" className="btn btn-secondary">
            Filter
          </button>
          <button type="button" className="btn btn-ghost" disabled={first.loading} onClick={() => void first.reload()}>
            Refresh
          </button>
        </div>
      </form>
      {!filterError && <ErrorBanner error={first.error} />}
      {first.loading && !first.data && <Loading label="Loading the audit log…" />}
      {first.data && rows.length === 0 && <EmptyState title={action ? `Nothing recorded for ${action}` : 'Nothing recorded yet'} />}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={e.occurredAt}>{dateTime(e.occurredAt)}</time>
                  </td>
                  <td>{actorOf(e)}</td>
                  <th scope="row" className="mono">
                    {e.action}
                  </th>
                  <td>
                    {e.target.type}
                    {e.target.id && <span className="mono muted small"> {e.target.id}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorBanner error={loadMore.error} />
      {cursor && (
        <div>
          <button type="button" className="btn btn-secondary btn-sm" disabled={loadMore.busy} onClick={() => void loadMore.run()}>
            {loadMore.busy ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </section>
  );
}
