import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, call } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { EmptyState, Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useApi } from '../../lib/use-api';
import { ConnectorCard } from './ConnectorCard';
import { ConnectorDetail } from './ConnectorDetail';
import { matches } from './connector-search';
import './connectors.css';

/** The catalogue (`/connectors`), or one connector in full (`/connectors?key=http`): a link can open either. */
export default function ConnectorsPage() {
  const [search] = useSearchParams();
  const key = search.get('key');
  return (
    <>
      <PageHeader title="Connectors" description="The services a workflow step can call, their actions and the credentials they take." />
      {key ? <ConnectorView connectorKey={key} /> : <Catalogue />}
    </>
  );
}

function Catalogue() {
  const connectors = useApi(() => call(api.GET('/api/connectors')), []);
  const [query, setQuery] = useState('');
  const shown = connectors.data?.filter((c) => matches(c, query)) ?? [];
  return (
    <>
      <div className="connectors-search">
        <Field label="Search connectors" hint="By name, key, description or action">
          {(a) => <input {...a} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />}
        </Field>
      </div>
      <ErrorBanner error={connectors.error} />
      {connectors.loading && !connectors.data ? (
        <Loading label="Loading connectors…" />
      ) : connectors.data && shown.length === 0 ? (
        <EmptyState title={query ? `No connector matches “${query}”` : 'No connector available'}>
          {query && (
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => setQuery('')}>
              Clear search
            </button>
          )}
        </EmptyState>
      ) : (
        <>
          {connectors.data && (
            <p className="muted small" role="status">
              {shown.length} of {connectors.data.length} connectors
            </p>
          )}
          <div className="grid grid-2 connectors-grid">
            {shown.map((c) => (
              <ConnectorCard key={c.key} connector={c} />
            ))}
          </div>
        </>
      )}
    </>
  );
}

function ConnectorView({ connectorKey }: { connectorKey: string }) {
  const connector = useApi(() => call(api.GET('/api/connectors/{key}', { params: { path: { key: connectorKey } } })), [connectorKey]);
  return (
    <>
      <p>
        <Link to="/connectors">← All connectors</Link>
      </p>
      <ErrorBanner error={connector.error} />
      {connector.loading && !connector.data ? (
        <Loading label="Loading the connector…" />
      ) : (
        connector.data && <ConnectorDetail connector={connector.data} />
      )}
    </>
  );
}
