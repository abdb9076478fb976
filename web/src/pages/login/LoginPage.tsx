import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { api, call } from '../../api/client';
import { ApiError } from '../../api/errors';
import { Notice } from '../../components/ErrorBanner';
import { FormErrorBanner } from './FormErrorBanner';
import { Field } from '../../components/Field';
import { useAction } from '../../lib/use-api';
import { useSession } from '../../session/SessionContext';
import { AuthFrame } from './AuthFrame';
import { useAuthOptions } from './use-auth-options';

interface TenantChoice {
  slug: string;
  name: string;
}

/** Only same-origin paths are followed after sign-in (`?next=//evil.example` is not). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** The tenants a 409 TENANT_REQUIRED names: `details[]` with `slug`, the tenant name as `message`. */
function tenantChoices(error: ApiError): TenantChoice[] {
  return error.details.flatMap((d) => (typeof d.slug === 'string' ? [{ slug: d.slug, name: d.message }] : []));
}

/** The sentence for a failed sign-in: the API's wording is about the API, this one about the person. */
function loginMessage(error: ApiError): ApiError {
  if (error.status === 401) return new ApiError(401, 'Wrong email or password.', error.code, error.details, error.requestId);
  return error;
}

export default function LoginPage() {
  const { signedIn, signIn, endedBecause } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const options = useAuthOptions();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [tenants, setTenants] = useState<TenantChoice[]>([]);
  const [tenant, setTenant] = useState('');
  const next = safeNext(params.get('next'));

  const login = useAction(async () => {
    try {
      const res = await call(api.POST('/api/auth/login', { body: { email, password, ...(tenant ? { tenant } : {}) } }));
      await signIn(res.accessToken);
      navigate(next, { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'TENANT_REQUIRED') {
        const choices = tenantChoices(e);
        setTenants(choices);
        setTenant(choices[0]?.slug ?? '');
        return;
      }
      throw e instanceof ApiError ? loginMessage(e) : e;
    }
  });
  const dev = useAction(async () => {
    const res = await call(api.POST('/api/auth/dev-login'));
    await signIn(res.accessToken);
    navigate(next, { replace: true });
  });

  // Already signed in (a second tab, the back button): nothing to do here. Not while a sign-in
  // is running: that one navigates to `next` itself.
  if (signedIn && !login.busy && !dev.busy) return <Navigate to={next} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void login.run();
  };
  const fieldErrors = login.error?.fieldErrors ?? {};

  return (
    <AuthFrame title="Sign in">
      {endedBecause === 'expired' && <Notice tone="warning">Your session has ended. Please sign in again.</Notice>}
      <FormErrorBanner error={login.error ?? dev.error} shownOnFields={['email', 'password', 'tenant']} />
      <form className="form stack" onSubmit={submit} noValidate>
        <Field label="Email" error={fieldErrors.email} required>
          {(a) => (
            <input
              {...a}
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field label="Password" error={fieldErrors.password} required>
          {(a) => (
            <input
              {...a}
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        {tenants.length > 0 && (
          <Field
            label="Team"
            hint="This email and password open accounts in several teams: choose one."
            error={fieldErrors.tenant}
            required
          >
            {(a) => (
              <select {...a} name="tenant" value={tenant} onChange={(e) => setTenant(e.target.value)}>
                {tenants.map((t) => (
                  <option key={t.slug} value={t.slug}>
                    {t.name} ({t.slug})
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <button type="submit" className="btn" disabled={login.busy}>
          {login.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {options.data?.devMode && (
        <button type="button" className="btn btn-secondary" disabled={dev.busy} onClick={() => void dev.run()}>
          {dev.busy ? 'Signing in…' : 'Skip Login – Dev Mode'}
        </button>
      )}
      {(options.data?.registration ?? true) && (
        <p className="small">
          New to Flowgate? <Link to="/register">Create an account</Link>
        </p>
      )}
    </AuthFrame>
  );
}
