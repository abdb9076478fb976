import { useState } from 'react';
import { api, call } from '../../api/client';
import { ErrorBanner, Notice } from '../../components/ErrorBanner';
import { EmptyState, Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useApi } from '../../lib/use-api';
import { useSession } from '../../session/SessionContext';
import { AuditSection } from './AuditSection';
import { InvitationsList } from './InvitationsList';
import { InviteForm } from './InviteForm';
import { MemberRow } from './MemberRow';
import type { Invitation } from './types';
import './tables.css';

/**
 * Team: the members; owners and admins also change roles, remove members, invite, revoke
 * invitations and read the audit log. A member sees the member list only.
 */
export default function TeamPage() {
  const { me, can } = useSession();
  const canManage = can('members.manage');
  const canManageOwners = can('owners.manage');
  // Changes made here (roles, removals, invitations): the audit log reloads to show them.
  const [changes, setChanges] = useState(0);
  const changed = () => setChanges((n) => n + 1);
  const members = useApi(() => call(api.GET('/api/tenants/current/members')), []);
  const invitations = useApi<Invitation[]>(() => call(api.GET('/api/tenants/current/invitations')), [canManage], { enabled: canManage });

  return (
    <>
      <PageHeader title="Team" description={me ? `Who can sign in to ${me.tenant.name}, and with which role.` : undefined} />
      {me && !canManage && <Notice>Only owners and admins can invite people or change roles.</Notice>}
      <section className="card stack" aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        {members.error && (
          <div className="stack">
            <ErrorBanner error={members.error} />
            <div>
              <button type="button" className="btn btn-secondary btn-sm" onClick={() => void members.reload()}>
                Try again
              </button>
            </div>
          </div>
        )}
        {members.loading && !members.data && <Loading label="Loading members…" />}
        {members.data && members.data.length === 0 && <EmptyState title="No members" />}
        {members.data && members.data.length > 0 && (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Last sign-in</th>
                  <th scope="col">Joined</th>
                  {canManage && <th scope="col">Actions</th>}
                </tr>
              </thead>
              <tbody>
                {members.data.map((m) => (
                  <MemberRow
                    key={m.id}
                    member={m}
                    isMe={m.id === me?.user.id}
                    canManage={canManage}
                    canManageOwners={canManageOwners}
                    onChanged={(u) => {
                      members.setData((members.data ?? []).map((x) => (x.id === u.id ? u : x)));
                      changed();
                    }}
                    onRemoved={() => {
                      members.setData((members.data ?? []).filter((x) => x.id !== m.id));
                      changed();
                    }}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {canManage && (
        <>
          <InviteForm
            canManageOwners={canManageOwners}
            onInvited={() => {
              void invitations.reload();
              changed();
            }}
          />
          <InvitationsList state={invitations} onRevoked={changed} />
        </>
      )}
      {can('audit.read') && <AuditSection changes={changes} />}
    </>
  );
}
