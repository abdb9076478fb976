/** Consumers: username or custom_id, both unique. */
import { randomUUID } from 'node:crypto';
import { FakeReply } from '../fake-server';
import { CONSUMER_FIELDS, validate } from '../kong-schemas.fake';
import { Entity, KongStore, now, schemaViolation, uniqueViolation } from './store';

export function consumerResource(store: KongStore) {
  const { state } = store;

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

  return { checkConsumer, createConsumer };
}
export type ConsumerResource = ReturnType<typeof consumerResource>;
