import { useState } from 'react';
import { api, call } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { dateTime, relativeTime } from '../../lib/format';
import { useAction } from '../../lib/use-api';
import { ConfirmButton } from '../credentials/ConfirmButton';
import { grantableRoles, ROLES, type Member, type Role } from './types';

/** LAST_OWNER is the one 409 here; say what to do about it rather than "reload". */
function explain(error: { code?: string; message: string } | undefined): string | undefined {
  if (error?.code === 'LAST_OWNER') return 'A team keeps at least one owner: make someone else owner first.';
  return undefined;
}

export function MemberRow({
  member: m,
  isMe,
  canManage,
  canManageOwners,
  onChanged,
  onRemoved,
}: {
  member: Member;
  isMe: boolean;
  canManage: boolean;
  canManageOwners: boolean;
  onChanged: (m: Member) => void;
  onRemoved: () => void;
}) {
  const [saved, setSaved] = useState(false);
  const changeRole = useAction(async (role: Role) => {
    setSaved(false);
    const updated = await call(
      api.PUT('/api/tenants/current/members/{userId}/role', { params: { path: { userId: m.id } }, body: { role } }),
    );
    onChanged(updated);
    setSaved(true);
  });
  const remove = useAction(async () => {
    await call(api.DELETE('/api/tenants/current/members/{userId}', { params: { path: { userId: m.id } } }));
    onRemoved();
  });
  // An admin can touch neither an owner nor the owner role.
  const editable = canManage && (canManageOwners || m.role !== 'owner');
  const error = changeRole.error ?? remove.error;
  const hint = explain(error);

  return (
    <tr>
      <th scope="row">
        {m.email} {isMe && <span className="badge badge-info">you</span>}
      </th>
      <td>
        {editable ? (
          <select
            aria-label={`Role of ${m.email}`}
            value={m.role}
            disabled={changeRole.busy}
            onChange={(e) => {
              const role = ROLES.find((r) => r === e.target.value);
              if (role) void changeRole.run(role);
            }}
          >
            {grantableRoles(canManageOwners).map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        ) : (
          m.role
        )}
        {editable && (
          <span className="small muted" role="status">
            {changeRole.busy ? ' Saving…' : saved ? ' Role saved' : ''}
          </span>
        )}
      </td>
      <td>
        {m.lastLoginAt ? (
          <time dateTime={m.lastLoginAt} title={dateTime(m.lastLoginAt)}>
            {relativeTime(m.lastLoginAt)}
          </time>
        ) : (
          <span className="muted">never</span>
        )}
      </td>
      <td>
        <time dateTime={m.createdAt}>{dateTime(m.createdAt)}</time>
      </td>
      {canManage && (
        <td>
          {editable && (
            <ConfirmButton
              label={`Remove ${m.email}`}
              text="Remove"
              question={isMe ? 'Remove yourself from this team?' : `Remove ${m.email}?`}
              confirmLabel="Remove"
              busy={remove.busy}
              onConfirm={() => void remove.run()}
            />
          )}
          {error && <ErrorBanner error={hint ? { name: 'ApiError', message: hint } : error} />}
        </td>
      )}
    </tr>
  );
}
