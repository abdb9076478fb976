import { useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/generated/schema';
import { ErrorBanner } from '../../components/ErrorBanner';
import { EmptyState, Loading } from '../../components/Loading';
import { useApi } from '../../lib/use-api';
import { Pager } from './Pager';

type Location = components['schemas']['LocationDto'];
type Contact = components['schemas']['ContactDto'];
type Product = components['schemas']['ProductDto'];
type Kind = 'locations' | 'contacts' | 'products';

const LIMIT = 25;

/** The columns shown per record kind (the full provider record stays in `data`). */
const HEADERS: Record<Kind, string[]> = {
  locations: ['Name', 'Address', 'Provider id'],
  contacts: ['Name', 'Email', 'Phone'],
  products: ['Name', 'SKU', 'Price'],
};

interface Rows {
  total: number;
  limit: number;
  rows: Array<{ id: string; cells: Array<string | null> }>;
}

const locationCells = (r: Location) => [r.name, r.address, r.externalId];
const contactCells = (r: Contact) => [r.name, r.email, r.phone];
const productCells = (r: Product) => [r.name, r.sku, r.price];

/** One page of a kind, as rows of cells in HEADERS order. */
async function load(kind: Kind, id: string, page: number): Promise<Rows> {
  const params = { params: { path: { id }, query: { page, limit: LIMIT } } };
  if (kind === 'locations') {
    const p = await call(api.GET('/api/companies/{id}/locations', params));
    return { ...p, rows: p.items.map((r) => ({ id: r.id, cells: locationCells(r) })) };
  }
  if (kind === 'contacts') {
    const p = await call(api.GET('/api/companies/{id}/contacts', params));
    return { ...p, rows: p.items.map((r) => ({ id: r.id, cells: contactCells(r) })) };
  }
  const p = await call(api.GET('/api/companies/{id}/products', params));
  return { ...p, rows: p.items.map((r) => ({ id: r.id, cells: productCells(r) })) };
}

/** One kind of synced record, paged as the API pages. `version` reloads it after a sync. */
export function CompanyRecords({ kind, companyId, title, version }: { kind: Kind; companyId: string; title: string; version: number }) {
  const [page, setPage] = useState(1);
  const records = useApi(() => load(kind, companyId, page), [kind, companyId, page, version]);
  const data = records.data;
  const headers = HEADERS[kind];
  const headingId = `records-${kind}`;

  return (
    <section className="card stack" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {title}
        {data && <span className="muted small"> ({data.total})</span>}
      </h2>
      <ErrorBanner error={records.error} />
      {!data && records.loading && <Loading label={`Loading ${title.toLowerCase()}…`} />}
      {data && data.rows.length === 0 && <EmptyState title={`No ${title.toLowerCase()} synced yet.`} />}
      {data && data.rows.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>
                {headers.map((label) => (
                  <th scope="col" key={label}>
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.id}>
                  {r.cells.map((cell, i) =>
                    i === 0 ? (
                      <th scope="row" key={headers[i]}>
                        {cell ?? '—'}
                      </th>
                    ) : (
                      <td key={headers[i]}>{cell ?? '—'}</td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && <Pager label={title} page={page} limit={data.limit} total={data.total} onPage={setPage} />}
    </section>
  );
}
