/** The kong module's public surface: other modules import from here, never from its files. */
export { assertGatewaySecret, openDeploymentSecrets } from './deploy/deployment-secrets.service';
export { GATEWAY_SECRET_HEADER } from './templates/plan-builder';
export { WEBHOOK_FRONTING_USE_CASES } from './templates/use-cases';
