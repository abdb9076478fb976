/**
 * A fake Kong 3.x Admin API that validates like Kong and records what Flowgate made.
 *
 * - Services, routes, consumers: POST (409 code 5 on a duplicate name), PUT /{c}/{name} upsert
 *   (200), GET, PATCH, DELETE (204; a service still referenced by routes → 400 code 4).
 * - Plugins on services/routes/consumers or global; validated against kong-schemas.fake.ts
 *   (unknown config field → 400 code 2 `schema violation` with `fields`); one plugin of a
 *   name per scope (409 code 5); PUT /plugins/{id}.
 * - Credentials: /consumers/{c}/key-auth, /acls, /oauth2 and their top-level lists.
 * - Lists: `{ data, next }`, `?tags=a,b` (all) or `a/b` (any), `size` and `offset`.
 * - `GET /status`, `GET /status/ready`, `GET /`.
 * - `mode: 'dbless'`: every write answers 405 code 12; `POST /config` validates the whole
 *   declarative config (400 code 14 with nested `fields`) and replaces the state (201).
 *
 * One file per resource in this folder (services, routes, plugins, consumers, credentials, the
 * DB-less declarative config, the router); this entry composes them.
 */
import { FakeReply, FakeRequest, FakeServer, startFake } from '../fake-server';
import { consumerResource } from './consumers';
import { credentialResource } from './credentials';
import { declarativeConfig } from './declarative';
import { entityWrites } from './entities';
import { pluginResource } from './plugins';
import { routeResource } from './routes';
import { adminRouter } from './router';
import { serviceResource } from './services';
import { createStore, Entity, KongCollectionName, KongFakeState } from './store';

export type { KongCollectionName, KongFakeState } from './store';

export interface KongFake extends FakeServer {
  state: KongFakeState;
  mode: 'db' | 'dbless';
  /** Every declarative config accepted by POST /config, in order. */
  loadedConfigs: Record<string, any>[];
  /** Entities of a collection carrying all these tags. */
  tagged(collection: KongCollectionName, ...tags: string[]): Entity[];
  /** Requests that change something (not GET). */
  writes(): FakeRequest[];
  /** Counts per collection (for "nothing changed" assertions). */
  counts(): Record<KongCollectionName, number>;
  /** Forgets every entity, like a DB-less Kong restarted with an empty declarative file. */
  wipe(): void;
  /** The next `times` requests with this method and a path matching `path` get `reply`. */
  failMatching(method: string, path: RegExp, reply: FakeReply, times?: number): void;
}

export async function startKongFake(opts: { mode?: 'db' | 'dbless' } = {}): Promise<KongFake> {
  const store = createStore(opts.mode ?? 'db');
  const { state } = store;
  const services = serviceResource(store);
  const resources = {
    ...services,
    ...routeResource(store, services),
    ...pluginResource(store),
    ...consumerResource(store),
    ...credentialResource(store),
  };
  const writes = { ...resources, ...entityWrites(store, resources) };
  const { dispatch } = adminRouter(store, { ...writes, ...declarativeConfig(store, resources) });

  const planned: { method: string; path: RegExp; reply: FakeReply; left: number }[] = [];
  const server = await startFake({
    '* /*': (req) => {
      const hit = planned.find((p) => p.left > 0 && p.method === req.method && p.path.test(req.path));
      if (hit) {
        hit.left--;
        return hit.reply;
      }
      return dispatch(req);
    },
  });
  const result = server as KongFake;
  Object.defineProperty(result, 'mode', { get: () => store.mode, set: (v: 'db' | 'dbless') => (store.mode = v), enumerable: true });
  result.state = state;
  // `state` collections are reassigned on delete; expose live views.
  Object.defineProperty(result, 'state', { get: () => state, enumerable: true });
  result.loadedConfigs = store.loadedConfigs;
  result.tagged = (collection, ...tags) => state[collection].filter((e) => tags.every((t) => (e.tags ?? []).includes(t)));
  result.writes = () => server.requests.filter((r) => r.method !== 'GET');
  result.wipe = () => {
    for (const k of Object.keys(state) as KongCollectionName[]) state[k] = [];
  };
  result.failMatching = (method, path, reply, times = 1) => planned.push({ method: method.toUpperCase(), path, reply, left: times });
  result.counts = () => Object.fromEntries(Object.entries(state).map(([k, v]) => [k, v.length])) as Record<KongCollectionName, number>;
  return result;
}
