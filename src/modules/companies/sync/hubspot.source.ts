import { SyncEntity } from '../entities/sync-run.entity';
import { ContactRow, ProductRow, SyncedRows } from '../synced-records.repository';
import { capData, str, SyncContext, SyncSource } from './sync-source';

interface HubSpotPage {
  results?: Array<{ id?: string; properties?: Record<string, unknown> }>;
  paging?: { next?: { after?: string } };
}

const ENDPOINT: Partial<Record<SyncEntity, { path: string; properties: string }>> = {
  contacts: { path: '/crm/v3/objects/contacts', properties: 'firstname,lastname,email,phone' },
  products: { path: '/crm/v3/objects/products', properties: 'name,price,hs_sku,description' },
};

/** HubSpot CRM v3: `?limit=100&after=<cursor>` until `paging.next` is absent. No locations. */
export class HubSpotSource implements SyncSource {
  readonly name = 'hubspot';
  readonly entities: SyncEntity[] = ['contacts', 'products'];

  async pull<E extends SyncEntity>(entity: E, ctx: SyncContext, onPage: (rows: Array<SyncedRows[E]>) => Promise<void>): Promise<number> {
    const ep = ENDPOINT[entity];
    if (!ep) return 0;
    let total = 0;
    let after: string | undefined;
    for (let guard = 0; guard < 100_000; guard++) {
      const params: Record<string, string> = { limit: '100', properties: ep.properties };
      if (after) params.after = after;
      const page = await ctx.nango.proxyGet<HubSpotPage>({
        providerConfigKey: ctx.providerConfigKey,
        connectionId: ctx.connectionId,
        endpoint: ep.path,
        params,
      });
      const rows = (page?.results ?? []).filter((r) => r.id).map((r) => this.map(entity, r)) as Array<SyncedRows[E]>;
      if (rows.length) await onPage(rows);
      total += rows.length;
      const next = page?.paging?.next?.after;
      if (!next || next === after) return total;
      after = next;
    }
    throw new Error('HubSpot pagination did not end');
  }

  private map(entity: SyncEntity, r: { id?: string; properties?: Record<string, unknown> }): ContactRow | ProductRow {
    const p = r.properties ?? {};
    const data = capData(r as Record<string, unknown>);
    if (entity === 'contacts') {
      return {
        externalId: String(r.id),
        name: [str(p.firstname), str(p.lastname)].filter(Boolean).join(' ') || null,
        email: str(p.email),
        phone: str(p.phone),
        data,
      };
    }
    const price = str(p.price);
    return {
      externalId: String(r.id),
      name: str(p.name),
      sku: str(p.hs_sku),
      price: price && /^-?\d+(\.\d+)?$/.test(price) ? price : null,
      description: str(p.description),
      data,
    };
  }
}
