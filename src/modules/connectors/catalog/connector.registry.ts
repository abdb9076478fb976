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
   * Whether this call of the action changes something outside Flowgate: the action's
   * `sideEffectsOf(params)` when it decides per call (HTTP: its method), else its `sideEffects`.
   * Unknown actions answer true (never assume a call is harmless).
   */
  hasSideEffects(connectorKey: string, action: string, params: Record<string, unknown>): boolean {
    const a = this.action(connectorKey, action);
    if (!a) return true;
    return a.sideEffectsOf ? a.sideEffectsOf(params) !== false : a.sideEffects !== false;
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
      checkSideEffects(d.key, action);
      this.validators.set(id, this.validator.compile(action.input, `connector "${d.key}" action "${action.key}"`));
    }
    if (d.credentialSchema) this.validator.compile(d.credentialSchema, `connector "${d.key}" credentialSchema`);
    this.connectors.set(d.key, connector);
  }
}

/**
 * Every action says whether it has side effects, and one that has (or may have) them shows what
 * it answers: a dry run without side effects hands that sample to the steps after a planned one.
 */
function checkSideEffects(connectorKey: string, action: ConnectorActionDescriptor): void {
  const where = `Connector "${connectorKey}": action "${action.key}"`;
  if (typeof action.sideEffects !== 'boolean') throw new Error(`${where} must declare sideEffects (true or false)`);
  if (action.sideEffectsOf !== undefined && typeof action.sideEffectsOf !== 'function')
    throw new Error(`${where}: sideEffectsOf must be a function of the params`);
  if (action.sideEffectsOf && !action.sideEffects)
    throw new Error(`${where}: sideEffectsOf decides per call, so sideEffects must be true (it may have some)`);
  if (action.sideEffects && action.sampleOutput === undefined)
    throw new Error(`${where} has side effects and must declare a sampleOutput (what a planned step answers in a dry run)`);
  if (action.sampleOutput !== undefined) {
    let json: string | undefined;
    try {
      json = JSON.stringify(action.sampleOutput);
    } catch {
      json = undefined;
    }
    if (json === undefined) throw new Error(`${where}: sampleOutput must be a JSON value`);
  }
}
