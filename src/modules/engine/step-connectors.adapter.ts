import { Injectable } from '@nestjs/common';
import { AppException } from '../../core/errors/app-exception';
import { hostAllowedBy } from '../../core/http/host-patterns';
import { ConnectorContextFactory } from '../connectors';
import { effectiveHosts } from '../connectors';
import { ConnectorRegistry } from '../connectors';
import { ConnectorInvoker } from '../connectors';
import type { InvokeOutcome, InvokeRequest } from '../connectors';
import { CredentialsService } from '../credentials';
import { StepConnectors } from './engine.types';

/** The engine's view of the connector framework (registry, invoker, credentials). */
@Injectable()
export class StepConnectorsAdapter implements StepConnectors {
  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly invoker: ConnectorInvoker,
    private readonly credentials: CredentialsService,
    private readonly contexts: ConnectorContextFactory,
  ) {}

  validateParams(connector: string, action: string, params: Record<string, unknown>) {
    return this.registry.validateParams(connector, action, params);
  }

  knows(connector: string, action?: string): boolean {
    return action === undefined ? this.registry.has(connector) : !!this.registry.action(connector, action);
  }

  isReadOnly(connector: string, action: string): boolean {
    return this.registry.action(connector, action)?.readOnly === true;
  }

  requiredCredentialKinds(connector: string): string[] | null {
    const auth = this.registry.get(connector)?.descriptor.auth ?? [];
    return auth.length === 0 || auth.includes('none') ? null : [...auth];
  }

  async assertCredentialUsable(tenantId: string, credentialId: string, connector: string, params?: Record<string, unknown>): Promise<void> {
    const row = await this.credentials.assertUsable(tenantId, credentialId, connector);
    const url = literalUrl(params?.url);
    const found = this.registry.get(connector);
    if (!url || !found) return;
    const hosts = effectiveHosts(found.descriptor, row.allowedHosts, {}, this.contexts.baseUrlFor(found));
    if (hostAllowedBy(hosts, url)) return;
    // The same refusal the outbound client gives at run time, found at save time.
    const message = `credential "${row.name}" (${row.id}) may not be sent to ${url.host} (its allowed hosts: ${hosts.join(', ') || 'none'})`;
    throw AppException.badRequest('CREDENTIAL_HOST_NOT_ALLOWED', message.charAt(0).toUpperCase() + message.slice(1), [
      { field: 'params.url', message },
    ]);
  }

  invoke(req: Parameters<StepConnectors['invoke']>[0]): Promise<unknown> {
    return this.invoker.invoke(invokeRequest(req));
  }

  invokeWithoutSideEffects(req: Parameters<StepConnectors['invoke']>[0]): Promise<InvokeOutcome> {
    return this.invoker.invokeWithoutSideEffects(invokeRequest(req));
  }
}

function invokeRequest(req: Parameters<StepConnectors['invoke']>[0]): InvokeRequest {
  return {
    tenantId: req.tenantId,
    connectorKey: req.connector,
    action: req.action,
    params: req.params,
    credentialId: req.credentialId,
    timeoutMs: req.timeoutMs,
    signal: req.signal,
    idempotencyKey: req.idempotencyKey,
  };
}

/** An absolute http(s) URL written out in the step (templated ones are checked when they run). */
function literalUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string' || value.includes('{{') || !/^https?:\/\//i.test(value)) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
