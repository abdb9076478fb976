import { Injectable } from '@nestjs/common';
import type { AuthKind } from '../../connectors/contract';
import { AuthKindHandler } from './auth-kind.handler';
import { BUILTIN_AUTH_KINDS } from './builtin-auth-kinds';

/**
 * Credential kinds Flowgate can store. The built-in ones are static; a kind that needs other
 * services (nango: the Nango client) is added by its own module at start:
 *
 *   constructor(kinds: AuthKindRegistry, nango: NangoClient) { kinds.register(new NangoAuthKind(nango)); }
 *
 * `none` is never stored: a step without credential is how a connector runs unauthenticated.
 */
@Injectable()
export class AuthKindRegistry {
  private readonly handlers = new Map<AuthKind, AuthKindHandler>();

  constructor() {
    for (const h of BUILTIN_AUTH_KINDS) this.register(h);
  }

  register(handler: AuthKindHandler): void {
    this.handlers.set(handler.kind, handler);
  }

  get(kind: string): AuthKindHandler | undefined {
    return this.handlers.get(kind as AuthKind);
  }

  kinds(): AuthKind[] {
    return [...this.handlers.keys()];
  }
}
