import { api, call } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { EmptyState, Loading } from '../../components/Loading';
import { StatusBadge } from '../../components/StatusBadge';
import { dateTime, relativeTime } from '../../lib/format';
import { useAction, type ApiState } from '../../lib/use-api';
import { ConfirmButton } from '../credentials/ConfirmButton';
import type { Invitation } from './types';

/** Pending invitations (links that still work), each revocable. */
export function InvitationsList({ state, onRevoked }: { state: ApiState<Invitation[]>; onRevoked: () => void }) {
  const pending = (state.data ?? []).filter((i) => i.status === 'pending');
  return (
    <section className="card stack" aria-labelledby="pending-heading">
      <h2 id="pending-heading">Pending invitations</h2>
      <ErrorBanner error={state.error} />
      {state.loading && !state.data && <Loading label="Loading invitations…" />}
      {state.data && pending.length === 0 && <EmptyState title="No pending invitations" />}
      {pending.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Expires</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {pending.map((i) => (
                <InvitationRow
                  key={i.id}
                  invitation={i}
                  onRevoked={() => {
                    void state.reload();
                    onRevoked();
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function InvitationRow({ invitation: i, onRevoked }: { invitation: Invitation; onRevoked: () => void }) {
  const revoke = useAction(async () => {
    await call(api.DELETE('/api/tenants/current/invitations/{invitationId}', { params: { path: { invitationId: i.id } } }));
    onRevoked();
  });
  return (
    <tr>
      <th scope="row">{i.email}</th>
      <td>{i.role}</td>
      <td>
        <StatusBadge status={i.status} />
      </td>
      <td>
        <time dateTime={i.expiresAt} title={dateTime(i.expiresAt)}>
          {relativeTime(i.expiresAt)}
        </time>
      </td>
      <td>
        <ConfirmButton
          label={`Revoke invitation for ${i.email}`}
          text="Revoke"
          question={`Revoke the invitation for ${i.email}? Its link stops working.`}
          confirmLabel="Revoke"
          busy={revoke.busy}
          onConfirm={() => void revoke.run()}
        />
        <ErrorBanner error={revoke.error} />
      </td>
    </tr>
  );
}
