/** The Admin API's paths: `/`, `/status`, `/config`, the collections, nested plugins, routes and credentials. */
import { FakeReply, FakeRequest } from '../fake-server';
import { ConsumerResource } from './consumers';
import { CRED_PATH, CredentialResource } from './credentials';
import { DeclarativeConfig } from './declarative';
import { EntityWrites } from './entities';
import { PluginResource } from './plugins';
import { RouteResource } from './routes';
import { ServiceResource } from './services';
import { byIdOrName, err, KongStore, notFound, page, readOnly, replace } from './store';

export function adminRouter(
  store: KongStore,
  r: ServiceResource & RouteResource & PluginResource & ConsumerResource & CredentialResource & EntityWrites & DeclarativeConfig,
) {
  const { state } = store;
  const {
    createService,
    createRoute,
    createConsumer,
    createPlugin,
    checkPlugin,
    normalizePlugin,
    createCredential,
    upsertByName,
    deleteEntity,
    loadConfig,
  } = r;

  function dispatch(req: FakeRequest): FakeReply {
    const seg = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, any>;
    const m = req.method;

    if (seg.length === 0 && m === 'GET') {
      return {
        body: { version: '3.6.1', tagline: 'Welcome to kong', configuration: { database: store.mode === 'dbless' ? 'off' : 'postgres' } },
      };
    }
    if (seg[0] === 'status') {
      if (seg[1] === 'ready') return { status: 200, body: { message: 'ready' } };
      return {
        body: {
          database: { reachable: true },
          memory: { workers_lua_vms: [{ http_allocated_gc: '40.00 MiB', pid: 1 }], lua_shared_dicts: {} },
          server: {
            connections_accepted: 10,
            connections_active: 1,
            connections_handled: 10,
            connections_reading: 0,
            connections_waiting: 0,
            connections_writing: 1,
            total_requests: 42,
          },
          ...(store.mode === 'dbless' ? { configuration_hash: store.configHash } : {}),
        },
      };
    }
    if (seg[0] === 'config' && seg.length === 1) {
      if (m === 'POST') return loadConfig(req);
      if (m === 'GET')
        return store.mode === 'dbless'
          ? { body: { config: JSON.stringify(store.loadedConfigs.at(-1) ?? { _format_version: '3.0' }) } }
          : err(400, { message: 'this endpoint is only available when Kong is configured to not use a database' });
    }

    const top = seg[0];
    if (['services', 'routes', 'consumers', 'plugins'].includes(top)) {
      const coll = top as 'services' | 'routes' | 'consumers' | 'plugins';
      const blocked = readOnly(store, req, coll);
      if (blocked) return blocked;
      const list = state[coll];
      const nameField = coll === 'consumers' ? 'username' : 'name';
      if (seg.length === 1) {
        if (m === 'GET') return page(req, list);
        if (m === 'POST') {
          if (coll === 'services') return createService(body);
          if (coll === 'routes') return createRoute(body);
          if (coll === 'consumers') return createConsumer(body);
          return createPlugin(body);
        }
        return err(405, { message: 'Method not allowed' });
      }
      const key = seg[1];
      const entity = coll === 'plugins' ? list.find((p) => p.id === key) : byIdOrName(list, key, nameField);
      if (seg.length === 2) {
        if (m === 'GET') return entity ? { body: entity } : notFound();
        if (m === 'DELETE') return deleteEntity(coll, entity);
        if (m === 'PUT') {
          if (coll === 'plugins') {
            const bad = checkPlugin({ ...body }, entity);
            if (bad) return bad;
            const e = normalizePlugin({ ...body, id: entity?.id ?? key }, entity);
            replace(state.plugins, entity, e);
            return { status: 200, body: e };
          }
          return upsertByName(req, coll, key);
        }
        if (m === 'PATCH') {
          if (!entity) return notFound();
          const merged = { ...entity, ...body };
          delete merged.created_at;
          delete merged.updated_at;
          if (coll === 'plugins') {
            const bad = checkPlugin(merged, entity);
            if (bad) return bad;
            const e = normalizePlugin(merged, entity);
            replace(state.plugins, entity, e);
            return { body: e };
          }
          return upsertByName({ ...req, body: merged }, coll, entity.id);
        }
        return err(405, { message: 'Method not allowed' });
      }
      if (!entity) return notFound();
      const sub = seg[2];
      if (sub === 'routes' && coll === 'services' && seg.length === 3) {
        if (m === 'GET')
          return page(
            req,
            state.routes.filter((r) => r.service?.id === entity.id),
          );
        if (m === 'POST') return createRoute({ ...body, service: { id: entity.id } });
      }
      if (sub === 'plugins' && coll !== 'plugins' && seg.length === 3) {
        const scopeKey = coll.slice(0, -1);
        if (m === 'GET')
          return page(
            req,
            state.plugins.filter((p) => p[scopeKey]?.id === entity.id),
          );
        if (m === 'POST') return createPlugin({ ...body, [scopeKey]: { id: entity.id } });
      }
      if (coll === 'consumers' && CRED_PATH[sub] && sub !== 'key-auths') {
        const { kind, coll: credColl } = CRED_PATH[sub];
        const mine = state[credColl].filter((c) => c.consumer.id === entity.id);
        if (seg.length === 3) {
          if (m === 'GET') return page(req, mine);
          if (m === 'POST') return createCredential(kind, entity, body);
        }
        if (seg.length === 4) {
          const cred = mine.find((c) => c.id === seg[3] || c.key === seg[3] || c.group === seg[3] || c.client_id === seg[3]);
          if (m === 'GET') return cred ? { body: cred } : notFound();
          if (m === 'DELETE') return deleteEntity(credColl, cred);
        }
      }
      return notFound();
    }
    if (CRED_PATH[top] && top !== 'key-auth') {
      const blocked = readOnly(store, req, top);
      if (blocked) return blocked;
      const { coll } = CRED_PATH[top];
      if (seg.length === 1 && m === 'GET') return page(req, state[coll]);
      if (seg.length === 2) {
        const cred = state[coll].find((c) => c.id === seg[1]);
        if (m === 'GET') return cred ? { body: cred } : notFound();
        if (m === 'DELETE') return deleteEntity(coll, cred);
      }
    }
    return notFound();
  }

  return { dispatch };
}
