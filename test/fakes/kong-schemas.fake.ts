/**
 * The parts of Kong 3.x's entity and plugin schemas the fake Kong enforces, so a test fails
 * when Flowgate sends something real Kong would reject: unknown fields, missing required
 * fields, wrong types, bad enum values and the plugins' own entity checks. Errors come back
 * nested like Kong's `fields` (`{ config: { second: "expected a number" } }`).
 */

export type FieldSpec =
  | { type: 'string'; required?: boolean; enum?: readonly string[]; match?: RegExp; matchMsg?: string }
  | { type: 'number' | 'integer'; required?: boolean; gt?: number; between?: [number, number] }
  | { type: 'boolean'; required?: boolean }
  | { type: 'array' | 'set'; required?: boolean; elements: FieldSpec }
  | { type: 'map'; required?: boolean; values: FieldSpec }
  | { type: 'record'; required?: boolean; fields: Record<string, FieldSpec> }
  | { type: 'foreign'; required?: boolean }
  | { type: 'any'; required?: boolean };

export type FieldErrors = string | { [k: string]: FieldErrors } | (FieldErrors | null)[];

type StringExtra = { required?: boolean; enum?: readonly string[]; match?: RegExp; matchMsg?: string };
const str = (extra: StringExtra = {}): FieldSpec => ({ type: 'string', ...extra });
type NumberExtra = { required?: boolean; gt?: number; between?: [number, number] };
const num = (extra: NumberExtra = {}): FieldSpec => ({ type: 'number', ...extra });
const int = (extra: NumberExtra = {}): FieldSpec => ({ type: 'integer', ...extra });
const bool: FieldSpec = { type: 'boolean' };
const strs: FieldSpec = { type: 'array', elements: { type: 'string' } };
const rec = (fields: Record<string, FieldSpec>, required = false): FieldSpec => ({ type: 'record', fields, required });

/** Kong's `name` type: letters, digits and `.-_~`. */
export const NAME = /^[A-Za-z0-9.\-_~]+$/;
/** Kong's tag type: printable, no commas, no spaces. */
export const TAG = /^[^,\s]+$/;
/** Kong's `header_name` type (utils.validate_header_name). */
export const HEADER_NAME = /^[A-Za-z0-9_-]+$/;
/** Kong's `path` type: starts with "/", RFC 3986 unreserved characters and percent-escapes only. */
export const KONG_PATH = /^\/([A-Za-z0-9._~/-]|%[0-9A-Fa-f]{2})*$/;

const tags: FieldSpec = { type: 'set', elements: str({ match: TAG, matchMsg: 'invalid tag' }) };
const headerName = (extra: StringExtra = {}): FieldSpec =>
  str({ match: HEADER_NAME, matchMsg: "bad header name, allowed characters are A-Z, a-z, 0-9, '_', and '-'", ...extra });
const kongPath: FieldSpec = str({
  match: KONG_PATH,
  matchMsg: 'invalid path (characters outside of the reserved list of RFC 3986 found, or a bad percent-encoding)',
});
const headerPairs: FieldSpec = { type: 'array', elements: str({ match: /^[^:]+:.*$/, matchMsg: 'invalid value: expected "name:value"' }) };

export function validate(value: unknown, fields: Record<string, FieldSpec>): Record<string, FieldErrors> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { '@entity': ['expected a record'] };
  const errors: Record<string, FieldErrors> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const spec = fields[k];
    if (!spec) {
      errors[k] = 'unknown field';
      continue;
    }
    const e = validateField(v, spec);
    if (e) errors[k] = e;
  }
  for (const [k, spec] of Object.entries(fields)) {
    const v = (value as Record<string, unknown>)[k];
    if (spec.required && (v === undefined || v === null) && !errors[k]) errors[k] = 'required field missing';
  }
  return Object.keys(errors).length ? errors : null;
}

function validateField(v: unknown, spec: FieldSpec): FieldErrors | null {
  if (v === null || v === undefined) return null; // null clears a field in Kong; `required` checked by the caller
  switch (spec.type) {
    case 'string':
      if (typeof v !== 'string') return 'expected a string';
      if (v.length === 0) return 'length must be at least 1';
      if (spec.enum && !spec.enum.includes(v)) return `expected one of: ${spec.enum.join(', ')}`;
      if (spec.match && !spec.match.test(v)) return spec.matchMsg ?? `invalid value: ${v}`;
      if (spec.match === KONG_PATH && v.includes('//')) return 'must not have empty segments';
      return null;
    case 'number':
    case 'integer':
      if (typeof v !== 'number' || Number.isNaN(v)) return spec.type === 'integer' ? 'expected an integer' : 'expected a number';
      if (spec.type === 'integer' && !Number.isInteger(v)) return 'expected an integer';
      if (spec.gt !== undefined && !(v > spec.gt)) return `value must be greater than ${spec.gt}`;
      if (spec.between && (v < spec.between[0] || v > spec.between[1]))
        return `value should be between ${spec.between[0]} and ${spec.between[1]}`;
      return null;
    case 'boolean':
      return typeof v === 'boolean' ? null : 'expected a boolean';
    case 'array':
    case 'set': {
      if (!Array.isArray(v)) return spec.type === 'set' ? 'expected a set' : 'expected an array';
      const errs = v.map((item) => validateField(item, spec.elements) ?? null);
      return errs.some((e) => e !== null) ? errs : null;
    }
    case 'map': {
      if (typeof v !== 'object' || Array.isArray(v)) return 'expected a map';
      const out: Record<string, FieldErrors> = {};
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
        const e = validateField(item, spec.values);
        if (e) out[k] = e;
      }
      return Object.keys(out).length ? out : null;
    }
    case 'record':
      return validate(v, spec.fields);
    case 'foreign':
      return typeof v === 'object' && !Array.isArray(v) && ((v as { id?: unknown }).id || (v as { name?: unknown }).name)
        ? null
        : 'expected a foreign key';
    case 'any':
      return null;
  }
}

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

// ---------- plugins ----------

const REDIS_FIELDS: Record<string, FieldSpec> = {
  host: str(),
  port: int({ between: [0, 65535] }),
  database: int(),
  username: str(),
  password: str(),
  timeout: int(),
  connect_timeout: int(),
  send_timeout: int(),
  read_timeout: int(),
  ssl: bool,
  ssl_verify: bool,
  server_name: str(),
};

const PERIODS = ['second', 'minute', 'hour', 'day', 'month', 'year'] as const;

export interface PluginSchema {
  /** The config record's fields; a function when they depend on the mode (rate-limiting's `policy`). */
  config: Record<string, FieldSpec> | ((ctx: { dbless: boolean }) => Record<string, FieldSpec>);
  /** Entity checks after field validation (Kong's `entity_checks` and the config's `custom_validator`). */
  check?: (config: Record<string, unknown>, ctx: { dbless: boolean }) => Record<string, FieldErrors> | null;
  /** Plugins that need a database (oauth2 keeps tokens in it). */
  dbOnly?: boolean;
}

/** `remove` takes names; rename/add/append take "name:value" pairs. */
const transformerSection = (keys: string[], pairs: boolean) => rec(Object.fromEntries(keys.map((k) => [k, pairs ? headerPairs : strs])));

export const PLUGIN_SCHEMAS: Record<string, PluginSchema> = {
  'rate-limiting': {
    config: ({ dbless }) => ({
      ...Object.fromEntries(PERIODS.map((p) => [p, num({ gt: 0 })])),
      limit_by: str({ enum: ['consumer', 'credential', 'ip', 'service', 'header', 'path'] }),
      header_name: headerName(),
      path: kongPath,
      // DB-less Kong builds the schema without `cluster` (it has no database to count in).
      policy: str({ enum: dbless ? ['local', 'redis'] : ['local', 'cluster', 'redis'] }),
      fault_tolerant: bool,
      hide_client_headers: bool,
      error_code: num({ gt: 0 }),
      error_message: str(),
      sync_rate: num(),
      redis: rec(REDIS_FIELDS),
    }),
    check(c): Record<string, FieldErrors> | null {
      const given = PERIODS.filter((p) => typeof c[p] === 'number');
      if (!given.length)
        return { '@entity': [`at least one of these fields must be non-empty: ${PERIODS.map((p) => `'config.${p}'`).join(', ')}`] };
      // The config record's custom_validator: Kong reports it on `config` itself.
      for (let i = 1; i < given.length; i++) {
        const shorter = given[i - 1];
        const longer = given[i];
        if ((c[longer] as number) < (c[shorter] as number)) {
          return {
            config: `The limit for ${longer}(${(c[longer] as number).toFixed(1)}) cannot be lower than the limit for ${shorter}(${(c[shorter] as number).toFixed(1)})`,
          };
        }
      }
      if (c.sync_rate !== undefined && c.sync_rate !== null && c.sync_rate !== -1 && c.policy !== 'redis')
        return { config: 'sync_rate can only be used with the redis policy' };
      // The schema's conditional entity checks: the `then` field is required when the `if` field matches.
      const conditionals: [string, unknown, (c: Record<string, unknown>) => unknown, string][] = [
        ['policy', 'redis', (x) => (x.redis as { host?: unknown } | undefined)?.host, 'redis.host'],
        ['limit_by', 'header', (x) => x.header_name, 'header_name'],
        ['limit_by', 'path', (x) => x.path, 'path'],
      ];
      for (const [ifField, eq, then, thenField] of conditionals) {
        if (c[ifField] !== eq || (then(c) !== undefined && then(c) !== null)) continue;
        const [head, tail] = thenField.split('.');
        return {
          '@entity': [`failed conditional validation given value of field 'config.${ifField}'`],
          config: { [head]: tail ? { [tail]: 'required field missing' } : 'required field missing' },
        };
      }
      return null;
    },
  },
  'proxy-cache': {
    config: {
      response_code: { type: 'array', elements: int({ between: [100, 900] }) },
      request_method: { type: 'array', elements: str({ enum: ['HEAD', 'GET', 'POST', 'PATCH', 'PUT'] }) },
      content_type: strs,
      cache_ttl: int({ gt: 0 }),
      strategy: str({ required: true, enum: ['memory'] }),
      cache_control: bool,
      ignore_uri_case: bool,
      storage_ttl: int(),
      memory: rec({ dictionary_name: str() }),
      vary_query_params: strs,
      vary_headers: strs,
      response_headers: rec({ age: bool, 'X-Cache-Status': bool, 'X-Cache-Key': bool }),
    },
  },
  'key-auth': {
    config: {
      key_names: { type: 'array', elements: headerName() },
      hide_credentials: bool,
      anonymous: str(),
      key_in_header: bool,
      key_in_query: bool,
      key_in_body: bool,
      run_on_preflight: bool,
      realm: str(),
    },
  },
  acl: {
    config: { allow: strs, deny: strs, hide_groups_header: bool, include_consumer_groups: bool, always_use_authenticated_groups: bool },
    check(c) {
      const allow = Array.isArray(c.allow) && c.allow.length > 0;
      const deny = Array.isArray(c.deny) && c.deny.length > 0;
      if (allow === deny) return { '@entity': ["exactly one of these fields must be non-empty: 'config.allow', 'config.deny'"] };
      return null;
    },
  },
  oauth2: {
    dbOnly: true,
    config: {
      scopes: strs,
      mandatory_scope: bool,
      provision_key: str(),
      token_expiration: num(),
      enable_authorization_code: bool,
      enable_implicit_grant: bool,
      enable_client_credentials: bool,
      enable_password_grant: bool,
      hide_credentials: bool,
      accept_http_if_already_terminated: bool,
      anonymous: str(),
      global_credentials: bool,
      auth_header_name: str(),
      refresh_token_ttl: num(),
      reuse_refresh_token: bool,
      persistent_refresh_token: bool,
      pkce: str({ enum: ['none', 'lax', 'strict'] }),
      realm: str(),
    },
    check(c) {
      if (
        !['enable_authorization_code', 'enable_implicit_grant', 'enable_client_credentials', 'enable_password_grant'].some(
          (k) => c[k] === true,
        )
      ) {
        return { '@entity': ['You need to enable at least one OAuth flow'] };
      }
      if (c.mandatory_scope === true && !(Array.isArray(c.scopes) && c.scopes.length)) {
        return { '@entity': ['To set a mandatory scope you also need to create available scopes'] };
      }
      return null;
    },
  },
  'request-transformer': {
    config: {
      http_method: str({ match: /^[A-Z]+$/ }),
      remove: transformerSection(['body', 'headers', 'querystring'], false),
      rename: transformerSection(['body', 'headers', 'querystring'], true),
      replace: rec({ body: headerPairs, headers: headerPairs, querystring: headerPairs, uri: str() }),
      add: transformerSection(['body', 'headers', 'querystring'], true),
      append: transformerSection(['body', 'headers', 'querystring'], true),
    },
  },
  'response-transformer': {
    config: {
      remove: rec({ headers: strs, json: strs }),
      rename: rec({ headers: strs, json: strs }),
      replace: rec({ headers: headerPairs, json: strs, json_types: strs }),
      add: rec({ headers: headerPairs, json: strs, json_types: strs }),
      append: rec({ headers: headerPairs, json: strs, json_types: strs }),
    },
  },
  'http-log': {
    config: {
      http_endpoint: str({ required: true, match: /^https?:\/\/[^\s/]+/, matchMsg: 'missing host in url' }),
      method: str({ enum: ['POST', 'PUT', 'PATCH'] }),
      content_type: str({ enum: ['application/json', 'application/json; charset=utf-8'] }),
      timeout: num(),
      keepalive: num(),
      retry_count: int(),
      queue_size: int(),
      flush_timeout: num(),
      headers: { type: 'map', values: str() },
      custom_fields_by_lua: { type: 'map', values: str() },
      queue: rec({
        max_batch_size: int({ between: [1, 1000000] }),
        max_coalescing_delay: num({ between: [0, 3600] }),
        max_entries: int({ between: [1, 1000000] }),
        max_bytes: int(),
        max_retry_time: num(),
        initial_retry_delay: num(),
        max_retry_delay: num(),
        concurrency_limit: int(),
      }),
    },
  },
};

/** Validates a plugin entity like Kong: entity fields, then `config` against the plugin's schema, then its checks. */
export function validatePlugin(body: Record<string, unknown>, ctx: { dbless: boolean }): Record<string, FieldErrors> | null {
  const entityErrors = validate(body, PLUGIN_FIELDS);
  if (entityErrors) return entityErrors;
  const schema = PLUGIN_SCHEMAS[body.name as string];
  if (!schema) return { name: `plugin '${String(body.name)}' not enabled; add it to the 'plugins' configuration property` };
  if (schema.dbOnly && ctx.dbless) return { name: `plugin '${String(body.name)}' is not supported in DB-less mode` };
  const config = (body.config ?? {}) as Record<string, unknown>;
  const configErrors = validate(config, typeof schema.config === 'function' ? schema.config(ctx) : schema.config);
  if (configErrors) return { config: configErrors };
  return schema.check?.(config, ctx) ?? null;
}

/** `2 schema violations (config.foo: unknown field; name: required field missing)` */
export function schemaViolationMessage(fields: Record<string, FieldErrors>): string {
  const flat: string[] = [];
  const walk = (e: FieldErrors | null, path: string) => {
    if (e === null) return;
    if (typeof e === 'string') flat.push(`${path}: ${e}`);
    else if (Array.isArray(e)) e.forEach((x, i) => (typeof x === 'string' ? flat.push(`${path}: ${x}`) : walk(x, `${path}.${i + 1}`)));
    else for (const [k, v] of Object.entries(e)) walk(v, path ? `${path}.${k}` : k);
  };
  walk(fields, '');
  return flat.length === 1 ? `schema violation (${flat[0]})` : `${flat.length} schema violations (${flat.join('; ')})`;
}
