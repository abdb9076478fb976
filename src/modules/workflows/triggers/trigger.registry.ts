import { Injectable } from '@nestjs/common';
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

  types(): string[] {
    return [...this.handlers.keys()];
  }

  all(): TriggerHandler[] {
    return [...this.handlers.values()];
  }
}
