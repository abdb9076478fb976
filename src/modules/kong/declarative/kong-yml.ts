import { AppConfig } from '../../../core/config/app-config';
import { baseServices } from './declarative-config';
import { toYaml } from './yaml';

const HEADER = `# Kong declarative configuration for the compose stack (Kong runs DB-less with this file).
# GENERATED from src/modules/kong/declarative/declarative-config.ts (baseServices) — do not edit
# by hand; regenerate with: UPDATE_KONG_YML=1 npx jest src/modules/kong/__tests__/kong-yml.spec.ts
#
# - /api, /docs, /health → Flowgate's api service (http://api:3000 on the compose network).
# - POST /api/webhooks/... → the same service with a rate limit (100 requests/second per client).
# - The Admin API is not configured here: it listens on the internal network only
#   (see kong/README.md). With KONG_MODE=dbless Flowgate loads this same base plus every
#   tenant deployment through POST /config.
`;

/** The text of kong/kong.yml for the given settings. */
export function renderKongYml(config: AppConfig): string {
  return HEADER + toYaml({ _format_version: '3.0', _transform: true, services: baseServices(config) });
}
