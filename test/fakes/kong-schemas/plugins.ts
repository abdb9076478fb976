/** The bundled plugins' config schemas and entity checks the fake enforces, and the plugin validator. */
import { FieldErrors, FieldSpec, bool, headerName, headerPairs, int, kongPath, num, rec, str, strs, validate } from './field-spec';
import { PLUGIN_FIELDS } from './entities';

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
