/** Kong's core entities (services, routes, consumers, credentials, plugins) as the fake checks them. */
import { FieldSpec, NAME, bool, int, str, strs, tags } from './field-spec';

// ---------- entities ----------

const timestamps = { id: str(), created_at: int(), updated_at: int() };

export const SERVICE_FIELDS: Record<string, FieldSpec> = {
  ...timestamps,
  name: str({ match: NAME, matchMsg: 'invalid value: must only contain alphanumerics and ., -, _, ~' }),
  url: str({ match: /^https?:\/\/[^\s/]+/, matchMsg: 'missing host in url' }),
  protocol: str({ enum: ['http', 'https', 'grpc', 'grpcs', 'tcp', 'tls', 'udp'] }),
  host: str(),
  port: int({ between: [0, 65535] }),
  path: str({ match: /^\//, matchMsg: 'should start with: /' }),
  retries: int({ between: [0, 32767] }),
  connect_timeout: int({ between: [1, 2147483646] }),
  write_timeout: int({ between: [1, 2147483646] }),
  read_timeout: int({ between: [1, 2147483646] }),
  enabled: bool,
  tls_verify: bool,
  tags,
};

export const ROUTE_FIELDS: Record<string, FieldSpec> = {
  ...timestamps,
  name: str({ match: NAME, matchMsg: 'invalid value: must only contain alphanumerics and ., -, _, ~' }),
  protocols: { type: 'set', elements: str({ enum: ['http', 'https', 'grpc', 'grpcs', 'tcp', 'tls', 'udp', 'ws', 'wss'] }) },
  methods: { type: 'set', elements: str({ match: /^[A-Z]+$/, matchMsg: 'invalid value: must be uppercase' }) },
  hosts: strs,
  paths: { type: 'array', elements: str({ match: /^[/~]/, matchMsg: 'should start with: / (fixed path) or ~/ (regex path)' }) },
  headers: { type: 'map', values: strs },
  https_redirect_status_code: int(),
  regex_priority: int(),
  strip_path: bool,
  path_handling: str({ enum: ['v0', 'v1'] }),
  preserve_host: bool,
  request_buffering: bool,
  response_buffering: bool,
  service: { type: 'foreign' },
  tags,
};

export const CONSUMER_FIELDS: Record<string, FieldSpec> = {
  ...timestamps,
  username: str(),
  custom_id: str(),
  tags,
};

export const KEY_AUTH_FIELDS: Record<string, FieldSpec> = { ...timestamps, consumer: { type: 'foreign' }, key: str(), ttl: int(), tags };
export const ACL_FIELDS: Record<string, FieldSpec> = { ...timestamps, consumer: { type: 'foreign' }, group: str({ required: true }), tags };
export const OAUTH2_CREDENTIAL_FIELDS: Record<string, FieldSpec> = {
  ...timestamps,
  consumer: { type: 'foreign' },
  name: str({ required: true }),
  client_id: str(),
  client_secret: str(),
  hash_secret: bool,
  redirect_uris: { type: 'array', elements: str({ match: /^https?:\/\//, matchMsg: 'cannot parse' }) },
  client_type: str({ enum: ['confidential', 'public'] }),
  tags,
};

export const PLUGIN_FIELDS: Record<string, FieldSpec> = {
  ...timestamps,
  name: str({ required: true }),
  instance_name: str(),
  config: { type: 'any' },
  enabled: bool,
  protocols: { type: 'set', elements: str() },
  service: { type: 'foreign' },
  route: { type: 'foreign' },
  consumer: { type: 'foreign' },
  ordering: { type: 'any' },
  tags,
};
