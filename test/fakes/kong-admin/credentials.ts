/** A consumer's key-auth keys, ACL groups and OAuth2 applications. */
import { randomBytes, randomUUID } from 'node:crypto';
import { FakeReply } from '../fake-server';
import { ACL_FIELDS, KEY_AUTH_FIELDS, OAUTH2_CREDENTIAL_FIELDS, validate } from '../kong-schemas.fake';
import { Entity, KongCollectionName, KongStore, now, schemaViolation, uniqueViolation } from './store';

/** The credential paths under /consumers/{c}/ (and their top-level lists), with the collection each is kept in. */
export const CRED_PATH: Record<string, { kind: 'key-auth' | 'acls' | 'oauth2'; coll: KongCollectionName }> = {
  'key-auth': { kind: 'key-auth', coll: 'keyauth_credentials' },
  'key-auths': { kind: 'key-auth', coll: 'keyauth_credentials' },
  acls: { kind: 'acls', coll: 'acls' },
  oauth2: { kind: 'oauth2', coll: 'oauth2_credentials' },
};

export function credentialResource(store: KongStore) {
  const { state } = store;

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

  return { createCredential };
}
export type CredentialResource = ReturnType<typeof credentialResource>;
