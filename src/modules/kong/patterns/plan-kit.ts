import { AppConfig } from '../../../core/config/app-config';
import { KongPlan, PlanConsumer, PlanPlugin, PlanRoute, PlanService } from './kong-plan';
import { DeploymentSecrets, GATEWAY_SECRET_HEADER } from './secrets';

/** The deployment a plan is built for (its options as stored, its opened secrets). */
export interface PlanInput {
  deploymentId: string;
  tenantId: string;
  workflowId: string;
  options: Record<string, unknown>;
  secrets: DeploymentSecrets;
}

export function deploymentTags(i: { tenantId: string; workflowId: string; deploymentId: string }): string[] {
  return ['flowgate', `tenant:${i.tenantId}`, `workflow:${i.workflowId}`, `deployment:${i.deploymentId}`];
}

export function tenantConsumerName(tenantId: string): string {
  return `flowgate-tenant-${tenantId}`;
}

/** Entity names are derived from the deployment id, so re-applying upserts the same entities. */
export function entityName(routeSuffix: string, deploymentId: string): string {
  return `flowgate-${routeSuffix}-${deploymentId}`;
}

/**
 * What every pattern's plan is made of: one service with one route on the pattern's path,
 * tagged with the deployment; plugins; the gateway-secret header. Built fresh for each plan;
 * it collects the secret values the plan carries (scrubbed from any error Kong echoes).
 */
export class PlanKit {
  readonly tags: string[];
  readonly name: string;
  readonly path: string;
  /** The workflow's webhook, or the pattern's gateway endpoint for this deployment. */
  readonly upstreamUrl: string;
  private readonly secrets: string[] = [];

  constructor(
    readonly input: PlanInput,
    readonly config: AppConfig,
    pattern: { routeSuffix: string; upstream: { webhook: true } | { endpoint: string } },
  ) {
    this.tags = deploymentTags(input);
    this.name = entityName(pattern.routeSuffix, input.deploymentId);
    this.path = `/workflows/${input.workflowId}/${pattern.routeSuffix}`;
    const base = config.kong.publicUrlForKong;
    this.upstreamUrl =
      'webhook' in pattern.upstream
        ? `${base}/api/webhooks/${input.workflowId}`
        : `${base}/api/kong/${pattern.upstream.endpoint}/${input.deploymentId}`;
  }

  /** The pattern's one service (retries 0: a workflow run or a SOAP call is not repeated behind the caller's back). */
  service(routes: PlanRoute[], extra: Pick<PlanService, 'read_timeout'> = {}): PlanService {
    return { name: this.name, url: this.upstreamUrl, ...extra, retries: 0, tags: this.tags, routes };
  }

  route(methods: string[], plugins: PlanPlugin[]): PlanRoute {
    return {
      name: this.name,
      paths: [this.path],
      methods,
      protocols: ['http', 'https'],
      strip_path: true,
      preserve_host: false,
      tags: this.tags,
      plugins,
    };
  }

  plugin(name: string, config: Record<string, unknown>): PlanPlugin {
    return { name, config, tags: this.tags };
  }

  /** Records a secret value the plan carries. */
  secret<T extends string>(value: T): T {
    this.secrets.push(value);
    return value;
  }

  /** A stored secret the deployment must have (its absence is a bug, not a user error). */
  required<T>(value: T | undefined, what: string): T {
    if (value === undefined) throw new Error(`deployment is missing its ${what}`);
    return value;
  }

  /** request-transformer adding the deployment's gateway secret; remove runs before add, so a client cannot smuggle its own value in. */
  gatewayHeader(): PlanPlugin {
    const secret = this.secret(this.required(this.input.secrets.gatewaySecret, 'gateway secret'));
    return this.plugin('request-transformer', {
      remove: { headers: [GATEWAY_SECRET_HEADER] },
      add: { headers: [`${GATEWAY_SECRET_HEADER}:${secret}`] },
    });
  }

  /**
   * Patterns in front of the webhook send the gateway secret too: the webhook then refuses
   * direct calls, which would skip the route's auth, ACL, rate limit or metering. A deployment
   * stored by an earlier version has no secret: it renders as before until the start-up upgrade
   * (KongTemplatesService.gateLegacyWebhookFronts) or a re-apply gives it one.
   */
  webhookGate(): PlanPlugin[] {
    return this.input.secrets.gatewaySecret ? [this.gatewayHeader()] : [];
  }

  plan(services: PlanService[], consumer?: PlanConsumer): KongPlan {
    return { services, ...(consumer ? { consumer } : {}), secrets: this.secrets };
  }
}
