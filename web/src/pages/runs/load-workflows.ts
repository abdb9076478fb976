import { api, call } from '../../api/client';
import type { components } from '../../api/generated/schema';

type Workflow = components['schemas']['WorkflowDto'];

/** Pages of 100 (the API's largest) read for the filter; beyond that a link's workflowId still works. */
const MAX_PAGES = 20;

/** The tenant's workflows for the workflow filter, sorted by name (every page, up to 2,000). */
export async function loadWorkflows(): Promise<Workflow[]> {
  const all: Workflow[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const res = await call(api.GET('/api/workflows', { params: { query: { page, limit: 100 } } }));
    all.push(...res.items);
    if (all.length >= res.total || res.items.length === 0) break;
  }
  return all.sort((a, b) => a.name.localeCompare(b.name));
}
