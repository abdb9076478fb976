import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The test oracle for "Kong publishes only what end users call", kept apart from the code
 * that renders Kong's routes: the operational routes are named here, and every other route
 * of the OpenAPI document must be reachable through Kong.
 */

/** Operational routes (and the endpoints Kong itself calls on the api): never published. */
const OPERATIONAL = [
  /^\/health(\/|$)/,
  /^\/metrics(\/|$)/,
  /^\/docs(\/|$)/,
  /^\/api\/admin(\/|$)/,
  /^\/api\/kong\/(bridge|aggregate|usage)(\/|$)/,
];
/** Not in the OpenAPI document, but served: Swagger UI and its JSON. */
const UNDOCUMENTED_OPERATIONAL = ['/docs', '/docs/', '/docs/json', '/docs/yaml'];

export function isOperational(path: string): boolean {
  return OPERATIONAL.some((re) => re.test(path));
}

type Route = { paths?: string[] };
type Doc = { services?: Array<{ routes?: Route[] }>; routes?: Route[] };

/** Every route path a declarative document gives Kong (routes nested in services and top-level ones). */
export function routePaths(doc: Doc): string[] {
  return [...(doc.services ?? []).flatMap((s) => s.routes ?? []), ...(doc.routes ?? [])].flatMap((r) => r.paths ?? []);
}

/** Kong matches a plain route path as a prefix of the request path (no segment boundary). */
export function published(paths: string[], requestPath: string): boolean {
  return paths.some((p) => requestPath.startsWith(p));
}

/** Every path of the committed OpenAPI document with its parameters filled in, plus Swagger UI's. */
export function apiPaths(): string[] {
  const doc = JSON.parse(readFileSync(join(__dirname, '../../../../openapi/openapi.json'), 'utf8')) as { paths: Record<string, unknown> };
  return [
    ...Object.keys(doc.paths).map((p) => p.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000')),
    ...UNDOCUMENTED_OPERATIONAL,
  ];
}

/** What a declarative document gets wrong: operational routes it publishes, API routes it leaves out. */
export function publishingProblems(doc: Doc): string[] {
  const paths = routePaths(doc);
  const problems: string[] = [];
  for (const p of apiPaths()) {
    if (isOperational(p) && published(paths, p)) problems.push(`publishes operational ${p}`);
    if (!isOperational(p) && !published(paths, p)) problems.push(`leaves out ${p}`);
  }
  return problems;
}
