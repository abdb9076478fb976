import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, call } from '../../api/client';
import type { ApiError } from '../../api/errors';
import { ErrorBanner, Notice } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { Loading } from '../../components/Loading';
import { dateTime } from '../../lib/format';
import { useAction, useApi } from '../../lib/use-api';
import { useSession } from '../../session/SessionContext';
import { AuthFrame } from '../login/AuthFrame';
import './invitation.css';

/**
 * The token is in the link's fragment (`#token=…`), which browsers never send to a server. It is
 * read on the first render, then removed from the address bar (an effect, so a double render
 * still reads it) so it stays neither in history nor in a bookmark or a shared screenshot.
 */
function tokenFromFragment(): string {
  return new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
}

function forgetFragment(): void {
  if (window.location.hash) window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
}

/** 404/410 of lookup and accept: the link itself is unusable, whatever is typed. */
function linkProblem(error: ApiError | undefined): string | undefined {
  switch (error?.code) {
    case 'INVITATION_NOT_FOUND':
      return 'This invitation link is not valid. Check that you copied the whole link, or ask for a new invitation.';
    case 'INVITATION_EXPIRED':
      return 'This invitation has expired. Ask the person who invited you for a new one.';
    case 'INVITATION_REVOKED':
      return 'This invitation was withdrawn (or replaced by a newer one). Ask for a new invitation.';
    case 'INVITATION_USED':
      return 'This invitation has already been accepted. Sign in instead.';
  }
  if (error?.status === 400 && error.fieldErrors.token)
    return 'This invitation link is incomplete. Open the whole link from the invitation.';
  return undefined;
}

export default function InvitationAcceptPage() {
  const [token] = useState(tokenFromFragment);
  useEffect(forgetFragment, []);
  const { signIn, signOut, signedIn, me } = useSession();
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const lookup = useApi(() => call(api.POST('/api/invitations/lookup', { body: { token } })), [token], { enabled: token !== '' });
  const accept = useAction(async () => {
    // Signed in with the invited email: the bearer token (sent by the client) is enough.
    const res = await call(api.POST('/api/invitations/accept', { body: signedIn ? { token } : { token, password } }));
    await signIn(res.accessToken);
    navigate('/', { replace: true });
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void accept.run();
  };

  const gone = token === '' ? 'This page needs the link from your invitation email or message.' : linkProblem(lookup.error ?? accept.error);
  if (gone) {
    return (
      <AuthFrame title="Invitation">
        <div className="banner banner-error" role="alert">
          {gone}
        </div>
        <p className="small">
          <Link to="/login">Go to sign in</Link>
        </p>
      </AuthFrame>
    );
  }
  if (lookup.loading || (!lookup.data && !lookup.error)) return <Loading label="Checking your invitation…" />;
  if (!lookup.data) {
    return (
      <AuthFrame title="Invitation">
        <ErrorBanner error={lookup.error} />
        <button type="button" className="btn btn-secondary" onClick={() => void lookup.reload()}>
          Try again
        </button>
      </AuthFrame>
    );
  }

  const inv = lookup.data;
  if (signedIn && me && me.user.email !== inv.email) {
    // Accepting while signed in uses that account: only the invited email's may (403 otherwise).
    return (
      <AuthFrame title={`Join ${inv.tenant.name}`}>
        <Notice tone="warning">
          This invitation is for {inv.email}, but you are signed in as {me.user.email}. Sign out, then open the invitation link again.
        </Notice>
        <button type="button" className="btn btn-secondary" onClick={signOut}>
          Sign out
        </button>
      </AuthFrame>
    );
  }
  const wrongPassword = accept.error?.status === 401 ? 'This email already has a Flowgate account: enter its password.' : undefined;
  return (
    <AuthFrame title={`Join ${inv.tenant.name}`}>
      <dl className="stack small invitation-facts">
        <div>
          <dt className="muted">Team</dt>
          <dd>
            {inv.tenant.name} <span className="mono muted">({inv.tenant.slug})</span>
          </dd>
        </div>
        <div>
          <dt className="muted">Invited email</dt>
          <dd>{inv.email}</dd>
        </div>
        <div>
          <dt className="muted">Role</dt>
          <dd>{inv.role}</dd>
        </div>
        <div>
          <dt className="muted">Link valid until</dt>
          <dd>{dateTime(inv.expiresAt)}</dd>
        </div>
      </dl>
      {accept.error && !wrongPassword && <ErrorBanner error={accept.error} />}
      <form className="form stack" onSubmit={submit} noValidate>
        {signedIn ? (
          <p className="small">You are signed in as {inv.email}: accepting adds this team to your account.</p>
        ) : (
          <Field
            label="Password"
            hint="New to Flowgate: choose a password (at least 8 characters). Already have an account with this email: enter its password."
            error={wrongPassword ?? accept.error?.fieldErrors.password}
            required
          >
            {(a) => (
              <input
                {...a}
                type="password"
                name="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </Field>
        )}
        <button type="submit" className="btn" disabled={accept.busy}>
          {accept.busy ? 'Joining…' : 'Accept invitation'}
        </button>
      </form>
    </AuthFrame>
  );
}
