import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { documentedTrigger, TriggerRegistry } from '../workflows';

/**
 * Request validation checks a workflow's trigger against the OpenAPI document, which is built
 * from `triggerDocumentation` providers (it must be buildable without instantiating anything).
 * A handler registered without one would have every workflow of its type refused: a start-up
 * error instead, naming what is missing.
 */
@Injectable()
export class TriggerCatalogCheck implements OnApplicationBootstrap {
  constructor(private readonly registry: TriggerRegistry) {}

  onApplicationBootstrap(): void {
    for (const handler of this.registry.all()) {
      const documented = documentedTrigger(handler.type);
      if (!documented)
        throw new Error(
          `Trigger type "${handler.type}" is registered but not documented: add triggerDocumentation(<its definition>) to its module's providers`,
        );
      if (!isDeepStrictEqual(documented.schema, handler.schema))
        throw new Error(`Trigger type "${handler.type}": its handler's schema differs from the one given to triggerDocumentation`);
    }
  }
}
