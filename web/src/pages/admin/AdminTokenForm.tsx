import { useState, type FormEvent } from 'react';
import { Field } from '../../components/Field';

/** The operator's admin token: a password field, kept in sessionStorage (this tab only). */
export function AdminTokenForm({ onSubmit }: { onSubmit: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!token.trim()) {
      setError('Enter the admin token.');
      return;
    }
    onSubmit(token.trim());
    setToken('');
  };
  return (
    <section className="card" aria-labelledby="admin-token-heading">
      <h2 id="admin-token-heading">Sign in as operator</h2>
      <form className="form" onSubmit={submit} noValidate>
        <Field
          label="Admin token"
          hint="The server's ADMIN_TOKEN. Kept for this tab only: closing the tab forgets it."
          error={error}
          required
        >
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="off"
              value={token}
              onChange={(e) => {
                setToken(e.target.value);
                setError(undefined);
              }}
            />
          )}
        </Field>
        <div className="row">
          <button type="submit" className="btn">
            Use admin token
          </button>
        </div>
      </form>
    </section>
  );
}
