/**
 * Kong's proxy side, emulated from the fake Admin API's entities, so tests can send a request
 * "through Kong" to Flowgate: route matching (longest path prefix, methods), strip_path,
 * and the plugins the templates use — request-transformer (remove, then add headers),
 * key-auth + acl (401/403 like Kong), proxy-cache (memory, exact content-type match,
 * X-Cache-Status). Services point at FLOWGATE_PUBLIC_URL_FOR_KONG; the emulator sends to
 * `upstream` (the test app) instead, keeping the service's path.
 */
import { KongFake } from './kong-admin.fake';

export interface ProxyResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

interface CacheEntry {
  status: number;
  headers: Headers;
  text: string;
  expires: number;
}

export function kongProxy(kong: KongFake, upstream: string) {
  const cache = new Map<string, CacheEntry>();

  const reply = (status: number, body: unknown, headers: Record<string, string> = {}): ProxyResponse => {
    const text = JSON.stringify(body);
    return { status, headers: new Headers({ 'content-type': 'application/json; charset=utf-8', ...headers }), body, text };
  };

  return async function send(
    method: string,
    pathAndQuery: string,
    opts: { headers?: Record<string, string>; body?: unknown } = {},
  ): Promise<ProxyResponse> {
    const url = new URL(pathAndQuery, 'http://kong.local');
    const headers = new Headers(opts.headers ?? {});
    const candidates = kong.state.routes
      .filter((r) => !r.methods || r.methods.includes(method))
      .flatMap((r) =>
        (r.paths ?? [])
          .filter((p: string) => url.pathname === p || url.pathname.startsWith(p.endsWith('/') ? p : `${p}/`))
          .map((p: string) => ({ r, p })),
      )
      .sort((a, b) => b.p.length - a.p.length);
    if (!candidates.length) return reply(404, { message: 'no Route matched with those values' });
    const { r: route, p: prefix } = candidates[0];
    const service = kong.state.services.find((s) => s.id === route.service?.id);
    if (!service) return reply(503, { message: 'no service' });
    const plugins = kong.state.plugins.filter((pl) => pl.enabled !== false && (pl.route?.id === route.id || pl.service?.id === service.id));
    const plugin = (name: string) => plugins.find((pl) => pl.name === name);

    // Authentication (key-auth), then authorization (acl), as Kong's plugin priorities order them.
    let consumerId: string | undefined;
    const keyAuth = plugin('key-auth');
    if (keyAuth) {
      const names: string[] = keyAuth.config.key_names ?? ['apikey'];
      const name = names.find((n) => headers.has(n) || url.searchParams.has(n));
      const key = name ? (headers.get(name) ?? url.searchParams.get(name)) : null;
      if (!key) return reply(401, { message: 'No API key found in request' }, { 'www-authenticate': 'Key realm="kong"' });
      const cred = kong.state.keyauth_credentials.find((k) => k.key === key);
      if (!cred) return reply(401, { message: 'Invalid authentication credentials' });
      consumerId = cred.consumer.id;
      if (keyAuth.config.hide_credentials)
        for (const n of names) {
          headers.delete(n);
          url.searchParams.delete(n);
        }
    }
    const acl = plugin('acl');
    if (acl) {
      if (!consumerId) return reply(401, { message: 'Unauthorized' });
      const groups = kong.state.acls.filter((a) => a.consumer.id === consumerId).map((a) => a.group);
      if (!groups.some((g) => (acl.config.allow ?? []).includes(g))) return reply(403, { message: 'You cannot consume this service' });
    }
    const rt = plugin('request-transformer');
    if (rt) {
      for (const h of rt.config.remove?.headers ?? []) headers.delete(h);
      for (const pair of rt.config.add?.headers ?? []) {
        const i = pair.indexOf(':');
        if (!headers.has(pair.slice(0, i))) headers.set(pair.slice(0, i), pair.slice(i + 1));
      }
    }

    const rest = route.strip_path ? url.pathname.slice(prefix.length) : url.pathname;
    const upstreamPath = `${service.path ?? ''}${rest}` || '/';
    const target = `${upstream}${upstreamPath}${url.search}`;

    const pc = plugin('proxy-cache');
    const cacheKey = `${route.id}|${method}|${url.pathname}${url.search}`;
    if (pc && (pc.config.request_method ?? ['GET', 'HEAD']).includes(method)) {
      const hit = cache.get(cacheKey);
      if (hit && hit.expires > Date.now()) {
        const h = new Headers(hit.headers);
        h.set('x-cache-status', 'Hit');
        return { status: hit.status, headers: h, text: hit.text, body: parse(hit.text) };
      }
    }

    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    if (body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
    const res = await fetch(target, { method, headers, body });
    const text = await res.text();
    const out: ProxyResponse = { status: res.status, headers: new Headers(res.headers), text, body: parse(text) };
    if (pc && (pc.config.request_method ?? ['GET', 'HEAD']).includes(method)) {
      const type = res.headers.get('content-type') ?? '';
      const cacheable =
        (pc.config.response_code ?? [200, 301, 404]).includes(res.status) &&
        (pc.config.content_type ?? ['text/plain', 'application/json']).includes(type);
      out.headers.set('x-cache-status', cacheable ? 'Miss' : 'Bypass');
      if (cacheable)
        cache.set(cacheKey, {
          status: res.status,
          headers: new Headers(res.headers),
          text,
          expires: Date.now() + (pc.config.cache_ttl ?? 300) * 1000,
        });
    }
    return out;
  };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
