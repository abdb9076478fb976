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
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { FakeReply, FakeRequest, FakeServer, startFake } from './fake-server';
import {
  ACL_FIELDS,
  CONSUMER_FIELDS,
  FieldErrors,
  KEY_AUTH_FIELDS,
  OAUTH2_CREDENTIAL_FIELDS,
  ROUTE_FIELDS,
  schemaViolationMessage,
  SERVICE_FIELDS,
  validate,
  validatePlugin,
} from './kong-schemas.fake';

type Entity = Record<string, any> & { id: string; tags: string[] | null };

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

const now = () => Math.floor(Date.now() / 1000);

function err(status: number, body: Record<string, unknown>): FakeReply {
  return { status, body };
}
const notFound = (): FakeReply => err(404, { message: 'Not found' });
const schemaViolation = (fields: Record<string, FieldErrors>): FakeReply =>
  err(400, { code: 2, name: 'schema violation', message: schemaViolationMessage(fields), fields });
const uniqueViolation = (field: string, value: string): FakeReply =>
  err(409, {
    code: 5,
    name: 'unique constraint violation',
    message: `UNIQUE violation detected on '{${field}="${value}"}'`,
    fields: { [field]: `already exists with value '${value}'` },
  });

export async function startKongFake(opts: { mode?: 'db' | 'dbless' } = {}): Promise<KongFake> {
  const state: KongFakeState = {
    services: [],
    routes: [],
    plugins: [],
    consumers: [],
    keyauth_credentials: [],
    acls: [],
    oauth2_credentials: [],
  };
  const loadedConfigs: Record<string, any>[] = [];
  let configHash = '00000000000000000000000000000000';
  const fake = { mode: opts.mode ?? 'db' } as { mode: 'db' | 'dbless' };

  const byIdOrName = (list: Entity[], key: string, nameField = 'name') => list.find((e) => e.id === key || e[nameField] === key);

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

  function page(req: FakeRequest, list: Entity[]): FakeReply {
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

  function readOnly(req: FakeRequest, collection: string): FakeReply | undefined {
    if (fake.mode !== 'dbless' || req.method === 'GET') return undefined;
    const verb = req.method === 'POST' ? 'create' : req.method === 'DELETE' ? 'delete' : 'update';
    return err(405, {
      code: 12,
      name: 'operation unsupported',
      message: `cannot ${verb} '${collection}' entities when not using a database`,
    });
  }

  // ---------- entity writers (shared by the Admin API and POST /config) ----------

  function normalizeService(body: Record<string, any>, existing?: Entity): Entity {
    const e: Entity = {
      id: existing?.id ?? body.id ?? randomUUID(),
      created_at: existing?.created_at ?? now(),
      updated_at: now(),
      tags: body.tags ?? null,
    };
    let fromUrl: Record<string, unknown> = {};
    if (body.url) {
      const u = new URL(body.url);
      fromUrl = {
        protocol: u.protocol.replace(':', ''),
        host: u.hostname,
        port: u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80,
        path: u.pathname === '/' && !body.url.endsWith('/') ? null : u.pathname,
      };
    }
    return {
      ...e,
      name: body.name ?? null,
      protocol: 'http',
      port: 80,
      path: null,
      retries: 5,
      connect_timeout: 60000,
      write_timeout: 60000,
      read_timeout: 60000,
      enabled: true,
      ...Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'url')),
      ...fromUrl,
      id: e.id,
      created_at: e.created_at,
      updated_at: e.updated_at,
      tags: body.tags ?? null,
    };
  }

  function checkService(body: Record<string, any>): FakeReply | undefined {
    const errors = validate(body, SERVICE_FIELDS);
    if (errors) return schemaViolation(errors);
    if (!body.url && !body.host) return schemaViolation({ host: 'required field missing' });
    return undefined;
  }

  function resolveService(ref: unknown): Entity | undefined {
    if (!ref || typeof ref !== 'object') return undefined;
    const r = ref as { id?: string; name?: string };
    return state.services.find((s) => (r.id && s.id === r.id) || (r.name && s.name === r.name));
  }

  function checkRoute(body: Record<string, any>): FakeReply | undefined {
    const errors = validate(body, ROUTE_FIELDS);
    if (errors) return schemaViolation(errors);
    const routing = ['methods', 'hosts', 'headers', 'paths'].some((k) =>
      Array.isArray(body[k]) ? body[k].length : body[k] && Object.keys(body[k]).length,
    );
    if (!routing)
      return schemaViolation({ '@entity': ["must set one of 'methods', 'hosts', 'headers', 'paths' when 'protocols' is 'http'"] });
    if (body.service && !resolveService(body.service)) {
      return err(400, {
        code: 4,
        name: 'foreign key violation',
        message: `the foreign key '{id="${body.service.id ?? body.service.name}"}' does not reference an existing 'services' entity.`,
        fields: { service: body.service },
      });
    }
    return undefined;
  }

  function normalizeRoute(body: Record<string, any>, existing?: Entity): Entity {
    const svc = body.service ? resolveService(body.service) : undefined;
    return {
      protocols: ['http', 'https'],
      methods: null,
      hosts: null,
      paths: null,
      strip_path: true,
      preserve_host: false,
      path_handling: 'v0',
      regex_priority: 0,
      https_redirect_status_code: 426,
      ...body,
      id: existing?.id ?? body.id ?? randomUUID(),
      name: body.name ?? null,
      service: svc ? { id: svc.id } : null,
      created_at: existing?.created_at ?? now(),
      updated_at: now(),
      tags: body.tags ?? null,
    };
  }

  function checkPlugin(body: Record<string, any>, self?: Entity): FakeReply | undefined {
    const errors = validatePlugin(body, { dbless: fake.mode === 'dbless' });
    if (errors) return schemaViolation(errors);
    const key = (x: Record<string, any>) => [x.name, x.service?.id ?? '', x.route?.id ?? '', x.consumer?.id ?? ''].join('|');
    const clash = state.plugins.find((p) => p.id !== self?.id && key(p) === key(body));
    if (clash) return uniqueViolation('name', body.name);
    return undefined;
  }

  function normalizePlugin(body: Record<string, any>, existing?: Entity): Entity {
    return {
      enabled: true,
      protocols: ['grpc', 'grpcs', 'http', 'https'],
      ...body,
      config: body.config ?? {},
      service: body.service?.id ? { id: body.service.id } : null,
      route: body.route?.id ? { id: body.route.id } : null,
      consumer: body.consumer?.id ? { id: body.consumer.id } : null,
      id: existing?.id ?? body.id ?? randomUUID(),
      created_at: existing?.created_at ?? now(),
      updated_at: now(),
      tags: body.tags ?? null,
    };
  }

  function checkConsumer(body: Record<string, any>, self?: Entity): FakeReply | undefined {
    const errors = validate(body, CONSUMER_FIELDS);
    if (errors) return schemaViolation(errors);
    if (!body.username && !body.custom_id)
      return schemaViolation({ '@entity': ["at least one of these fields must be non-empty: 'custom_id', 'username'"] });
    if (body.username && state.consumers.some((c) => c.id !== self?.id && c.username === body.username))
      return uniqueViolation('username', body.username);
    if (body.custom_id && state.consumers.some((c) => c.id !== self?.id && c.custom_id === body.custom_id))
      return uniqueViolation('custom_id', body.custom_id);
    return undefined;
  }

  // ---------- request handlers ----------

  function upsertByName(
    req: FakeRequest,
    collection: 'services' | 'routes' | 'consumers',
    nameOrId: string,
    extra: Record<string, any> = {},
  ): FakeReply {
    const list = state[collection];
    const nameField = collection === 'consumers' ? 'username' : 'name';
    const existing = byIdOrName(list, nameOrId, nameField);
    const isUuid = /^[0-9a-f-]{36}$/i.test(nameOrId);
    const body: Record<string, any> = { ...(req.body as object), ...extra };
    if (!existing && !isUuid) body[nameField] ??= nameOrId;
    if (!existing && isUuid) body.id = nameOrId;
    if (collection === 'services') {
      const bad = checkService(body);
      if (bad) return bad;
      const entity = normalizeService(body, existing);
      replace(list, existing, entity);
      return { status: 200, body: entity };
    }
    if (collection === 'routes') {
      const bad = checkRoute(body);
      if (bad) return bad;
      const entity = normalizeRoute(body, existing);
      replace(list, existing, entity);
      return { status: 200, body: entity };
    }
    const bad = checkConsumer(body, existing);
    if (bad) return bad;
    const entity: Entity = {
      username: null,
      custom_id: null,
      ...body,
      id: existing?.id ?? body.id ?? randomUUID(),
      created_at: existing?.created_at ?? now(),
      updated_at: now(),
      tags: body.tags ?? null,
    };
    replace(list, existing, entity);
    return { status: 200, body: entity };
  }

  function replace(list: Entity[], existing: Entity | undefined, entity: Entity) {
    if (existing) list[list.indexOf(existing)] = entity;
    else list.push(entity);
  }

  function createService(body: Record<string, any>): FakeReply {
    const bad = checkService(body);
    if (bad) return bad;
    if (body.name && state.services.some((s) => s.name === body.name)) return uniqueViolation('name', body.name);
    const e = normalizeService(body);
    state.services.push(e);
    return { status: 201, body: e };
  }

  function createRoute(body: Record<string, any>): FakeReply {
    const bad = checkRoute(body);
    if (bad) return bad;
    if (body.name && state.routes.some((r) => r.name === body.name)) return uniqueViolation('name', body.name);
    const e = normalizeRoute(body);
    state.routes.push(e);
    return { status: 201, body: e };
  }

  function createPlugin(body: Record<string, any>): FakeReply {
    const bad = checkPlugin(body);
    if (bad) return bad;
    const e = normalizePlugin(body);
    state.plugins.push(e);
    return { status: 201, body: e };
  }

  function createConsumer(body: Record<string, any>): FakeReply {
    const bad = checkConsumer(body);
    if (bad) return bad;
    const e: Entity = {
      username: null,
      custom_id: null,
      ...body,
      id: body.id ?? randomUUID(),
      created_at: now(),
      updated_at: now(),
      tags: body.tags ?? null,
    };
    state.consumers.push(e);
    return { status: 201, body: e };
  }

  function createCredential(kind: 'key-auth' | 'acls' | 'oauth2', consumer: Entity, body: Record<string, any>): FakeReply {
    const fields = kind === 'key-auth' ? KEY_AUTH_FIELDS : kind === 'acls' ? ACL_FIELDS : OAUTH2_CREDENTIAL_FIELDS;
    const errors = validate(body, fields);
    if (errors) return schemaViolation(errors);
    const base = { id: body.id ?? randomUUID(), created_at: now(), consumer: { id: consumer.id }, tags: body.tags ?? null };
    if (kind === 'key-auth') {
      const key = body.key ?? randomBytes(24).toString('base64url');
      if (state.keyauth_credentials.some((k) => k.key === key)) return uniqueViolation('key', key);
      const e = { ...body, ...base, key, ttl: body.ttl ?? null };
      state.keyauth_credentials.push(e);
      return { status: 201, body: e };
    }
    if (kind === 'acls') {
      if (state.acls.some((a) => a.consumer.id === consumer.id && a.group === body.group))
        return uniqueViolation('cache_key', `${consumer.id}:${body.group}`);
      const e = { ...body, ...base };
      state.acls.push(e);
      return { status: 201, body: e };
    }
    const client_id = body.client_id ?? randomBytes(16).toString('hex');
    if (state.oauth2_credentials.some((o) => o.client_id === client_id)) return uniqueViolation('client_id', client_id);
    const e = {
      redirect_uris: null,
      client_type: 'confidential',
      hash_secret: false,
      ...body,
      ...base,
      client_id,
      client_secret: body.client_secret ?? randomBytes(24).toString('hex'),
    };
    state.oauth2_credentials.push(e);
    return { status: 201, body: e };
  }

  function deleteEntity(collection: KongCollectionName, e: Entity | undefined): FakeReply {
    if (!e) return { status: 204 };
    if (collection === 'services') {
      if (state.routes.some((r) => r.service?.id === e.id)) {
        return err(400, {
          code: 4,
          name: 'foreign key violation',
          message: "an existing 'routes' entity references this 'services' entity",
          fields: { '@referenced_by': 'routes' },
        });
      }
      state.plugins = state.plugins.filter((p) => p.service?.id !== e.id);
    }
    if (collection === 'routes') state.plugins = state.plugins.filter((p) => p.route?.id !== e.id);
    if (collection === 'consumers') {
      state.plugins = state.plugins.filter((p) => p.consumer?.id !== e.id);
      state.keyauth_credentials = state.keyauth_credentials.filter((k) => k.consumer.id !== e.id);
      state.acls = state.acls.filter((a) => a.consumer.id !== e.id);
      state.oauth2_credentials = state.oauth2_credentials.filter((o) => o.consumer.id !== e.id);
    }
    state[collection] = state[collection].filter((x) => x.id !== e.id);
    return { status: 204 };
  }

  // ---------- declarative config (DB-less) ----------

  function loadConfig(req: FakeRequest): FakeReply {
    if (fake.mode !== 'dbless')
      return err(400, { message: 'this endpoint is only available when Kong is configured to not use a database' });
    let cfg = req.body as Record<string, any>;
    if (cfg && typeof cfg.config === 'string') {
      try {
        cfg = JSON.parse(cfg.config);
      } catch {
        return err(400, {
          code: 14,
          name: 'invalid declarative configuration',
          message: 'failed parsing declarative configuration',
          fields: {},
        });
      }
    }
    const fields: Record<string, any> = {};
    if (!cfg || typeof cfg !== 'object')
      return err(400, { code: 14, name: 'invalid declarative configuration', message: 'expected an object', fields: {} });
    if (!['3.0', '2.1'].includes(cfg._format_version)) fields._format_version = 'expected one of: 3.0, 2.1';
    const unknownTop = Object.keys(cfg).filter(
      (k) => !['_format_version', '_transform', 'services', 'routes', 'consumers', 'plugins'].includes(k),
    );
    for (const k of unknownTop) fields[k] = 'unknown field';

    // Validate into a scratch state: nothing changes unless everything is valid.
    const saved = JSON.stringify(state);
    for (const k of Object.keys(state) as KongCollectionName[]) state[k] = [];
    const nested = (list: unknown, key: string, each: (item: Record<string, any>, i: number) => Record<string, any> | null) => {
      if (list === undefined) return;
      if (!Array.isArray(list)) return void (fields[key] = 'expected an array');
      const errs = list.map((item, i) => each(item, i));
      if (errs.some((e) => e)) fields[key] = errs;
    };
    const pluginErr = (p: Record<string, any>, scope: Record<string, any>) => {
      const body = { ...p, ...scope };
      const bad = checkPlugin(body);
      if (bad) return (bad.body as { fields: Record<string, any> }).fields;
      state.plugins.push(normalizePlugin(body));
      return null;
    };
    /** A route (nested in its service, or top-level naming it) with its plugins; its field errors, or null. */
    const loadRoute = (r: Record<string, any>, service: Record<string, any> | undefined) => {
      const { plugins: rPlugins, ...route } = r;
      const body = { ...route, ...(service ? { service } : {}) };
      const badR =
        checkRoute(body) ??
        (route.name && state.routes.some((x) => x.name === route.name) ? uniqueViolation('name', route.name) : undefined);
      if (badR) return (badR.body as { fields: Record<string, any> }).fields ?? { name: 'invalid' };
      const saved = normalizeRoute(body);
      state.routes.push(saved);
      const pe = (Array.isArray(rPlugins) ? rPlugins : []).map((p: Record<string, any>) => pluginErr(p, { route: { id: saved.id } }));
      return pe.some((e) => e) ? { plugins: pe } : null;
    };
    nested(cfg.services, 'services', (s) => {
      const { routes, plugins, ...svc } = s;
      const bad =
        checkService(svc) ?? (svc.name && state.services.some((x) => x.name === svc.name) ? uniqueViolation('name', svc.name) : undefined);
      if (bad) return (bad.body as { fields: Record<string, any> }).fields ?? { name: 'invalid' };
      const service = normalizeService(svc);
      state.services.push(service);
      const out: Record<string, any> = {};
      const routeErrs = (Array.isArray(routes) ? routes : []).map((r: Record<string, any>) => loadRoute(r, { id: service.id }));
      if (routeErrs.some((e: unknown) => e)) out.routes = routeErrs;
      const pe = (Array.isArray(plugins) ? plugins : []).map((p: Record<string, any>) => pluginErr(p, { service: { id: service.id } }));
      if (pe.some((e) => e)) out.plugins = pe;
      return Object.keys(out).length ? out : null;
    });
    nested(cfg.consumers, 'consumers', (c) => {
      const { keyauth_credentials, acls, oauth2_credentials, plugins, ...consumer } = c;
      if (oauth2_credentials) return { oauth2_credentials: 'oauth2 credentials are not supported in DB-less mode' };
      const bad = checkConsumer(consumer);
      if (bad) return (bad.body as { fields: Record<string, any> }).fields;
      const saved = { username: null, custom_id: null, ...consumer, id: consumer.id ?? randomUUID(), tags: consumer.tags ?? null };
      state.consumers.push(saved);
      const out: Record<string, any> = {};
      const credErr = (kind: 'key-auth' | 'acls', list: unknown) =>
        (Array.isArray(list) ? list : []).map((item: Record<string, any>) => {
          const r = createCredential(kind, saved, item);
          return r.status === 201 ? null : (r.body as { fields: Record<string, any> }).fields;
        });
      const ke = credErr('key-auth', keyauth_credentials);
      if (ke.some((e) => e)) out.keyauth_credentials = ke;
      const ae = credErr('acls', acls);
      if (ae.some((e) => e)) out.acls = ae;
      const pe = (Array.isArray(plugins) ? plugins : []).map((p: Record<string, any>) => pluginErr(p, { consumer: { id: saved.id } }));
      if (pe.some((e) => e)) out.plugins = pe;
      return Object.keys(out).length ? out : null;
    });
    // Top-level routes and plugins name what they hang on (`service: "name"` or `{ name }`).
    const ref = (coll: 'services' | 'routes' | 'consumers', v: unknown): Record<string, any> | undefined => {
      if (v === undefined || v === null) return undefined;
      const r = v as { id?: string; name?: string; username?: string };
      const key = typeof v === 'string' ? v : (r.id ?? r.name ?? r.username);
      const found = state[coll].find((e) => e.id === key || e[coll === 'consumers' ? 'username' : 'name'] === key);
      return found ? { id: found.id } : { id: `missing:${String(key)}` };
    };
    nested(cfg.routes, 'routes', (r) => loadRoute(r, ref('services', r.service)));
    nested(cfg.plugins, 'plugins', (p) => {
      const scope: Record<string, any> = {};
      for (const [k, coll] of [
        ['service', 'services'],
        ['route', 'routes'],
        ['consumer', 'consumers'],
      ] as const) {
        if (p[k] !== undefined) scope[k] = ref(coll, p[k]);
      }
      return pluginErr(p, scope);
    });

    if (Object.keys(fields).length) {
      Object.assign(state, JSON.parse(saved));
      return err(400, {
        code: 14,
        name: 'invalid declarative configuration',
        message: `declarative config is invalid: ${JSON.stringify(fields)}`,
        fields,
      });
    }
    loadedConfigs.push(cfg);
    configHash = randomBytes(16).toString('hex');
    return { status: 201, body: cfg };
  }

  // ---------- router ----------

  const CRED_PATH: Record<string, { kind: 'key-auth' | 'acls' | 'oauth2'; coll: KongCollectionName }> = {
    'key-auth': { kind: 'key-auth', coll: 'keyauth_credentials' },
    'key-auths': { kind: 'key-auth', coll: 'keyauth_credentials' },
    acls: { kind: 'acls', coll: 'acls' },
    oauth2: { kind: 'oauth2', coll: 'oauth2_credentials' },
  };

  function dispatch(req: FakeRequest): FakeReply {
    const seg = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, any>;
    const m = req.method;

    if (seg.length === 0 && m === 'GET') {
      return {
        body: { version: '3.6.1', tagline: 'Welcome to kong', configuration: { database: fake.mode === 'dbless' ? 'off' : 'postgres' } },
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
          ...(fake.mode === 'dbless' ? { configuration_hash: configHash } : {}),
        },
      };
    }
    if (seg[0] === 'config' && seg.length === 1) {
      if (m === 'POST') return loadConfig(req);
      if (m === 'GET')
        return fake.mode === 'dbless'
          ? { body: { config: JSON.stringify(loadedConfigs.at(-1) ?? { _format_version: '3.0' }) } }
          : err(400, { message: 'this endpoint is only available when Kong is configured to not use a database' });
    }

    const top = seg[0];
    if (['services', 'routes', 'consumers', 'plugins'].includes(top)) {
      const coll = top as 'services' | 'routes' | 'consumers' | 'plugins';
      const blocked = readOnly(req, coll);
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
      const blocked = readOnly(req, top);
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
  Object.defineProperty(result, 'mode', { get: () => fake.mode, set: (v: 'db' | 'dbless') => (fake.mode = v), enumerable: true });
  result.state = state;
  // `state` collections are reassigned on delete; expose live views.
  Object.defineProperty(result, 'state', { get: () => state, enumerable: true });
  result.loadedConfigs = loadedConfigs;
  result.tagged = (collection, ...tags) => state[collection].filter((e) => tags.every((t) => (e.tags ?? []).includes(t)));
  result.writes = () => server.requests.filter((r) => r.method !== 'GET');
  result.wipe = () => {
    for (const k of Object.keys(state) as KongCollectionName[]) state[k] = [];
  };
  result.failMatching = (method, path, reply, times = 1) => planned.push({ method: method.toUpperCase(), path, reply, left: times });
  result.counts = () => Object.fromEntries(Object.entries(state).map(([k, v]) => [k, v.length])) as Record<KongCollectionName, number>;
  return result;
}
