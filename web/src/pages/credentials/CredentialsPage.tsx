import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, call } from '../../api/client';
import { ErrorBanner, Notice } from '../../components/ErrorBanner';
import { EmptyState, Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useApi } from '../../lib/use-api';
import { useSession } from '../../session/SessionContext';
import { CredentialForm } from './CredentialForm';
import { CredentialRow } from './CredentialRow';
import type { Connector, Credential } from './types';
import './tables.css';

type Editing = { mode: 'create' } | { mode: 'edit'; credential: Credential } | undefined;

/**
 * Connections: the team's stored credentials (secrets never come back, only a masked hint).
 * Owners and admins create, edit, test and delete; members see the list only.
 */
export default function CredentialsPage() {
  const { can, me } = useSession();
  const canWrite = can('credentials.write');
  const [params] = useSearchParams();
  const wanted = params.get('connector') ?? undefined;
  const [editing, setEditing] = useState<Editing>();
  // `?connector=slack` (from the Connectors page) opens the create form once the role is known.
  const openedFromUrl = useRef(false);
  useEffect(() => {
    if (wanted && canWrite && !openedFromUrl.current) {
      openedFromUrl.current = true;
      setEditing({ mode: 'create' });
    }
  }, [wanted, canWrite]);
  const [saved, setSaved] = useState<string>();
  const list = useApi(() => call(api.GET('/api/credentials')), []);
  const connectors = useApi(() => call(api.GET('/api/connectors')), []);
  const byKey = new Map<string, Connector>((connectors.data ?? []).map((c) => [c.key, c]));

  const replace = (c: Credential) => list.setData((list.data ?? []).map((x) => (x.id === c.id ? c : x)));

  return (
    <>
      <PageHeader
        title="Connections"
        description="Credentials your workflows use to call connectors. Secrets are encrypted and never shown again."
        actions={
          canWrite &&
          !editing && (
            <button type="button" className="btn" onClick={() => setEditing({ mode: 'create' })} disabled={!connectors.data}>
              New connection
            </button>
          )
        }
      />
      {me && !canWrite && <Notice>Only owners and admins can add or change connections.</Notice>}
      {saved && <Notice tone="success">{saved}</Notice>}
      <ErrorBanner error={connectors.error} />
      {editing && connectors.data && (
        <CredentialForm
          key={editing.mode === 'edit' ? editing.credential.id : 'create'}
          connectors={connectors.data}
          editing={editing.mode === 'edit' ? editing.credential : undefined}
          initialConnector={wanted}
          onCancel={() => setEditing(undefined)}
          onSaved={(c) => {
            setEditing(undefined);
            setSaved(`Saved ${c.name}.`);
            void list.reload();
          }}
        />
      )}
      <section className="card stack" aria-labelledby="connections-list">
        <h2 id="connections-list">Your connections</h2>
        {list.error && (
          <div className="stack">
            <ErrorBanner error={list.error} />
            <div>
              <button type="button" className="btn btn-secondary btn-sm" onClick={() => void list.reload()}>
                Try again
              </button>
            </div>
          </div>
        )}
        {list.loading && !list.data && <Loading label="Loading connections…" />}
        {list.data && list.data.length === 0 && (
          <EmptyState title="No connections yet">
            <p className="muted small">
              {canWrite ? 'Add one with “New connection”, or start from a connector on the ' : 'An owner or admin can add one; see the '}
              <Link to="/connectors">Connectors</Link> page.
            </p>
          </EmptyState>
        )}
        {list.data && list.data.length > 0 && (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Connector</th>
                  <th scope="col">Auth kind</th>
                  <th scope="col">Secret</th>
                  <th scope="col">Allowed hosts</th>
                  <th scope="col">Usable</th>
                  <th scope="col">Last test</th>
                  {canWrite && <th scope="col">Actions</th>}
                </tr>
              </thead>
              <tbody>
                {list.data.map((c) => (
                  <CredentialRow
                    key={c.id}
                    credential={c}
                    canWrite={canWrite}
                    connectorName={byKey.get(c.connectorKey)?.name ?? c.connectorKey}
                    onEdit={() => {
                      setSaved(undefined);
                      setEditing({ mode: 'edit', credential: c });
                    }}
                    onChanged={replace}
                    onDeleted={() => {
                      setSaved(`Deleted ${c.name}.`);
                      list.setData((list.data ?? []).filter((x) => x.id !== c.id));
                    }}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
