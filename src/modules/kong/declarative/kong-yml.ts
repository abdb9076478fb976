import { AppConfig } from '../../../core/config/app-config';
import { baseServices } from './declarative-config';
import { OperatorEntities } from './operator-base-config';
import { toYaml } from './yaml';

const HEADER = `# Kong declarative configuration for the compose stack (Kong runs DB-less with this file).
# Entities tagged "flowgate" are Flowgate's own, GENERATED from
# src/modules/kong/declarative/declarative-config.ts (baseServices); regenerate them with:
#   UPDATE_KONG_YML=1 npx jest src/modules/kong/__tests__/kong-yml.spec.ts
# (which keeps the entities you added, though not comments of your own).
#
# - What end users call → Flowgate's api service (http://api:3000 on the compose network): the
#   REST API (/api/auth, /api/workflows, ... each route checks its JWT) and Nango's webhook.
# - The web console (GET /, /assets/..., and its pages /login, /workflows, /runs, ...) → the same
#   service, so the console and the API share this origin.
# - POST /api/webhooks/... → the same service with a rate limit (100 requests/second per client).
# - Not published: /health*, /metrics, /docs, /api/admin/* (operational, on the api only) and
#   /api/kong/bridge|aggregate|usage (Kong calls those on the api directly). See kong/README.md.
# - The Admin API is not configured here: it listens on the internal network only
#   (see kong/README.md).
#
# YOUR OWN ENTITIES: add them to this file WITHOUT the "flowgate" tag (services, routes,
# consumers, plugins, upstreams...). With KONG_MODE=dbless, Flowgate reads this file
# (KONG_DBLESS_BASE_CONFIG, default kong/kong.yml) on every POST /config and loads your entities
# together with its own; entities tagged "flowgate" here are replaced by Flowgate's current ones.
# A name Flowgate uses (flowgate-*) is refused. Without this file Flowgate's POST /config would
# delete anything added by hand.
`;

/** The text of kong/kong.yml for the given settings, with the operator's own entities after Flowgate's. */
export function renderKongYml(config: AppConfig, operator: OperatorEntities = {}): string {
  const doc: Record<string, unknown> = {
    _format_version: '3.0',
    _transform: true,
    services: [...baseServices(config), ...(operator.services ?? [])],
  };
  for (const [key, entities] of Object.entries(operator)) if (key !== 'services') doc[key] = entities;
  return HEADER + toYaml(doc);
}
