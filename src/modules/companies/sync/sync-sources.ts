import { HubSpotSource } from './hubspot.source';
import { QuickBooksSource } from './quickbooks.source';
import { SyncSource } from './sync-source';

const SOURCES: SyncSource[] = [new QuickBooksSource(), new HubSpotSource()];

/** The sync source for a Nango provider name (`quickbooks`, `quickbooks-sandbox`, `hubspot`). */
export function syncSourceFor(provider: string): SyncSource | undefined {
  const p = provider.toLowerCase();
  return SOURCES.find((s) => p === s.name || p.startsWith(`${s.name}-`));
}
