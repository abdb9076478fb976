import type { ValueProvider } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { DocumentContributor, documentContributor } from '../../../core/openapi/document-contributors';
import type { TriggerHandler } from './trigger-handler';

/** What the API documents of a trigger type: the static part of its handler. */
export type TriggerDefinition = Pick<TriggerHandler, 'type' | 'description' | 'schema'>;

/** The component every workflow's `trigger` refers to: one branch per registered trigger type. */
export const WORKFLOW_TRIGGER_COMPONENT = 'WorkflowTrigger';
export const WORKFLOW_TRIGGER_REF = `#/components/schemas/${WORKFLOW_TRIGGER_COMPONENT}`;

type Schema = Record<string, unknown>;

/**
 * Puts a trigger type in the OpenAPI document: a provider for the trigger's own module, next to
 * its handler (`providers: [WebhookTrigger, triggerDocumentation(WEBHOOK_TRIGGER)]`). The
 * document is built from these rather than from the registry because `npm run openapi` does
 * not instantiate providers; TriggersModule checks at start that every registered handler has
 * one, with the same schema.
 */
export function triggerDocumentation(definition: TriggerDefinition): ValueProvider<DocumentContributor> {
  documented.set(definition.type, definition);
  return documentContributor(`trigger:${definition.type}`, (document) => addTriggerToDocument(document, definition));
}

const documented = new Map<string, TriggerDefinition>();

/** The definition `triggerDocumentation` was given for `type`, if any (the start-up check). */
export function documentedTrigger(type: string): TriggerDefinition | undefined {
  return documented.get(type);
}

/** The component name of a trigger type's branch: `amqp` → `AmqpTrigger`, `my-hook` → `MyHookTrigger`. */
export function triggerComponentName(type: string): string {
  return `${type.replace(/(^|[-_])([a-z0-9])/g, (_m, _sep, c: string) => c.toUpperCase())}Trigger`;
}

/**
 * Adds one branch to `WorkflowTrigger` (a `oneOf` with a `type` discriminator). OpenAPI 3.0 has
 * no `const`, so a `const` in the handler's schema is written as a one-value enum; `type` is
 * always required (the discriminator needs it in every branch).
 */
export function addTriggerToDocument(document: OpenAPIObject, definition: TriggerDefinition): void {
  document.components ??= {};
  const schemas = (document.components.schemas ??= {}) as Record<string, Schema>;
  const name = triggerComponentName(definition.type);
  const branch = openApi30(definition.schema) as Schema;
  const required = new Set([...((branch.required as string[] | undefined) ?? []), 'type']);
  // Every branch's tag shows its own value as the example (Swagger UI, generated clients).
  const properties = (branch.properties ?? {}) as Record<string, Schema>;
  if (properties.type && properties.type.example === undefined) properties.type = { ...properties.type, example: definition.type };
  schemas[name] = { ...branch, type: 'object', description: definition.description, required: [...required] };

  const root = (schemas[WORKFLOW_TRIGGER_COMPONENT] ??= {
    type: 'object',
    description: 'What starts a run: one of the trigger types this deployment registers, chosen by `type` (each takes its own fields).',
    // `type` is shared by every branch; naming it here also keeps generators from an empty record.
    properties: {
      type: { type: 'string', description: 'The trigger type: picks the branch (and the fields) that apply', example: definition.type },
    },
    required: ['type'],
    oneOf: [],
    discriminator: { propertyName: 'type', mapping: {} },
  }) as { oneOf: Schema[]; discriminator: { mapping: Record<string, string> } };
  const ref = `#/components/schemas/${name}`;
  if (!root.oneOf.some((s) => s.$ref === ref)) root.oneOf.push({ $ref: ref });
  root.discriminator.mapping[definition.type] = ref;
}

function openApi30(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(openApi30);
  if (!value || typeof value !== 'object') return value;
  const out: Schema = {};
  for (const [k, v] of Object.entries(value as Schema)) {
    if (k === 'const') out.enum = [v];
    else out[k] = openApi30(v);
  }
  return out;
}
