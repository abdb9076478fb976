import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { api, call } from '../../api/client';
import { FormErrorBanner } from './FormErrorBanner';
import { Field } from '../../components/Field';
import { useAction } from '../../lib/use-api';
import { useSession } from '../../session/SessionContext';
import { AuthFrame } from './AuthFrame';

/** Creates a team (tenant) and its owner account, then signs in. */
export default function RegisterPage() {
  const { signedIn, signIn } = useSession();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [tenantName, setTenantName] = useState('');

  const register = useAction(async () => {
    const res = await call(api.POST('/api/auth/register', { body: { email, password, tenantName } }));
    await signIn(res.accessToken);
    navigate('/', { replace: true });
  });

  if (signedIn && !register.busy) return <Navigate to="/" replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void register.run();
  };
  const fieldErrors = register.error?.fieldErrors ?? {};

  return (
    <AuthFrame title="Create your account">
      <FormErrorBanner error={register.error} shownOnFields={['email', 'password', 'tenantName']} />
      <form className="form stack" onSubmit={submit} noValidate>
        <Field label="Email" error={fieldErrors.email} required>
          {(a) => <input {...a} type="email" name="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <Field label="Password" hint="At least 8 characters." error={fieldErrors.password} required>
          {(a) => (
            <input
              {...a}
              type="password"
              name="password"
              autoComplete="new-password"
              minLength={8}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <Field label="Team name" hint="Your organisation; you become its owner." error={fieldErrors.tenantName} required>
          {(a) => (
            <input
              {...a}
              name="tenantName"
              autoComplete="organization"
              value={tenantName}
              onChange={(e) => setTenantName(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="btn" disabled={register.busy}>
          {register.busy ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p className="small">
        Already have an account? <Link to="/login">Sign in</Link>
      </p>
    </AuthFrame>
  );
}
