/**
 * Header Kong adds (via request-transformer) so Flowgate knows a call came through the
 * deployment's route: the bridge and aggregate endpoints, and the webhook of a workflow behind
 * a webhook-fronting pattern (WEBHOOK_FRONTING_USE_CASES).
 */
export const GATEWAY_SECRET_HEADER = 'x-flowgate-gateway-secret';
/** Header Kong's http-log sends to the usage endpoint. */
export const USAGE_SECRET_HEADER = 'x-kong-usage-secret';

/** Secrets a deployment keeps (encrypted at rest). */
export interface DeploymentSecrets {
  /** Every use case: proves a request came through this deployment's Kong route (absent only on webhook-fronting deployments made before it was required). */
  gatewaySecret?: string;
  /** federated_security (key-auth): the tenant consumer's key for this deployment. */
  apiKey?: string;
  /** federated_security (oauth2): the client credentials. */
  oauth2?: { clientId: string; clientSecret: string };
}

/** Credentials the apply answer shows once, in the answer that generated them. */
export interface OneTimeCredentials {
  api_key?: string;
  key_names?: string[];
  client_id?: string;
  client_secret?: string;
  token_path?: string;
}
