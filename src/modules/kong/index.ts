/** The kong module's public surface: other modules import from here, never from its files. */
export { assertGatewaySecret, openDeploymentSecrets } from './deploy/deployment-secrets.service';
export { WEBHOOK_FRONTING_USE_CASES } from './patterns';
export { GATEWAY_SECRET_HEADER } from './patterns/secrets';
