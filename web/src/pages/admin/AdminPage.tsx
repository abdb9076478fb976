import { useCallback, useState } from 'react';
import { ErrorBanner, Notice } from '../../components/ErrorBanner';
import { PageHeader } from '../../components/PageHeader';
import { session } from '../../session/session';
import { AdminTokenForm } from './AdminTokenForm';
import { AdminTokenRefused } from './admin-call';
import { SystemHealth } from './SystemHealth';
import { TokenStatusTable } from './TokenStatusTable';
import './admin.css';

/**
 * Operator page: everything here is called with the server's admin token (X-Admin-Token), not
 * the user's role, so it is shown to whoever holds that token, kept for this tab only.
 */
export default function AdminPage() {
  const [token, setToken] = useState(() => session.adminToken());
  const [refused, setRefused] = useState<AdminTokenRefused>();

  const use = (t: string) => {
    session.setAdminToken(t);
    setRefused(undefined);
    setToken(t);
  };
  const forget = () => {
    session.setAdminToken(null);
    setToken(null);
  };
  // A refused token was already forgotten by adminCall: back to the form, with why.
  const onRefused = useCallback((e: unknown) => {
    if (e instanceof AdminTokenRefused) {
      setRefused(e);
      setToken(null);
    }
  }, []);

  return (
    <>
      <PageHeader
        title="Admin"
        description="Operator tools across every tenant: company token health, token refresh, system health."
        actions={
          token && (
            <button type="button" className="btn btn-secondary" onClick={forget}>
              Forget admin token
            </button>
          )
        }
      />
      <div className="stack">
        <ErrorBanner error={refused} />
        {!token && <AdminTokenForm onSubmit={use} />}
        {token && (
          <>
            <Notice>The admin token is kept for this tab only.</Notice>
            <SystemHealth key={`h-${token}`} onRefused={onRefused} />
            <TokenStatusTable key={`t-${token}`} onRefused={onRefused} />
          </>
        )}
      </div>
    </>
  );
}
