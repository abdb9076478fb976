/** DB-less: `POST /config` validates the whole declarative config (400 code 14, nested fields) and replaces the state. */
import { randomBytes, randomUUID } from 'node:crypto';
import { FakeReply, FakeRequest } from '../fake-server';
import { err, KongCollectionName, KongStore, uniqueViolation } from './store';
import { ConsumerResource } from './consumers';
import { CredentialResource } from './credentials';
import { PluginResource } from './plugins';
import { RouteResource } from './routes';
import { ServiceResource } from './services';

export function declarativeConfig(
  store: KongStore,
  r: ServiceResource & RouteResource & PluginResource & ConsumerResource & CredentialResource,
) {
  const { state } = store;
  const { checkService, normalizeService, checkRoute, normalizeRoute, checkPlugin, normalizePlugin, checkConsumer, createCredential } = r;

  function loadConfig(req: FakeRequest): FakeReply {
    if (store.mode !== 'dbless')
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
    store.loadedConfigs.push(cfg);
    store.configHash = randomBytes(16).toString('hex');
    return { status: 201, body: cfg };
  }

  return { loadConfig };
}
export type DeclarativeConfig = ReturnType<typeof declarativeConfig>;
