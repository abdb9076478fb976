/** Plugins: each validated against its schema (kong-schemas.fake.ts), one of a name per scope. */
import { randomUUID } from 'node:crypto';
import { FakeReply } from '../fake-server';
import { validatePlugin } from '../kong-schemas.fake';
import { Entity, KongStore, now, schemaViolation, uniqueViolation } from './store';

export function pluginResource(store: KongStore) {
  const { state } = store;

  function checkPlugin(body: Record<string, any>, self?: Entity): FakeReply | undefined {
    const errors = validatePlugin(body, { dbless: store.mode === 'dbless' });
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

  function createPlugin(body: Record<string, any>): FakeReply {
    const bad = checkPlugin(body);
    if (bad) return bad;
    const e = normalizePlugin(body);
    state.plugins.push(e);
    return { status: 201, body: e };
  }

  return { checkPlugin, normalizePlugin, createPlugin };
}
export type PluginResource = ReturnType<typeof pluginResource>;
