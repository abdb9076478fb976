import { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject, OperationObject, ResponsesObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { errorResponses } from '../errors/api-errors.decorator';
import { uuidPathParams } from '../errors/uuid-param.pipe';
import { documentContributors } from './document-contributors';
import { IS_PUBLIC } from '../security/decorators';
import { JSON_VALUE_COMPONENT, JSON_VALUE_SCHEMA } from './json-schemas';
import { SECURITY_SCHEMES } from './security-schemes';
import { API_TAGS } from './tags';

/** `@ApiExtension(NO_DEPENDENCIES, true)`: the route answers without PostgreSQL or Redis (no 503). */
export const NO_DEPENDENCIES = 'x-no-dependencies';

const THROTTLER_SKIP_DEFAULT = 'THROTTLER:SKIPdefault';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

type Handler = { cls: object; fn: object };

/**
 * What every operation has in common, written once instead of on 64 routes: the responses the
 * server's shared plumbing can give (401 from the JWT guard, 400/413/415 from body parsing and
 * validation, 404 for an unknown id, 429 from the global rate limit, 503 when PostgreSQL or Redis
 * is away), `security: []` on routes marked `@Public()`, and the document's servers, tags,
 * license and schemes. Route metadata is read from the controllers themselves (by operationId),
 * so a new route gets the same treatment without anyone remembering it. Parts only a feature
 * module knows come from its document contributors (document-contributors.ts).
 */
export function finishDocument(document: OpenAPIObject, app: INestApplication): OpenAPIObject {
  const handlers = handlersByOperationId(app);
  // Feature parts first (a route registered on Fastify directly, the trigger schemas), so the
  // common responses below reach them too.
  for (const contributor of contributorsOf(app)) contributor.contribute(document);
  document.info.license = { name: 'MIT', url: 'https://opensource.org/licenses/MIT' };
  document.servers = [{ url: '/', description: 'The deployment serving this document' }];
  document.tags = API_TAGS.map((t) => ({ ...t }));
  document.components ??= {};
  document.components.securitySchemes = { ...SECURITY_SCHEMES };
  document.components.schemas = { ...document.components.schemas, [JSON_VALUE_COMPONENT]: JSON_VALUE_SCHEMA as never };

  unwrapDiscriminatedRefs(document);

  for (const pathItem of Object.values(document.paths)) {
    for (const method of METHODS) {
      const op = pathItem[method] as (OperationObject & Record<string, unknown>) | undefined;
      if (!op) continue;
      const handler = op.operationId ? handlers.get(op.operationId) : undefined;
      if (!op.security && handler && meta(IS_PUBLIC, handler)) op.security = [];
      const noDependencies = op[NO_DEPENDENCIES] === true;
      delete op[NO_DEPENDENCIES];
      addMissing(op.responses, commonStatuses(op, handler, noDependencies));
      if (handler) markUuidParams(op, handler);
    }
  }
  return document;
}

type SchemaLike = Record<string, unknown> & { properties?: Record<string, SchemaLike>; items?: SchemaLike };

/**
 * A property typed as a discriminated union (`trigger`: WorkflowTrigger) is written by Nest as
 * `allOf: [{$ref}]` so that it can carry a description (3.0 ignores a `$ref`'s siblings). With a
 * discriminator on the target, `allOf` is OpenAPI's inheritance form: generators read the property
 * as a subtype and drop the discriminator from it (openapi-typescript types it
 * `Omit<WorkflowTrigger, "type">`, so a typed client cannot read `trigger.type`). The plain
 * reference says what is meant; the property's own description goes (the target describes itself,
 * and a 3.0 `$ref` takes no siblings).
 */
function unwrapDiscriminatedRefs(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, SchemaLike>;
  const discriminated = (ref: unknown) =>
    typeof ref === 'string' && ref.startsWith('#/components/schemas/') && !!schemas[ref.slice('#/components/schemas/'.length)]?.discriminator;
  const visit = (schema: SchemaLike | undefined) => {
    if (!schema || typeof schema !== 'object') return;
    const allOf = schema.allOf as SchemaLike[] | undefined;
    if (Array.isArray(allOf) && allOf.length === 1 && discriminated(allOf[0].$ref)) {
      for (const key of Object.keys(schema)) delete schema[key];
      schema.$ref = allOf[0].$ref;
      return;
    }
    for (const p of Object.values(schema.properties ?? {})) visit(p);
    visit(schema.items);
  };
  for (const schema of Object.values(schemas)) visit(schema);
}

function commonStatuses(op: OperationObject, handler: Handler | undefined, noDependencies: boolean): number[] {
  const statuses: number[] = [];
  const params = (op.parameters ?? []) as Array<{ in?: string }>;
  if (op.requestBody || params.some((p) => p.in === 'query' || p.in === 'path')) statuses.push(400);
  if (op.security?.some((s) => 'bearer' in s)) statuses.push(401);
  if (params.some((p) => p.in === 'path')) statuses.push(404);
  if (op.requestBody) statuses.push(413, 415);
  if (!handler || meta(THROTTLER_SKIP_DEFAULT, handler) !== true) statuses.push(429);
  if (!noDependencies) statuses.push(503);
  return statuses;
}

function addMissing(responses: ResponsesObject, statuses: number[]): void {
  const add = errorResponses(...statuses.filter((s) => !responses[s]));
  for (const [status, response] of Object.entries(add)) responses[status] = response;
}

/** Path parameters checked by `@UuidParam` are `format: uuid` ("nope" is a 400 naming them). */
function markUuidParams(op: OperationObject, { cls, fn }: Handler): void {
  const names = uuidPathParams(cls, (fn as { name: string }).name);
  for (const p of (op.parameters ?? []) as Array<{ in?: string; name?: string; schema?: Record<string, unknown> }>) {
    if (p.in === 'path' && p.name && names.includes(p.name) && p.schema) p.schema.format = 'uuid';
  }
}

/** The method's metadata, else its class's (how Nest's guards read it too). */
function meta(key: string, { cls, fn }: Handler): unknown {
  const own = Reflect.getMetadata(key, fn);
  return own !== undefined ? own : Reflect.getMetadata(key, cls);
}

function contributorsOf(app: INestApplication) {
  try {
    return documentContributors(app.get(ModulesContainer));
  } catch {
    return [];
  }
}

function handlersByOperationId(app: INestApplication): Map<string, Handler> {
  const out = new Map<string, Handler>();
  let container: ModulesContainer;
  try {
    container = app.get(ModulesContainer);
  } catch {
    return out;
  }
  for (const module of container.values()) {
    for (const wrapper of module.controllers.values()) {
      const cls = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!cls?.prototype) continue;
      const prefix = cls.name.replace(/Controller$/, '');
      for (const key of Object.getOwnPropertyNames(cls.prototype)) {
        const fn = (cls.prototype as Record<string, unknown>)[key];
        if (key !== 'constructor' && typeof fn === 'function') out.set(`${prefix}_${key}`, { cls, fn });
      }
    }
  }
  return out;
}
