import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Checks every answer the e2e suites receive against `openapi/openapi.json`: the status must be
 * documented for that operation and the body must match its schema. The shared test client
 * calls it on every response, so a route that answers something its document does not say
 * fails the test that saw it, and documented and actual cannot drift apart.
 *
 * Not checked: the documentation pages themselves (`/docs`, `/docs-json`), and HEAD/OPTIONS
 * (CORS preflights have no document entry by design).
 */
const DOC_PATH = join(__dirname, '..', '..', 'openapi', 'openapi.json');
const UNDOCUMENTED_PREFIXES = ['/docs'];
const METHODS_CHECKED = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

interface Route {
  template: string;
  regex: RegExp;
  params: number;
}

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>> };

export class OpenApiContract {
  private readonly doc: Doc;
  private readonly routes: Route[];
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(docPath = DOC_PATH) {
    this.doc = JSON.parse(readFileSync(docPath, 'utf8'));
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema(this.doc as object, 'openapi.json');
    this.routes = Object.keys(this.doc.paths)
      .map((template) => ({
        template,
        regex: new RegExp(
          `^${template.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '{' || c === '}' ? c : `\\${c}`)).replace(/\{[^/}]+\}/g, '[^/]+')}$`,
        ),
        params: (template.match(/\{/g) ?? []).length,
      }))
      // A literal segment wins over a parameter (`/api/workflows/import` before `/{id}`).
      .sort((a, b) => a.params - b.params);
  }

  /** Throws an Error naming the request and every mismatch; returns quietly when they agree. */
  check(method: string, url: URL, status: number, contentType: string, body: unknown, text: string): void {
    const m = method.toUpperCase();
    if (!METHODS_CHECKED.has(m)) return;
    const path = url.pathname;
    if (UNDOCUMENTED_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}-`))) return;
    const where = `${m} ${path} answered ${status}`;
    const route = this.routes.find((r) => r.regex.test(path) && this.doc.paths[r.template][m.toLowerCase()]);
    if (!route) {
      // Unknown routes (and methods) answer the shared 404 body; that is all they may answer.
      if (status === 404 || status === 405) return this.validate('#/components/schemas/ErrorResponseDto', body, where);
      throw new Error(`OpenAPI contract: ${where}, but the document has no ${m} operation for this path`);
    }
    const op = this.doc.paths[route.template][m.toLowerCase()];
    const response = op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`] ?? op.responses.default;
    if (!response) {
      throw new Error(
        `OpenAPI contract: ${where} (${text.slice(0, 300)}), but ${m} ${route.template} documents only ${Object.keys(op.responses).join(', ')}`,
      );
    }
    const content = response.content;
    if (!content) {
      if (text.length) throw new Error(`OpenAPI contract: ${where} with a body, but the document says ${status} has none`);
      return;
    }
    const mediaType = contentType.split(';')[0].trim().toLowerCase();
    const entry = content[mediaType] ?? (mediaType.endsWith('+json') ? content['application/json'] : undefined);
    if (!entry)
      throw new Error(
        `OpenAPI contract: ${where} as ${mediaType || '(no content type)'}, but the document says ${Object.keys(content).join(' or ')}`,
      );
    if (!entry.schema) return;
    const pointer = `#/paths/${escape(route.template)}/${m.toLowerCase()}/responses/${status in op.responses ? status : Object.keys(op.responses).find((k) => op.responses[k] === response)}/content/${escape(mediaType in content ? mediaType : 'application/json')}/schema`;
    this.validate(pointer, mediaType.includes('json') ? body : text, `${where} (${route.template})`);
  }

  private validate(pointer: string, value: unknown, where: string): void {
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `openapi.json${pointer}` });
      this.validators.set(pointer, validate);
    }
    if (validate(value)) return;
    const errors = (validate.errors ?? [])
      .slice(0, 8)
      .map(
        (e) =>
          `${e.instancePath || '(body)'} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`,
      );
    throw new Error(
      `OpenAPI contract: ${where}, body does not match the documented schema:\n  ${errors.join('\n  ')}\nbody: ${JSON.stringify(value)?.slice(0, 600)}`,
    );
  }
}

function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

let shared: OpenApiContract | undefined;
/** One parsed document per test file. */
export function openApiContract(): OpenApiContract {
  return (shared ??= new OpenApiContract());
}
