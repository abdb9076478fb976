import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Counter, Histogram } from 'prom-client';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { MetricsService } from '../../core/metrics/metrics.service';
import { CredentialsService } from '../credentials';
import { ConnectorContextFactory } from './catalog/connector-context.factory';
import { ConnectorRegistry } from './catalog/connector.registry';
import { PlannedRequest, PlanningHttp } from './catalog/planning-http';
import { runWithDeadline } from './catalog/run-with-deadline';
import { scrubDeep, scrubText } from '../../core/secrets';
import { scrubError } from './catalog/scrub-secrets';
import { Connector, ConnectorError, ResolvedCredential } from './contract';

export interface InvokeRequest {
  tenantId: string;
  connectorKey: string;
  action: string;
  /** Rendered params (templates already replaced). */
  params: Record<string, unknown>;
  credentialId?: string | null;
  /** Step timeout; CONNECTOR_STEP_TIMEOUT_MS when omitted. */
  timeoutMs?: number;
  /** Worker shutdown or an outer deadline. */
  signal?: AbortSignal;
  /** Stable across retries of the same step of the same execution (ConnectorContext.idempotencyKey). */
  idempotencyKey?: string;
}

/** A call made without side effects: the output, and for a step that was planned (not run) the request it would have sent. */
export interface InvokeOutcome {
  output: unknown;
  /** Present when the action has side effects: nothing was sent, `output` is the action's sampleOutput. */
  planned?: PlannedRequest;
}

/**
 * The single entry the engine (and dry run) uses to run a connector action. Every failure is a
 * ConnectorError that says whether a retry can help:
 * - unknown connector/action, params that do not fit the schema (status 400, details name the
 *   fields), missing/foreign/mismatched credential: not retryable;
 * - timeout ("OpenWeather: timed out after 5000 ms") and cancellation: retryable;
 * - provider errors as the connector mapped them.
 * Credential values are scrubbed from outputs and error messages before they leave.
 */
@Injectable()
export class ConnectorInvoker {
  private readonly logger = new Logger(ConnectorInvoker.name);
  private readonly calls: Counter<'connector' | 'action' | 'outcome'>;
  private readonly latency: Histogram<'connector' | 'outcome'>;

  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly credentials: CredentialsService,
    private readonly contexts: ConnectorContextFactory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: MetricsService,
  ) {
    this.calls = metrics.counter('flowgate_connector_calls_total', 'Connector action calls by outcome (ok, error, retryable_error)', [
      'connector',
      'action',
      'outcome',
    ]);
    // Labels are the registered connector key and the outcome only: bounded (never a URL, tenant or action params).
    this.latency = metrics.histogram(
      'flowgate_connector_call_duration_seconds',
      'Connector action call duration (credential lookup and provider calls) by connector and outcome (ok, error, retryable_error)',
      ['connector', 'outcome'],
      [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    );
  }

  async invoke(req: InvokeRequest): Promise<unknown> {
    return (await this.call(req, false)).output;
  }

  /**
   * The same call for a dry run asked for no side effects. An action without side effects (for
   * these params) runs as usual. One with side effects is planned: its credential is resolved
   * and its `execute` runs against a PlanningHttp, which sends GET/HEAD for real and records the
   * first other request (secrets masked) instead of sending it, then stops the call; the answer
   * is that request and the action's sampleOutput. Nothing else leaves Flowgate.
   */
  invokeWithoutSideEffects(req: InvokeRequest): Promise<InvokeOutcome> {
    return this.call(req, true);
  }

  private async call(req: InvokeRequest, withoutSideEffects: boolean): Promise<InvokeOutcome> {
    const connector = this.registry.get(req.connectorKey);
    if (!connector) {
      throw new ConnectorError(`Unknown connector "${req.connectorKey}"`, { retryable: false, status: 400, code: 'UNKNOWN_CONNECTOR' });
    }
    const name = connector.descriptor.name;
    const problems = this.registry.validateRenderedParams(req.connectorKey, req.action, req.params);
    if (problems.length) {
      const unknownAction = problems[0].field === 'action';
      const summary = problems.map((p) => (p.field ? `${p.field} ${p.message}` : p.message)).join('; ');
      const known = connector.descriptor.actions.map((a) => a.key).join(', ');
      const message = unknownAction ? `unknown action "${req.action}" (known: ${known})` : `invalid params: ${summary}`;
      throw new ConnectorError(`${name}: ${message}`, {
        retryable: false,
        status: 400,
        code: unknownAction ? 'UNKNOWN_ACTION' : 'INVALID_PARAMS',
        details: problems,
      });
    }

    const plan = withoutSideEffects && this.registry.hasSideEffects(req.connectorKey, req.action, req.params);
    const timeoutMs = req.timeoutMs ?? this.config.connectors.stepTimeoutMs;
    let credential: ResolvedCredential | undefined;
    const started = performance.now();
    try {
      const outcome = await runWithDeadline(name, timeoutMs, req.signal, async (signal): Promise<InvokeOutcome> => {
        credential = await this.credentialFor(req, connector, signal);
        const input = { tenantId: req.tenantId, connector, credential, signal, idempotencyKey: req.idempotencyKey };
        if (!plan) return { output: await connector.execute(req.action, req.params, this.contexts.build(input)) };
        const ctx = this.contexts.build(input);
        const recorder = new PlanningHttp(ctx.http, credential, this.contexts.scopeFor(connector, credential));
        let output: unknown;
        try {
          output = await connector.execute(req.action, req.params, { ...ctx, http: recorder });
        } catch (e) {
          if (!recorder.captured) throw e;
        }
        // A connector that caught the stop signal still sent nothing after it.
        if (recorder.captured)
          return { output: structuredClone(this.registry.action(req.connectorKey, req.action)?.sampleOutput), planned: recorder.captured };
        // Only GET/HEAD requests were needed: the call really ran, and changed nothing.
        return { output };
      });
      if (outcome.planned) return { output: outcome.output, planned: scrubDeep(outcome.planned, credential?.secrets) };
      const output = outcome.output;
      this.calls.inc({ connector: req.connectorKey, action: req.action, outcome: 'ok' });
      this.latency.observe({ connector: req.connectorKey, outcome: 'ok' }, (performance.now() - started) / 1000);
      return { output: scrubDeep(output, credential?.secrets) };
    } catch (e) {
      const err = scrubError(this.asConnectorError(e, name, credential?.secrets), credential?.secrets);
      const outcome = err.retryable ? 'retryable_error' : 'error';
      this.calls.inc({ connector: req.connectorKey, action: req.action, outcome });
      this.latency.observe({ connector: req.connectorKey, outcome }, (performance.now() - started) / 1000);
      throw err;
    }
  }

  private async credentialFor(req: InvokeRequest, connector: Connector, signal: AbortSignal): Promise<ResolvedCredential | undefined> {
    if (!req.credentialId) {
      if (connector.descriptor.auth.includes('none')) return undefined;
      throw new ConnectorError(`${connector.descriptor.name}: this step needs a credential (${connector.descriptor.auth.join(' or ')})`, {
        retryable: false,
        status: 400,
        code: 'CREDENTIAL_REQUIRED',
      });
    }
    return this.credentials.resolveForRun(req.tenantId, req.credentialId, req.connectorKey, signal);
  }

  private asConnectorError(e: unknown, name: string, secrets: Record<string, string> | undefined): ConnectorError {
    if (e instanceof ConnectorError) return e;
    if (e instanceof AppException) {
      return new ConnectorError(`${name}: ${e.message}`, {
        retryable: e.status >= 500 && e.code !== 'CREDENTIAL_UNREADABLE',
        status: e.status,
        code: e.code,
      });
    }
    // A bug in a connector: type, message and stack go to the log (secrets scrubbed), never a stack into the output.
    const message = scrubText(e instanceof Error ? `${e.name}: ${e.message}` : String(e), secrets);
    const stack = e instanceof Error && e.stack ? scrubText(e.stack, secrets) : undefined;
    // `err` as a plain copy: the log error serializer whitelists it (the error's own properties could hold anything).
    const err = {
      type: e instanceof Error ? e.name : typeof e,
      message: scrubText(e instanceof Error ? e.message : String(e), secrets),
      stack,
    };
    this.logger.error({ connector: name, err }, 'Connector failed with an unexpected error');
    return new ConnectorError(`${name}: unexpected error (${message.slice(0, 200)})`, { retryable: false, code: 'CONNECTOR_BUG' });
  }
}
