import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppException, ErrorDetail } from '../../../core/errors/app-exception';
import { ConnectorError } from '../../connectors';
import { EngineService } from '../../engine';
import { STEP_CONNECTORS, StepConnectors, StepResult } from '../../engine';
import { RENDER_LIMIT_EXCEEDED, RenderBudgetError } from '../../engine';
import { TemplateSyntaxError } from '../../engine';
import { WorkflowEntity } from '../../workflows';
import { WorkflowsRepository } from '../../workflows';
import { assertGatewaySecret, DeploymentSecretsService } from '../deploy/deployment-secrets.service';
import { KongDeploymentEntity } from '../entities/kong-deployment.entity';
import { KongDeploymentsRepository } from '../kong-deployments.repository';
import { UseCase, UseCaseOptions } from '../templates/use-cases';
import { pickAggregateSteps, pickSoapStep } from './workflow-steps';

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
    private readonly deployments: KongDeploymentsRepository,
    private readonly secrets: DeploymentSecretsService,
    private readonly workflows: WorkflowsRepository,
    private readonly engine: EngineService,
    @Inject(STEP_CONNECTORS) private readonly connectors: StepConnectors,
  ) {}

  /** JSON in → the workflow's soap step → JSON out (the response Body as JSON). */
  async bridge(deploymentId: string, secret: string | string[] | undefined, payload: unknown): Promise<unknown> {
    const { deployment, workflow } = await this.authorize(deploymentId, 'protocol_bridge', secret);
    // The document promises a JSON object (what `{{trigger.<name>}}` reads); other JSON is refused, not run.
    if (payload !== undefined && (payload === null || typeof payload !== 'object' || Array.isArray(payload))) {
      throw AppException.validation([{ message: 'the body must be a JSON object (its keys become {{trigger.<name>}})' }]);
    }
    const options = deployment.options as unknown as UseCaseOptions['protocol_bridge'];
    let step;
    try {
      step = pickSoapStep(workflow.steps, options.step);
    } catch {
      throw AppException.conflict(
        'KONG_BRIDGE_STEP_MISSING',
        'The workflow no longer has the soap step this bridge was made for; re-apply the template',
      );
    }
    let params: Record<string, unknown>;
    try {
      // The engine's render budget: a caller's JSON cannot make the step's params grow past it.
      params = this.engine.renderStepParams(step, {
        trigger: payload ?? null,
        steps: {},
        execution: { workflowId: workflow.id, deploymentId },
      });
    } catch (e) {
      if (e instanceof TemplateSyntaxError) throw AppException.conflict('TEMPLATE_INVALID', `Step "${step.name}": ${e.message}`);
      if (e instanceof RenderBudgetError) throw new AppException(413, RENDER_LIMIT_EXCEEDED, e.message);
      throw e;
    }
    const problems = this.connectors.validateParams(step.connector!, step.action!, params);
    if (problems.length) {
      // The caller's JSON did not fill the step's params the way its templates expect.
      throw AppException.validation(
        problems.map((p) => ({ field: p.field ? `params.${p.field}` : 'params', message: `step "${step.name}": ${p.message}` })),
      );
    }
    const timeoutMs = workflow.settings?.stepTimeoutMs ?? 30_000;
    try {
      const result = (await this.connectors.invoke({
        tenantId: deployment.tenantId,
        connector: step.connector!,
        action: step.action!,
        params,
        credentialId: step.credentialId,
        timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      })) as { body?: unknown };
      return result && typeof result === 'object' && 'body' in result ? result.body : result;
    } catch (e) {
      throw this.bridgeError(e);
    }
  }

  /** Runs the workflow's read-only steps in parallel against the query and merges their outputs by step name. */
  async aggregate(deploymentId: string, secret: string | string[] | undefined, query: Record<string, unknown>): Promise<AggregateAnswer> {
    const { deployment, workflow } = await this.authorize(deploymentId, 'smart_aggregator', secret);
    const options = deployment.options as unknown as UseCaseOptions['smart_aggregator'];
    let steps;
    try {
      steps = pickAggregateSteps(workflow.steps, this.engine.readOnlySteps(workflow.steps), options.steps);
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
      stepTimeoutMs: workflow.settings?.stepTimeoutMs ?? 30_000,
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

  private async authorize(
    deploymentId: string,
    useCase: UseCase,
    secret: string | string[] | undefined,
  ): Promise<{ deployment: KongDeploymentEntity; workflow: WorkflowEntity }> {
    const deployment = await this.deployments.findForGateway(deploymentId);
    if (!deployment || deployment.useCase !== useCase || deployment.status !== 'active') throw AppException.notFound('Kong deployment');
    assertGatewaySecret(secret, [this.secrets.read(deployment).gatewaySecret]);
    const workflow = await this.workflows.findInTenant(deployment.tenantId, deployment.workflowId);
    if (!workflow || !workflow.active) throw AppException.notFound('Workflow');
    return { deployment, workflow };
  }

  private bridgeError(e: unknown): AppException {
    const c = e as ConnectorError & { fault?: { faultcode?: string; faultstring?: string; subcode?: string; detail?: unknown } };
    if (c && (c.code === 'SOAP_FAULT' || c.name === 'SoapFaultError')) {
      const fault = c.fault ?? (c.details as typeof c.fault) ?? {};
      return new AppException(
        502,
        'SOAP_FAULT',
        `The SOAP service answered with a fault: ${fault.faultcode ?? '(no faultcode)'} — ${fault.faultstring ?? '(no faultstring)'}`,
        [
          {
            message: fault.faultstring ?? '(no faultstring)',
            faultcode: fault.faultcode ?? null,
            faultstring: fault.faultstring ?? null,
            ...(fault.subcode ? { subcode: fault.subcode } : {}),
            ...(fault.detail !== undefined ? { detail: fault.detail } : {}),
            upstreamStatus: c.status ?? null,
          },
        ],
      );
    }
    if (e instanceof ConnectorError || (c && c.name === 'ConnectorError')) {
      if (c.code === 'INVALID_PARAMS') return AppException.badRequest('BRIDGE_INVALID_PARAMS', c.message);
      return new AppException(c.status === 408 || /timed? ?out/i.test(c.message) ? 504 : 502, 'BRIDGE_UPSTREAM_FAILED', c.message);
    }
    if (e instanceof AppException) return e;
    const err = e as Error;
    if (err?.name === 'TimeoutError' || err?.name === 'AbortError')
      return new AppException(504, 'BRIDGE_TIMEOUT', 'The SOAP service did not answer in time');
    this.logger.error({ err: e }, 'Bridge call failed');
    return new AppException(502, 'BRIDGE_UPSTREAM_FAILED', 'The SOAP call failed');
  }
}

/** The aggregate's per-step errors as error `details`: one entry per step, `field` naming it. */
function stepErrors(errors: Record<string, { message: string; code?: string; status?: number }>): ErrorDetail[] {
  return Object.entries(errors).map(([step, e]) => ({ field: step, ...e }));
}
