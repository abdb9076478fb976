/** Shapes of the Kong Admin API entities Flowgate reads and writes (Kong 3.x). */

export interface KongEntity {
  id: string;
  tags?: string[] | null;
  created_at?: number;
  updated_at?: number;
}

export interface KongService extends KongEntity {
  name: string;
}

export interface KongRoute extends KongEntity {
  name: string;
  paths?: string[] | null;
  service?: { id: string } | null;
}

export interface KongPlugin extends KongEntity {
  name: string;
  config: Record<string, unknown>;
  enabled?: boolean;
  service?: { id: string } | null;
  route?: { id: string } | null;
  consumer?: { id: string } | null;
}

export interface KongConsumer extends KongEntity {
  username?: string | null;
  custom_id?: string | null;
}

export interface KongKeyAuth extends KongEntity {
  key: string;
  consumer: { id: string };
}

export interface KongAcl extends KongEntity {
  group: string;
  consumer: { id: string };
}

export interface KongOAuth2Credential extends KongEntity {
  name: string;
  client_id: string;
  client_secret?: string;
  consumer: { id: string };
}

export interface KongList<T> {
  data: T[];
  next?: string | null;
  offset?: string;
}

/** Kong's error body: `{ code, name, message, fields }`. */
export interface KongErrorBody {
  code?: number;
  name?: string;
  message?: string;
  fields?: unknown;
}

/** Entity collections Flowgate creates, in the order they must be deleted (children first). */
export const KONG_COLLECTIONS_DELETE_ORDER = ['plugins', 'key-auths', 'acls', 'oauth2', 'routes', 'services'] as const;
export type KongCollection = (typeof KONG_COLLECTIONS_DELETE_ORDER)[number] | 'consumers';
