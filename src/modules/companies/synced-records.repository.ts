import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ContactEntity, LocationEntity, ProductEntity } from './entities/synced-records.entity';
import { SyncEntity } from './entities/sync-run.entity';

export interface LocationRow {
  externalId: string;
  name: string | null;
  address: string | null;
  data: Record<string, unknown>;
}
export interface ContactRow {
  externalId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  data: Record<string, unknown>;
}
export interface ProductRow {
  externalId: string;
  name: string | null;
  sku: string | null;
  price: string | null;
  description: string | null;
  data: Record<string, unknown>;
}

export interface SyncedRows {
  locations: LocationRow;
  contacts: ContactRow;
  products: ProductRow;
}

const COLUMNS: { [K in SyncEntity]: Array<[keyof SyncedRows[K] & string, string]> } = {
  locations: [
    ['name', 'name'],
    ['address', 'address'],
  ],
  contacts: [
    ['name', 'name'],
    ['email', 'email'],
    ['phone', 'phone'],
  ],
  products: [
    ['name', 'name'],
    ['sku', 'sku'],
    ['price', 'price'],
    ['description', 'description'],
  ],
};

const ENTITIES = { locations: LocationEntity, contacts: ContactEntity, products: ProductEntity } as const;

/** Locations, contacts and products of a company, upserted by the provider's id. */
@Injectable()
export class SyncedRecordsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts or updates one page of records in a single statement; answers how many. */
  async upsertMany<E extends SyncEntity>(entity: E, tenantId: string, companyId: string, rows: Array<SyncedRows[E]>): Promise<number> {
    if (!rows.length) return 0;
    const cols = COLUMNS[entity] as Array<[string, string]>;
    const names = ['tenant_id', 'company_id', 'external_id', ...cols.map(([, c]) => c), 'data'];
    const params: unknown[] = [];
    const tuples = rows.map((r) => {
      const rec = r as unknown as Record<string, unknown>;
      const values = [tenantId, companyId, rec.externalId, ...cols.map(([k]) => rec[k] ?? null), JSON.stringify(rec.data ?? {})];
      return `(${values.map((v) => (params.push(v), `$${params.length}`)).join(', ')})`;
    });
    const updates = [...cols.map(([, c]) => `${c} = EXCLUDED.${c}`), 'data = EXCLUDED.data', 'updated_at = now()'].join(', ');
    await this.dataSource.query(
      `INSERT INTO ${entity} (${names.join(', ')}) VALUES ${tuples.join(', ')}
       ON CONFLICT (company_id, external_id) DO UPDATE SET ${updates}
       WHERE ${entity}.tenant_id = EXCLUDED.tenant_id`,
      params,
    );
    return rows.length;
  }

  async list(entity: SyncEntity, tenantId: string, companyId: string, offset: number, limit: number) {
    const [items, total] = await this.dataSource
      .getRepository(ENTITIES[entity] as typeof LocationEntity)
      .findAndCount({ where: { tenantId, companyId }, order: { name: 'ASC', externalId: 'ASC' }, skip: offset, take: limit });
    return { items: items as Array<LocationEntity | ContactEntity | ProductEntity>, total };
  }
}
