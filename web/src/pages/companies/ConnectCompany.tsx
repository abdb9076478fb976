import { useState, type FormEvent } from 'react';
import { api, call } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { components } from '../../api/generated/schema';
import { ErrorBanner, Notice } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { openNangoConnect } from './nango-connect';

type ConnectSession = components['schemas']['OAuthUrlDto'];
type Company = components['schemas']['CompanyDto'];

const asApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, (e as Error).message));

/**
 * "Connect a company": a Nango connect session for an integration, Nango's Connect UI for the
 * customer, then Flowgate's callback (with the session's signed `state`) records the company.
 * The connect link is also offered as a plain link, for when the embedded UI cannot open.
 */
export function ConnectCompany({ onConnected }: { onConnected: (company: Company) => void }) {
  const [integrationId, setIntegrationId] = useState('');
  const [connect, setConnect] = useState<ConnectSession>();
  const [busy, setBusy] = useState<'session' | 'callback'>();
  const [error, setError] = useState<ApiError>();
  const [connected, setConnected] = useState<Company>();

  /** Flowgate's callback: finds the connection Nango made for this session and records it. */
  const finish = async (s: ConnectSession) => {
    setBusy('callback');
    setError(undefined);
    try {
      const res = await call(api.GET('/api/auth/callback', { params: { query: { state: s.state } } }));
      setConnected(res.company);
      setConnect(undefined);
      onConnected(res.company);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(undefined);
    }
  };

  const start = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setConnected(undefined);
    if (!integrationId.trim()) {
      setError(
        new ApiError(400, 'Enter the integration id.', 'VALIDATION', [
          { field: 'integration_id', message: 'Enter the integration id (for example quickbooks).' },
        ]),
      );
      return;
    }
    setBusy('session');
    let s: ConnectSession;
    try {
      s = await call(api.GET('/api/auth/oauth-url', { params: { query: { integration_id: integrationId.trim() } } }));
      setConnect(s);
    } catch (err) {
      setError(asApiError(err));
      setBusy(undefined);
      return;
    }
    setBusy(undefined);
    try {
      if (await openNangoConnect(s)) await finish(s);
    } catch (err) {
      setError(asApiError(err));
    }
  };

  return (
    <section className="card stack" aria-labelledby="connect-heading">
      <h2 id="connect-heading">Connect a company</h2>
      <form className="form" onSubmit={start} noValidate>
        <Field
          label="Integration id"
          hint="The Nango integration (provider config key) to connect, for example quickbooks or hubspot."
          error={error?.fieldErrors['integration_id']}
          required
        >
          {(props) => <input {...props} value={integrationId} onChange={(e) => setIntegrationId(e.target.value)} autoComplete="off" />}
        </Field>
        <div className="row">
          <button type="submit" className="btn" disabled={busy !== undefined}>
            {busy === 'session' ? 'Opening…' : 'Connect a company'}
          </button>
        </div>
      </form>
      {error && !error.fieldErrors['integration_id'] && <ErrorBanner error={error} onDismiss={() => setError(undefined)} />}
      {connect && (
        <div className="stack" aria-live="polite">
          <p className="muted small">
            Nango Connect opened for <strong>{connect.integrationId}</strong>. If it did not appear, use the link, then come back here.
          </p>
          <div className="row">
            <a href={connect.connectLink} target="_blank" rel="noreferrer noopener">
              Open Nango Connect in a new tab
            </a>
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => void finish(connect)} disabled={busy !== undefined}>
              {busy === 'callback' ? 'Checking…' : 'I finished connecting'}
            </button>
          </div>
        </div>
      )}
      {connected && <Notice tone="success">Connected {connected.businessName ?? connected.connectionId}.</Notice>}
    </section>
  );
}
