import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../../core/config/app-config';
import { AppException, ErrorDetail } from '../../../core/errors/app-exception';
import { ConnectorError, SoapFaultError } from '../../connectors';
import { EngineService, RENDER_LIMIT_EXCEEDED, RenderBudgetError, StepDefinition, StepResult, TemplateSyntaxError } from '../../engine';
import { WorkflowEntity, WorkflowsRepository } from '../../workflows';
import { assertGatewaySecret, DeploymentSecretsService } from '../deploy/deployment-secrets.service';
import { KongDeploymentEntity } from '../entities/kong-deployment.entity';
import { KongDeploymentsRepository } from '../kong-deployments.repository';
import { DefinedPattern } from '../patterns/kong-pattern';
import { bridgeStep, protocolBridge } from '../patterns/protocol-bridge.pattern';
import { aggregateSteps, smartAggregator } from '../patterns/smart-aggregator.pattern';

export interface AggregateAnswer {
  status: 200 | 207;
  body: {
    workflow_id: string;
    results: Record<string, unknown>;
    errors: Record<string, { message: string; code?: string; status?: number }>;
  };
}

/**
 * The Flowgate endpoints Kong routes to for protocol_bridge and smart_aggregator. They are
 * public (Kong forwards the caller's request), so each request must prove it came through the
 * deployment's own Kong route: Kong's request-transformer adds the deployment's secret header,
 * compared here in constant time. The deployment row names the tenant; the workflow and every
 * credential are then looked up inside that tenant only.
 */
@Injectable()
export class GatewayEndpointsService {
  private readonly logger = new Logger(GatewayEndpointsService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly deployments: KongDeploymentsRepository,
    private readonly secrets: DeploymentSecretsService,
    private readonly workflows: WorkflowsRepository,
    private readonly engine: EngineService,
  ) {}

  /** JSON in → the workflow's soap step (run by the engine) → JSON out (the response Body as JSON). */
  async bridge(deploymentId: string, secret: string | string[] | undefined, payload: unknown): Promise<unknown> {
    const { options, deployment, workflow } = await this.authorize(deploymentId, protocolBridge, secret);
    // The document promises a JSON object (what `{{trigger.<name>}}` reads); other JSON is refused, not run.
    if (payload !== undefined && (payload === null || typeof payload !== 'object' || Array.isArray(payload))) {
      throw AppException.validation([{ message: 'the body must be a JSON object (its keys become {{trigger.<name>}})' }]);
    }
    let step: StepDefinition;
    try {
      step = bridgeStep(workflow.steps, options);
    } catch {
      throw AppException.conflict(
        'KONG_BRIDGE_STEP_MISSING',
        'The workflow no longer has the soap step this bridge was made for; re-apply the template',
      );
    }
    // The engine renders within the run budget (a caller's JSON cannot make the params grow past
    // it), checks the rendered params against the action's schema, and bounds the call by the step timeout.
    const { result, cause } = await this.engine.runStep({
      tenantId: deployment.tenantId,
      step,
      trigger: payload ?? null,
      stepTimeoutMs: this.stepTimeoutMs(workflow),
      execution: { workflowId: workflow.id, deploymentId },
    });
    if (result.status !== 'succeeded') throw this.bridgeError(step, cause);
    const output = result.output;
    return output && typeof output === 'object' && 'body' in output ? output.body : output;
  }

  /** Runs the workflow's read-only steps in parallel against the query and merges their outputs by step name. */
  async aggregate(deploymentId: string, secret: string | string[] | undefined, query: Record<string, unknown>): Promise<AggregateAnswer> {
    const { options, deployment, workflow } = await this.authorize(deploymentId, smartAggregator, secret);
    let steps: StepDefinition[];
    try {
      steps = aggregateSteps({ steps: workflow.steps, readOnlySteps: this.engine.readOnlySteps(workflow.steps) }, options);
    } catch {
      throw AppException.conflict(
        'KONG_AGGREGATE_STEPS_MISSING',
        'The workflow no longer has the read-only steps this aggregator was made for; re-apply the template',
      );
    }
    const outcomes: StepResult[] = await this.engine.runParallel({
      tenantId: deployment.tenantId,
      steps,
      trigger: { ...query },
      stepTimeoutMs: this.stepTimeoutMs(workflow),
      execution: { workflowId: workflow.id, deploymentId, kind: 'aggregate' },
    });
    const body: AggregateAnswer['body'] = { workflow_id: workflow.id, results: {}, errors: {} };
    for (const r of outcomes) {
      if (r.status === 'succeeded') body.results[r.name] = r.output;
      else if (r.error)
        body.errors[r.name] = {
          message: r.error.message,
          ...(r.error.code ? { code: r.error.code } : {}),
          ...(r.error.status ? { status: r.error.status } : {}),
        };
    }
    const failed = Object.keys(body.errors).length;
    if (failed && failed === outcomes.length && Object.values(body.errors).every((e) => e.code === RENDER_LIMIT_EXCEEDED)) {
      // The request (not an upstream) made every step too large: a client error, the small error body only.
      throw new AppException(
        413,
        RENDER_LIMIT_EXCEEDED,
        Object.values(body.errors)
          .map((e) => e.message)
          .join('; '),
        stepErrors(body.errors),
      );
    }
    if (failed && failed === outcomes.length) {
      throw new AppException(
        502,
        'AGGREGATE_FAILED',
        `Every step of the aggregate failed: ${Object.entries(body.errors)
          .map(([k, v]) => `${k}: ${v.message}`)
          .join('; ')}`,
        stepErrors(body.errors),
      );
    }
    // 207 for partial results: Kong's proxy-cache only stores 200s, so a partial answer is never cached.
    return { status: failed ? 207 : 200, body };
  }

  /** The workflow's own step timeout (every workflow saved has one), else the connectors' default. */
  private stepTimeoutMs(workflow: WorkflowEntity): number {
    return workflow.settings?.stepTimeoutMs ?? this.config.connectors.stepTimeoutMs;
  }

  private async authorize<O>(
    deploymentId: string,
    pattern: DefinedPattern<O>,
    secret: string | string[] | undefined,
  ): Promise<{ options: O; deployment: KongDeploymentEntity; workflow: WorkflowEntity }> {
    const deployment = await this.deployments.findForGateway(deploymentId);
    if (!deployment || deployment.useCase !== pattern.name || deployment.status !== 'active')
      throw AppException.notFound('Kong deployment');
    assertGatewaySecret(secret, [this.secrets.read(deployment).gatewaySecret]);
    const workflow = await this.workflows.findInTenant(deployment.tenantId, deployment.workflowId);
    if (!workflow || !workflow.active) throw AppException.notFound('Workflow');
    return { options: pattern.parse(deployment.options), deployment, workflow };
  }

  /** The soap step's failure as the bridge answers it, by the class of what the engine caught. */
  private bridgeError(step: StepDefinition, e: unknown): AppException {
    if (e instanceof TemplateSyntaxError) return AppException.conflict('TEMPLATE_INVALID', `Step "${step.name}": ${e.message}`);
    if (e instanceof RenderBudgetError) return new AppException(413, RENDER_LIMIT_EXCEEDED, e.message);
    if (e instanceof SoapFaultError) {
      const { faultcode, faultstring, subcode, detail } = e.fault;
      return new AppException(
        502,
        'SOAP_FAULT',
        `The SOAP service answered with a fault: ${faultcode ?? '(no faultcode)'} — ${faultstring ?? '(no faultstring)'}`,
        [
          {
            message: faultstring ?? '(no faultstring)',
            faultcode: faultcode ?? null,
            faultstring: faultstring ?? null,
            ...(subcode ? { subcode } : {}),
            ...(detail !== undefined ? { detail } : {}),
            upstreamStatus: e.upstreamStatus ?? null,
          },
        ],
      );
    }
    if (e instanceof ConnectorError) {
      // The caller's JSON did not fill the step's params the way its templates expect.
      if (e.code === 'INVALID_PARAMS' && Array.isArray(e.details)) {
        return AppException.validation(
          (e.details as ErrorDetail[]).map((p) => ({
            field: p.field ? `params.${p.field}` : 'params',
            message: `step "${step.name}": ${p.message}`,
          })),
        );
      }
      if (e.code === 'INVALID_PARAMS') return AppException.badRequest('BRIDGE_INVALID_PARAMS', e.message);
      const timedOut = e.code === 'TIMEOUT' || e.upstreamStatus === 408;
      return new AppException(timedOut ? 504 : 502, 'BRIDGE_UPSTREAM_FAILED', e.message);
    }
    if (e instanceof AppException) return e;
    this.logger.error({ err: e }, 'Bridge call failed');
    return new AppException(502, 'BRIDGE_UPSTREAM_FAILED', 'The SOAP call failed');
  }
}

/** The aggregate's per-step errors as error `details`: one entry per step, `field` naming it. */
function stepErrors(errors: Record<string, { message: string; code?: string; status?: number }>): ErrorDetail[] {
  return Object.entries(errors).map(([step, e]) => ({ field: step, ...e }));
}
