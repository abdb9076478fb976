import { useState, type FormEvent } from 'react';
import { api, call } from '../../api/client';
import { CopyButton } from '../../components/CopyButton';
import { Notice } from '../../components/ErrorBanner';
import { FormErrorBanner } from '../login/FormErrorBanner';
import { Field } from '../../components/Field';
import { useAction } from '../../lib/use-api';
import { grantableRoles, ROLES, type CreatedInvitation, type Role } from './types';

/** What happened to the email, from the create answer's `delivery`. */
function deliveryNote(i: CreatedInvitation): string {
  switch (i.delivery) {
    case 'sent':
      return `An email with this link was sent to ${i.email}.`;
    case 'failed':
      return `The email to ${i.email} could not be sent: pass this link on yourself.`;
    default:
      return `No email is sent from this deployment: pass this link on to ${i.email} yourself.`;
  }
}

/**
 * Invite by email and role. The answer's link holds the single-use token, and the API shows it
 * only once: it is displayed here until the next invitation (never stored), with a copy button.
 */
export function InviteForm({ canManageOwners, onInvited }: { canManageOwners: boolean; onInvited: () => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [created, setCreated] = useState<CreatedInvitation>();
  const invite = useAction(async () => call(api.POST('/api/tenants/current/invitations', { body: { email, role } })));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setCreated(undefined);
    const res = await invite.run();
    if (!res) return;
    setCreated(res);
    setEmail('');
    onInvited();
  };
  const errors = invite.error?.fieldErrors ?? {};

  return (
    <section className="card stack" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite someone</h2>
      <FormErrorBanner error={invite.error} shownOnFields={['email', 'role']} />
      <form className="inline-fields" onSubmit={submit} noValidate aria-labelledby="invite-heading">
        <Field label="Email to invite" error={errors.email} required>
          {(a) => (
            <input {...a} type="email" name="inviteEmail" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />
          )}
        </Field>
        <Field label="Role for the invitee" error={errors.role}>
          {(a) => (
            <select {...a} name="inviteRole" value={role} onChange={(e) => setRole(ROLES.find((r) => r === e.target.value) ?? 'member')}>
              {grantableRoles(canManageOwners).map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="field">
          <button type="submit" className="btn" disabled={invite.busy}>
            {invite.busy ? 'Inviting…' : 'Send invitation'}
          </button>
        </div>
      </form>
      {created && (
        <Notice tone="success">
          <div className="stack">
            <span>
              Invitation created for {created.email} ({created.role}). {deliveryNote(created)} This link is shown only now.
            </span>
            <div className="row">
              <label className="sr-only" htmlFor="invite-link">
                Invitation link
              </label>
              <input id="invite-link" className="mono" readOnly value={created.inviteUrl} onFocus={(e) => e.target.select()} />
              <CopyButton value={created.inviteUrl} label="Copy link" />
            </div>
          </div>
        </Notice>
      )}
    </section>
  );
}
