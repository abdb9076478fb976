/** Writes shared by every collection: upsert by name (PUT), delete with Kong's cascades and foreign-key refusal. */
import { randomUUID } from 'node:crypto';
import { FakeReply, FakeRequest } from '../fake-server';
import { byIdOrName, Entity, err, KongCollectionName, KongStore, now, replace } from './store';
import { ConsumerResource } from './consumers';
import { RouteResource } from './routes';
import { ServiceResource } from './services';

export function entityWrites(store: KongStore, r: ServiceResource & RouteResource & ConsumerResource) {
  const { state } = store;
  const { checkService, normalizeService, checkRoute, normalizeRoute, checkConsumer } = r;

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

  return { upsertByName, deleteEntity };
}
export type EntityWrites = ReturnType<typeof entityWrites>;
