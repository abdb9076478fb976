/** Services: Kong's validation (url or host), its defaults, unique names. */
import { randomUUID } from 'node:crypto';
import { FakeReply } from '../fake-server';
import { SERVICE_FIELDS, validate } from '../kong-schemas.fake';
import { Entity, KongStore, now, schemaViolation, uniqueViolation } from './store';

export function serviceResource(store: KongStore) {
  const { state } = store;

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

  function createService(body: Record<string, any>): FakeReply {
    const bad = checkService(body);
    if (bad) return bad;
    if (body.name && state.services.some((s) => s.name === body.name)) return uniqueViolation('name', body.name);
    const e = normalizeService(body);
    state.services.push(e);
    return { status: 201, body: e };
  }

  return { normalizeService, checkService, resolveService, createService };
}
export type ServiceResource = ReturnType<typeof serviceResource>;
