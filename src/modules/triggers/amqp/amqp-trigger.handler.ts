import { Injectable } from '@nestjs/common';
import type { ErrorDetail } from '../../../core/errors/app-exception';
import { AppException } from '../../../core/errors/app-exception';
import { CredentialsService } from '../../credentials';
import { TriggerRegistry } from '../../workflows';
import type { StoredTrigger, TriggerHandler, TriggerReconcileReport, TriggerValidationContext, TriggerWorkflow } from '../../workflows';
import { AmqpConsumerManager } from './amqp-consumer-manager';
import { AMQP_KIND, parseBrokerUrl } from './amqp-credential';
import { AMQP_TRIGGER, AmqpTrigger, checkAmqpTriggerFields } from './amqp-trigger';
import { BrokerDialer } from './broker-dialer';

/**
 * Trigger `amqp`: each message of a RabbitMQ queue starts a run. Saving only validates;
 * consuming happens on the workers (AmqpConsumerManager), which follow the database.
 */
@Injectable()
export class AmqpTriggerHandler implements TriggerHandler<AmqpTrigger> {
  readonly type = AMQP_TRIGGER.type;
  readonly description = AMQP_TRIGGER.description;
  readonly schema = AMQP_TRIGGER.schema;

  constructor(
    registry: TriggerRegistry,
    private readonly credentials: CredentialsService,
    private readonly manager: AmqpConsumerManager,
    private readonly dialer: BrokerDialer,
  ) {
    registry.register(this);
  }

  async normalize(input: StoredTrigger, ctx: TriggerValidationContext, problems: ErrorDetail[]): Promise<AmqpTrigger | null> {
    const trigger = checkAmqpTriggerFields(input, ctx.field, problems);
    if (!trigger) return null;
    const problem = await this.credentialProblem(ctx.tenantId, trigger.credentialId);
    if (problem) {
      problems.push({ field: `${ctx.field}.credentialId`, message: problem });
      return null;
    }
    return trigger;
  }

  /** Consumers follow the database: nothing to start before the save commits. */
  activate(_workflow: TriggerWorkflow<AmqpTrigger>): Promise<void> {
    this.manager.activated();
    return Promise.resolve();
  }

  deactivate(workflow: TriggerWorkflow<AmqpTrigger>): Promise<void> {
    this.manager.deactivated(workflow.id);
    return Promise.resolve();
  }

  reconcile(): Promise<TriggerReconcileReport> {
    return this.manager.reconcile();
  }

  /**
   * The credential must be an amqp credential of this tenant; another tenant's id reads like an
   * unknown one. A broker address the outbound policy refuses (an IP literal; names are judged
   * when the worker connects) is refused here already.
   */
  private async credentialProblem(tenantId: string, credentialId: string): Promise<string | null> {
    const unknown = 'no amqp credential with this id in your account (POST /api/credentials with connectorKey and authKind "amqp")';
    let row;
    try {
      row = await this.credentials.owned(tenantId, credentialId);
    } catch (e) {
      if (e instanceof AppException && e.status === 404) return unknown;
      throw e;
    }
    if (row.authKind !== AMQP_KIND) return `credential "${row.name}" is of kind ${row.authKind}; the amqp trigger needs kind amqp`;
    let url: string | undefined;
    try {
      url = (await this.credentials.resolve(row)).secrets.url;
    } catch {
      return `credential "${row.name}" cannot be read; store its secrets again`;
    }
    const parsed = parseBrokerUrl(url ?? '');
    if ('problem' in parsed) return `credential "${row.name}": its url ${parsed.problem}`;
    try {
      this.dialer.address(url!);
    } catch (e) {
      return `credential "${row.name}": ${(e as Error).message}`;
    }
    return null;
  }
}
