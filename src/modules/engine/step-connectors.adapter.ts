import { Injectable } from '@nestjs/common';
import { ConnectorRegistry } from '../connectors/catalog/connector.registry';
import { ConnectorInvoker } from '../connectors/connector-invoker';
import { CredentialsService } from '../credentials/credentials.service';
import { StepConnectors } from './engine.types';

/** The engine's view of the connector framework (registry, invoker, credentials). */
@Injectable()
export class StepConnectorsAdapter implements StepConnectors {
  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly invoker: ConnectorInvoker,
    private readonly credentials: CredentialsService,
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

  async assertCredentialUsable(tenantId: string, credentialId: string, connector: string): Promise<void> {
    await this.credentials.assertUsable(tenantId, credentialId, connector);
  }

  invoke(req: Parameters<StepConnectors['invoke']>[0]): Promise<unknown> {
    return this.invoker.invoke({
      tenantId: req.tenantId,
      connectorKey: req.connector,
      action: req.action,
      params: req.params,
      credentialId: req.credentialId,
      timeoutMs: req.timeoutMs,
      signal: req.signal,
    });
  }
}
