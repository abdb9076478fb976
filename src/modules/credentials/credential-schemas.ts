import { Injectable } from '@nestjs/common';
import type { ValidateFunction } from 'ajv/dist/2020';
import { ErrorDetail } from '../../core/errors/app-exception';
import { ConnectorRegistry } from '../connectors/catalog';
import { ParamValidator } from '../connectors/catalog';
import type { AuthKind, JsonSchema } from '../connectors/contract';
import { AuthKindRegistry } from './auth-kinds/auth-kind.registry';

const MAX_SECRETS_BYTES = 16 * 1024;

/**
 * Which fields a credential holds. Rule: the connector's `credentialSchema` when it has one
 * (Twilio: accountSid/authToken for kind basic), else the kind's default (bearer: token);
 * kinds that own their fields (nango) always use their own.
 */
@Injectable()
export class CredentialSchemas {
  private readonly validator = new ParamValidator();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(
    private readonly connectors: ConnectorRegistry,
    private readonly kinds: AuthKindRegistry,
  ) {}

  /** Kinds this connector accepts that can be stored (`none` is never stored). */
  storableKinds(connectorKey: string): AuthKind[] {
    const auth = this.connectors.get(connectorKey)?.descriptor.auth ?? [];
    return auth.filter((k) => k !== 'none' && this.kinds.get(k));
  }

  schemaFor(connectorKey: string, kind: AuthKind): JsonSchema | undefined {
    const handler = this.kinds.get(kind);
    const connector = this.connectors.get(connectorKey);
    if (!handler || !connector) return undefined;
    if (handler.ownsSchema || !connector.descriptor.credentialSchema) return handler.defaultSchema;
    return connector.descriptor.credentialSchema;
  }

  /** Problems with `secrets` for this connector and kind, fields named `secrets.<field>`. */
  validate(connectorKey: string, kind: AuthKind, secrets: unknown): ErrorDetail[] {
    const schema = this.schemaFor(connectorKey, kind);
    if (!schema) return [{ field: 'authKind', message: `unknown credential kind "${kind}"` }];
    if (!secrets || typeof secrets !== 'object' || Array.isArray(secrets)) return [{ field: 'secrets', message: 'must be an object' }];
    if (Buffer.byteLength(JSON.stringify(secrets)) > MAX_SECRETS_BYTES)
      return [{ field: 'secrets', message: `must be at most ${MAX_SECRETS_BYTES} bytes` }];
    const id = `${connectorKey}:${kind}`;
    let fn = this.compiled.get(id);
    if (!fn) {
      fn = this.validator.compile(schema, `credential schema ${id}`);
      this.compiled.set(id, fn);
    }
    const problems = this.validator.validate(fn, secrets, 'run').map((d) => ({ ...d, field: d.field ? `secrets.${d.field}` : 'secrets' }));
    // Connectors read secrets as strings (ResolvedCredential.secrets).
    for (const [k, v] of Object.entries(secrets)) {
      if (typeof v !== 'string' && !problems.some((p) => p.field === `secrets.${k}`))
        problems.push({ field: `secrets.${k}`, message: 'must be string' });
    }
    return problems;
  }
}
