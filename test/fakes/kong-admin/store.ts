/** The fake Kong's state and the helpers every resource shares (errors, paging, the DB-less write refusal). */
import { FakeReply, FakeRequest } from '../fake-server';
import { FieldErrors, schemaViolationMessage } from '../kong-schemas.fake';

export type Entity = Record<string, any> & { id: string; tags: string[] | null };

export type KongCollectionName = 'services' | 'routes' | 'plugins' | 'consumers' | 'keyauth_credentials' | 'acls' | 'oauth2_credentials';

export interface KongFakeState {
  services: Entity[];
  routes: Entity[];
  plugins: Entity[];
  consumers: Entity[];
  keyauth_credentials: Entity[];
  acls: Entity[];
  oauth2_credentials: Entity[];
}

/** Everything the resources read and change; `state`'s collections are reassigned on delete, the object itself stays. */
export interface KongStore {
  state: KongFakeState;
  mode: 'db' | 'dbless';
  /** Every declarative config accepted by POST /config, in order. */
  loadedConfigs: Record<string, any>[];
  configHash: string;
}

export function createStore(mode: 'db' | 'dbless'): KongStore {
  return {
    state: { services: [], routes: [], plugins: [], consumers: [], keyauth_credentials: [], acls: [], oauth2_credentials: [] },
    mode,
    loadedConfigs: [],
    configHash: '00000000000000000000000000000000',
  };
}

export const now = () => Math.floor(Date.now() / 1000);

export function err(status: number, body: Record<string, unknown>): FakeReply {
  return { status, body };
}
export const notFound = (): FakeReply => err(404, { message: 'Not found' });
export const schemaViolation = (fields: Record<string, FieldErrors>): FakeReply =>
  err(400, { code: 2, name: 'schema violation', message: schemaViolationMessage(fields), fields });
export const uniqueViolation = (field: string, value: string): FakeReply =>
  err(409, {
    code: 5,
    name: 'unique constraint violation',
    message: `UNIQUE violation detected on '{${field}="${value}"}'`,
    fields: { [field]: `already exists with value '${value}'` },
  });

export const byIdOrName = (list: Entity[], key: string, nameField = 'name') => list.find((e) => e.id === key || e[nameField] === key);

export function replace(list: Entity[], existing: Entity | undefined, entity: Entity) {
  if (existing) list[list.indexOf(existing)] = entity;
  else list.push(entity);
}

function filterTags(list: Entity[], tagsParam?: string): Entity[] | FakeReply {
  if (!tagsParam) return list;
  if (tagsParam.includes(',') && tagsParam.includes('/'))
    return err(400, { code: 3, name: 'invalid filter', message: "invalid option (tags: cannot mix 'and' and 'or')" });
  const any = tagsParam.includes('/');
  const wanted = tagsParam.split(any ? '/' : ',');
  return list.filter((e) => {
    const t = e.tags ?? [];
    return any ? wanted.some((w) => t.includes(w)) : wanted.every((w) => t.includes(w));
  });
}

export function page(req: FakeRequest, list: Entity[]): FakeReply {
  const filtered = filterTags(list, req.query.tags);
  if (!Array.isArray(filtered)) return filtered;
  const size = Math.min(Number(req.query.size ?? 100) || 100, 1000);
  const offset = req.query.offset ? Number(Buffer.from(req.query.offset, 'base64url').toString()) : 0;
  const data = filtered.slice(offset, offset + size);
  let next: string | null = null;
  if (offset + size < filtered.length) {
    const q = new URLSearchParams({ offset: Buffer.from(String(offset + size)).toString('base64url'), size: String(size) });
    if (req.query.tags) q.set('tags', req.query.tags);
    next = `${req.path}?${q.toString()}`;
  }
  return { body: { data, next } };
}

/** DB-less Kong refuses every write through the Admin API. */
export function readOnly(store: KongStore, req: FakeRequest, collection: string): FakeReply | undefined {
  if (store.mode !== 'dbless' || req.method === 'GET') return undefined;
  const verb = req.method === 'POST' ? 'create' : req.method === 'DELETE' ? 'delete' : 'update';
  return err(405, {
    code: 12,
    name: 'operation unsupported',
    message: `cannot ${verb} '${collection}' entities when not using a database`,
  });
}
