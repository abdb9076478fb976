import { Injectable } from '@nestjs/common';
import { AppException } from '../../../core/errors/app-exception';
import type { StoredTrigger, TriggerHandler } from './trigger-handler';

/**
 * The trigger kinds this deployment knows. Each trigger module registers its handler at start
 * (`registry.register(handler)` in its constructor), the way credential kinds do with the
 * AuthKindRegistry; a type registered twice is a start-up error.
 */
@Injectable()
export class TriggerRegistry {
  private readonly handlers = new Map<string, TriggerHandler>();

  register<T extends StoredTrigger>(handler: TriggerHandler<T>): void {
    if (this.handlers.has(handler.type)) throw new Error(`Trigger type "${handler.type}" is registered twice`);
    this.handlers.set(handler.type, handler as unknown as TriggerHandler);
  }

  get(type: string): TriggerHandler | undefined {
    return this.handlers.get(type);
  }

  /** The handler of a trigger given in a request, or a 400 naming `<field>.type` and the types there are. */
  resolve(type: unknown, field = 'trigger'): TriggerHandler {
    const handler = typeof type === 'string' ? this.handlers.get(type) : undefined;
    if (handler) return handler;
    const known = this.types()
      .map((t) => JSON.stringify(t))
      .join(', ');
    throw AppException.validation([{ field: `${field}.type`, message: `${field}.type must be one of the trigger types: ${known}` }]);
  }

  types(): string[] {
    return [...this.handlers.keys()];
  }

  all(): TriggerHandler[] {
    return [...this.handlers.values()];
  }
}
