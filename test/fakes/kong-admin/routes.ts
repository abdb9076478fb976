/** Routes: routing fields required, the service reference checked (code 4), unique names. */
import { randomUUID } from 'node:crypto';
import { FakeReply } from '../fake-server';
import { ROUTE_FIELDS, validate } from '../kong-schemas.fake';
import { err, Entity, KongStore, now, schemaViolation, uniqueViolation } from './store';
import { ServiceResource } from './services';

export function routeResource(store: KongStore, services: ServiceResource) {
  const { state } = store;
  const { resolveService } = services;

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

  function createRoute(body: Record<string, any>): FakeReply {
    const bad = checkRoute(body);
    if (bad) return bad;
    if (body.name && state.routes.some((r) => r.name === body.name)) return uniqueViolation('name', body.name);
    const e = normalizeRoute(body);
    state.routes.push(e);
    return { status: 201, body: e };
  }

  return { checkRoute, normalizeRoute, createRoute };
}
export type RouteResource = ReturnType<typeof routeResource>;
