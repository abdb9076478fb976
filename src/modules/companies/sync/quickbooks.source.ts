import { SyncEntity } from '../entities/sync-run.entity';
import { ContactRow, LocationRow, ProductRow, SyncedRows } from '../synced-records.repository';
import { capData, str, SyncContext, SyncSource } from './sync-source';

type QboRecord = Record<string, unknown> & { Id?: string | number };

const OBJECT: Record<SyncEntity, string> = { locations: 'Department', contacts: 'Customer', products: 'Item' };
const PAGE_SIZE = 100;

/**
 * QuickBooks Online: `GET /v3/company/{realmId}/query?query=select * from <Object>
 * STARTPOSITION n MAXRESULTS m`; pages end when fewer than `m` records come back.
 */
export class QuickBooksSource implements SyncSource {
  readonly name = 'quickbooks';
  readonly entities: SyncEntity[] = ['locations', 'contacts', 'products'];

  async pull<E extends SyncEntity>(entity: E, ctx: SyncContext, onPage: (rows: Array<SyncedRows[E]>) => Promise<void>): Promise<number> {
    const realmId = str(ctx.connectionConfig.realmId) ?? str(ctx.connectionConfig.realm_id);
    if (!realmId) throw new Error('the connection has no realmId in its connection_config');
    const object = OBJECT[entity];
    let total = 0;
    for (let start = 1; ; start += PAGE_SIZE) {
      const res = await ctx.nango.proxyGet<{ QueryResponse?: Record<string, unknown> }>({
        providerConfigKey: ctx.providerConfigKey,
        connectionId: ctx.connectionId,
        endpoint: `/v3/company/${encodeURIComponent(realmId)}/query`,
        params: { query: `select * from ${object} STARTPOSITION ${start} MAXRESULTS ${PAGE_SIZE}`, minorversion: '73' },
      });
      const records = (res?.QueryResponse?.[object] as QboRecord[] | undefined) ?? [];
      const rows = records.filter((r) => r.Id !== undefined && r.Id !== null).map((r) => this.map(entity, r)) as Array<SyncedRows[E]>;
      if (rows.length) await onPage(rows);
      total += rows.length;
      if (records.length < PAGE_SIZE) return total;
    }
  }

  private map(entity: SyncEntity, r: QboRecord): LocationRow | ContactRow | ProductRow {
    const externalId = String(r.Id);
    const data = capData(r);
    if (entity === 'locations') return { externalId, name: str(r.FullyQualifiedName) ?? str(r.Name), address: null, data };
    if (entity === 'contacts') {
      const name = str(r.DisplayName) ?? ([str(r.GivenName), str(r.FamilyName)].filter(Boolean).join(' ') || str(r.CompanyName));
      return {
        externalId,
        name,
        email: str((r.PrimaryEmailAddr as { Address?: unknown } | undefined)?.Address),
        phone: str((r.PrimaryPhone as { FreeFormNumber?: unknown } | undefined)?.FreeFormNumber),
        data,
      };
    }
    const price = typeof r.UnitPrice === 'number' || typeof r.UnitPrice === 'string' ? String(r.UnitPrice) : null;
    return {
      externalId,
      name: str(r.Name),
      sku: str(r.Sku),
      price: price && /^-?\d+(\.\d+)?$/.test(price) ? price : null,
      description: str(r.Description),
      data,
    };
  }
}
