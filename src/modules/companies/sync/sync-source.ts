import { NangoClient } from '../../nango';
import { SyncEntity } from '../entities/sync-run.entity';
import { SyncedRows } from '../synced-records.repository';

export interface SyncContext {
  nango: NangoClient;
  providerConfigKey: string;
  connectionId: string;
  connectionConfig: Record<string, unknown>;
}

/**
 * Pulls one provider's records through the Nango proxy, page by page. `onPage` stores each
 * page before the next is fetched, so memory stays flat whatever the account's size.
 */
export interface SyncSource {
  readonly name: string;
  /** Entities this provider has (HubSpot has no locations). */
  readonly entities: SyncEntity[];
  pull<E extends SyncEntity>(entity: E, ctx: SyncContext, onPage: (rows: Array<SyncedRows[E]>) => Promise<void>): Promise<number>;
}

/** Raw provider records are kept for reference, but not unbounded ones. */
export function capData(record: Record<string, unknown>, maxBytes = 16_384): Record<string, unknown> {
  const json = JSON.stringify(record);
  return json.length <= maxBytes ? record : { truncated: true, bytes: json.length };
}

export const str = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null;
