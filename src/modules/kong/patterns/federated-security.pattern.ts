import { z } from 'zod';
import { ErrorDetail } from '../../../core/errors/app-exception';
import { PlanConsumer } from './kong-plan';
import { definePattern, StoredOptions } from './kong-pattern';
import { tenantConsumerName } from './plan-kit';

/** Options Kong's oauth2 plugin reads; refused with key-auth, where they would be ignored. */
const OAUTH2_ONLY = ['scopes', 'mandatory_scope', 'redirect_uris', 'token_expiration'] as const;

const options = z.strictObject({
  auth: z.enum(['key-auth', 'oauth2']).default('key-auth'),
  key_names: z
    .array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/))
    .min(1)
    .max(10)
    .default(['apikey']),
  hide_credentials: z.boolean().default(true),
  scopes: z
    .array(z.string().regex(/^[A-Za-z0-9:._-]{1,100}$/))
    .min(1)
    .max(50)
    .meta({ uniqueItems: true })
    .optional(),
  mandatory_scope: z.boolean().default(false),
  token_expiration: z.number().int().min(60).max(31_536_000).default(7200),
  redirect_uris: z
    .array(
      z
        .string()
        .regex(/^https?:\/\/\S+$/)
        .max(2048),
    )
    .min(1)
    .max(10)
    .optional(),
});
export type FederatedSecurityOptions = z.output<typeof options>;

/** key-auth or OAuth2 (client credentials) plus an ACL group per deployment, in front of the webhook. */
export const federatedSecurity = definePattern({
  name: 'federated_security',
  routeSuffix: 'secure',
  options,
  upstream: { webhook: true },
  frontsWebhook: true,
  usesTenantConsumer: true,
  complete: (o, ctx) => {
    const problems: ErrorDetail[] = [];
    if (o.auth === 'oauth2' && ctx.config.kong.mode === 'dbless') {
      problems.push({
        field: 'options.auth',
        message: 'options.auth "oauth2" needs Kong with a database (Kong keeps OAuth2 tokens in it); use "key-auth" in DB-less mode',
      });
    }
    if (o.mandatory_scope && !o.scopes) {
      problems.push({ field: 'options.scopes', message: 'options.scopes is required when options.mandatory_scope is true' });
    }
    if (o.auth === 'oauth2') return { options: o, problems };
    for (const k of OAUTH2_ONLY) {
      if (k in ctx.raw) problems.push({ field: `options.${k}`, message: `options.${k} applies only when options.auth is "oauth2"` });
    }
    // Their defaults mean nothing to key-auth: not shown as options in force.
    const { mandatory_scope: _scope, token_expiration: _expiration, ...keyAuth } = o;
    const stored: StoredOptions = keyAuth;
    return { options: stored, problems };
  },
  secrets: (o, current, generate) => {
    if (o.auth === 'oauth2') {
      const oauth2 = current.oauth2 ?? { clientId: `flowgate-${generate(12)}`, clientSecret: generate() };
      return { secrets: { oauth2 }, fresh: current.oauth2 ? {} : { oauth2 } };
    }
    const apiKey = current.apiKey ?? generate();
    return { secrets: { apiKey }, fresh: current.apiKey ? {} : { apiKey } };
  },
  oneTimeCredentials: (o, fresh, routePath) => {
    if (fresh.apiKey) return { api_key: fresh.apiKey, key_names: o.key_names };
    if (fresh.oauth2)
      return { client_id: fresh.oauth2.clientId, client_secret: fresh.oauth2.clientSecret, token_path: `${routePath}/oauth2/token` };
    return undefined;
  },
  plan: (o, kit) => {
    const { deploymentId, tenantId, secrets } = kit.input;
    const group = `flowgate-deployment-${deploymentId}`;
    const authPlugin =
      o.auth === 'oauth2'
        ? kit.plugin('oauth2', {
            enable_client_credentials: true,
            scopes: o.scopes,
            mandatory_scope: o.mandatory_scope,
            token_expiration: o.token_expiration,
            hide_credentials: o.hide_credentials,
            global_credentials: false,
          })
        : kit.plugin('key-auth', { key_names: o.key_names, hide_credentials: o.hide_credentials });
    const consumer: PlanConsumer = {
      username: tenantConsumerName(tenantId),
      custom_id: tenantId,
      tags: ['flowgate', `tenant:${tenantId}`],
      acl: { group, tags: kit.tags },
    };
    if (o.auth === 'oauth2') {
      const c = kit.required(secrets.oauth2, 'oauth2 client');
      kit.secret(c.clientSecret);
      consumer.oauth2 = {
        name: `flowgate-${deploymentId}`,
        client_id: c.clientId,
        client_secret: c.clientSecret,
        redirect_uris: o.redirect_uris,
        tags: kit.tags,
      };
    } else {
      consumer.keyAuth = { key: kit.secret(kit.required(secrets.apiKey, 'api key')), tags: kit.tags };
    }
    // The ACL ties the route to this deployment's group, so another tenant's key is refused.
    const acl = kit.plugin('acl', { allow: [group], hide_groups_header: true });
    return kit.plan([kit.service([kit.route(['POST'], [authPlugin, acl, ...kit.webhookGate()])])], consumer);
  },
});
