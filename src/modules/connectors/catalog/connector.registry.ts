import { Injectable } from '@nestjs/common';
import type { ValidateFunction } from 'ajv/dist/2020';
import { ErrorDetail } from '../../../core/errors/app-exception';
import { Connector, ConnectorActionDescriptor, ConnectorDescriptor } from '../contract';
import { ParamValidator, ValidationMode } from './param-validator';

const KEY = /^[a-z][a-z0-9_-]{0,63}$/;

/**
 * Every connector Flowgate knows (fed by connector-list.ts), with each action's params
 * schema compiled once. A broken descriptor (duplicate key, bad schema) stops the app at start.
 */
@Injectable()
export class ConnectorRegistry {
  private readonly connectors = new Map<string, Connector>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly validator = new ParamValidator();

  constructor(connectors: Connector[]) {
    for (const connector of connectors) this.add(connector);
  }

  /** The connector with this key, or undefined. */
  get(key: string): Connector | undefined {
    return this.connectors.get(key);
  }

  has(key: string): boolean {
    return this.connectors.has(key);
  }

  list(): Connector[] {
    return [...this.connectors.values()];
  }

  descriptors(): ConnectorDescriptor[] {
    return this.list().map((c) => c.descriptor);
  }

  action(connectorKey: string, action: string): ConnectorActionDescriptor | undefined {
    return this.get(connectorKey)?.descriptor.actions.find((a) => a.key === action);
  }

  /**
   * Save-time check of a step (before templates are rendered): unknown connector or action,
   * and params that cannot fit the action's schema. Template strings are accepted in place of
   * any value (see ParamValidator). Fields: `connector`, `action`, or a path inside params.
   */
  validateParams(connectorKey: string, action: string, params: unknown): ErrorDetail[] {
    return this.check(connectorKey, action, params, 'save');
  }

  /** Run-time check after rendering: the action's schema as written. */
  validateRenderedParams(connectorKey: string, action: string, params: unknown): ErrorDetail[] {
    return this.check(connectorKey, action, params, 'run');
  }

  private check(connectorKey: string, action: string, params: unknown, mode: ValidationMode): ErrorDetail[] {
    const connector = this.get(connectorKey);
    if (!connector) return [{ field: 'connector', message: `unknown connector "${connectorKey}"` }];
    const validate = this.validators.get(`${connectorKey}:${action}`);
    if (!validate) {
      const known = connector.descriptor.actions.map((a) => a.key).join(', ');
      return [{ field: 'action', message: `unknown action "${action}" for ${connector.descriptor.name} (known: ${known})` }];
    }
    return this.validator.validate(validate, params ?? {}, mode);
  }

  /** Also called at start by a module that brings its own catalog entry (a trigger folder with its broker, say). */
  add(connector: Connector): void {
    const d = connector.descriptor;
    if (!KEY.test(d.key)) throw new Error(`Connector key "${d.key}" must match ${KEY}`);
    if (this.connectors.has(d.key)) throw new Error(`Connector key "${d.key}" is registered twice`);
    if (!d.auth?.length) throw new Error(`Connector "${d.key}": auth must list at least one kind`);
    for (const action of d.actions) {
      const id = `${d.key}:${action.key}`;
      if (this.validators.has(id)) throw new Error(`Connector "${d.key}": action "${action.key}" is declared twice`);
      this.validators.set(id, this.validator.compile(action.input, `connector "${d.key}" action "${action.key}"`));
    }
    if (d.credentialSchema) this.validator.compile(d.credentialSchema, `connector "${d.key}" credentialSchema`);
    this.connectors.set(d.key, connector);
  }
}
