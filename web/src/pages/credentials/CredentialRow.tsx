import { api, call } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { StatusBadge } from '../../components/StatusBadge';
import { relativeTime, dateTime } from '../../lib/format';
import { useAction } from '../../lib/use-api';
import { ConfirmButton } from './ConfirmButton';
import type { Credential } from './types';

/** Workflows a 409 CREDENTIAL_IN_USE names (`details[].field === 'workflows'`, name as message). */
function usedBy(details: Array<{ field?: string; message: string }>): string[] {
  return details.filter((d) => d.field === 'workflows').map((d) => d.message);
}

/** One credential: what it is, whether steps can use it, its last test; actions for owners/admins. */
export function CredentialRow({
  credential: c,
  canWrite,
  connectorName,
  onEdit,
  onChanged,
  onDeleted,
}: {
  credential: Credential;
  canWrite: boolean;
  connectorName: string;
  onEdit: () => void;
  onChanged: (c: Credential) => void;
  onDeleted: () => void;
}) {
  const test = useAction(async () => {
    const result = await call(api.POST('/api/credentials/{id}/test', { params: { path: { id: c.id } } }));
    // The test result is recorded: show it in the row as the list would after a reload.
    onChanged({ ...c, lastTestOk: result.ok, lastTestDetail: result.detail, lastTestedAt: new Date().toISOString() });
    return result;
  });
  const remove = useAction(async () => {
    await call(api.DELETE('/api/credentials/{id}', { params: { path: { id: c.id } } }));
    onDeleted();
  });
  const inUse = remove.error?.code === 'CREDENTIAL_IN_USE' ? usedBy(remove.error.details) : [];

  return (
    <tr>
      <th scope="row">{c.name}</th>
      <td>{connectorName}</td>
      <td>{c.authKind}</td>
      <td className="mono">{c.hint}</td>
      <td>{c.allowedHosts?.length ? c.allowedHosts.join(', ') : <span className="muted">provider's hosts</span>}</td>
      <td>
        {c.usable ? (
          <span className="badge badge-success">usable</span>
        ) : (
          <>
            <span className="badge badge-warning">unusable</span> <span className="small">{c.unusableReason}</span>
          </>
        )}
      </td>
      <td>
        {c.lastTestedAt ? (
          <div className="stack small">
            <span>
              <StatusBadge status={c.lastTestOk ? 'ok' : 'failed'} />{' '}
              <time dateTime={c.lastTestedAt} title={dateTime(c.lastTestedAt)}>
                {relativeTime(c.lastTestedAt)}
              </time>
            </span>
            {c.lastTestDetail && <span className="muted">{c.lastTestDetail}</span>}
          </div>
        ) : (
          <span className="muted">never tested</span>
        )}
        <ErrorBanner error={test.error} />
      </td>
      {canWrite && (
        <td>
          <div className="row">
            <button
              type="button"
              className="btn btn-secondary btn-sm"
              disabled={test.busy}
              aria-label={`Test ${c.name}`}
              onClick={() => void test.run()}
            >
              {test.busy ? 'Testing…' : 'Test'}
            </button>
            <button type="button" className="btn btn-ghost btn-sm" aria-label={`Edit ${c.name}`} onClick={onEdit}>
              Edit
            </button>
            <ConfirmButton
              label={`Delete ${c.name}`}
              text="Delete"
              question={`Delete ${c.name}?`}
              confirmLabel="Delete"
              busy={remove.busy}
              onConfirm={() => void remove.run()}
            />
          </div>
          <div aria-live="polite" className="small">
            {test.busy && 'Asking the provider…'}
          </div>
          {remove.error && (
            <div className="stack">
              <ErrorBanner error={remove.error} />
              {inUse.length > 0 && <p className="small">Used by: {inUse.join(', ')}. Change those workflows first.</p>}
            </div>
          )}
        </td>
      )}
    </tr>
  );
}
