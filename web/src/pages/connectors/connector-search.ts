import type { components } from '../../api/generated/schema';

export type Connector = components['schemas']['ConnectorDto'];
export type ConnectorAction = components['schemas']['ConnectorActionDto'];

/** Whether a connector matches the search: its name, key, description or one of its actions. */
export function matches(c: Connector, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const haystack = [c.name, c.key, c.description, ...c.actions.flatMap((a) => [a.name, a.key])].join('\n').toLowerCase();
  return q.split(/\s+/).every((word) => haystack.includes(word));
}
