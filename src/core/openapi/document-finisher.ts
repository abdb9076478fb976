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
