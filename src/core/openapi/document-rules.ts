import type { OpenAPIObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { API_TAGS } from './tags';

/** The parts of an operation these rules read (the document is checked, not trusted). */
interface OperationShape {
  security?: unknown;
  tags?: string[];
  summary?: string;
  description?: string;
  parameters?: Array<{ name: string; in: string; description?: string }>;
  responses?: Record<string, { description?: string; content?: unknown }>;
}

/**
 * Rules the standard linters do not check but generated clients and strict validators need.
 * `test/openapi.e2e-spec.ts` asserts the list is empty for the committed document; each entry
 * names where the problem is.
 */
export function contractProblems(doc: OpenAPIObject): string[] {
  const problems: string[] = [];
  const tagNames = new Set<string>(API_TAGS.map((t) => t.name));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, OperationShape>)) {
      if (!['get', 'put', 'post', 'delete', 'patch'].includes(method)) continue;
      const at = `${method.toUpperCase()} ${path}`;
      if (!Array.isArray(op.security)) problems.push(`${at}: declares no security (use @ApiBearerAuth, @ApiSecurity or @Public)`);
      if (op.tags?.length !== 1 || !tagNames.has(op.tags[0])) problems.push(`${at}: needs exactly one tag of ${[...tagNames].join(', ')} (has ${JSON.stringify(op.tags)})`);
      if (!op.summary) problems.push(`${at}: no summary`);
      if (!op.description) problems.push(`${at}: no description`);
      for (const p of op.parameters ?? []) {
        if (!p.description) problems.push(`${at}: parameter ${p.name} has no description`);
        if (p.in === 'header' && /secret|signature|token|authorization/i.test(p.name)) problems.push(`${at}: header ${p.name} carries a secret: make it a security scheme`);
      }
      for (const [status, res] of Object.entries(op.responses ?? {})) {
        if (!res.description?.trim()) problems.push(`${at} ${status}: empty description`);
        const code = Number(status);
        if (code >= 200 && code < 300 && code !== 204 && !res.content) problems.push(`${at} ${status}: a 2xx without a schema`);
        if (code >= 400 && JSON.stringify(res.content ?? {}).indexOf('ErrorResponseDto') < 0) problems.push(`${at} ${status}: an error not in the shared ErrorResponseDto shape`);
      }
      walkSchemas(op, `${at}`, problems);
    }
  }
  walkSchemas(doc.components?.schemas ?? {}, 'components.schemas', problems);
  return problems;
}

/** Schema-level rules, anywhere in the document. */
function walkSchemas(node: unknown, where: string, problems: string[]): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach((n, i) => walkSchemas(n, `${where}[${i}]`, problems));
  const s = node as Record<string, unknown>;
  if (s.type === 'object' && !s.properties && s.additionalProperties === undefined && !s.enum) {
    problems.push(`${where}: a bare \`type: object\` (generators make it an empty record): use ApiJsonObjectProperty or name its properties`);
  }
  if (s.nullable === true && !s.type) problems.push(`${where}: \`nullable\` without \`type\` (strict validators ignore it): use ApiNullableRefProperty`);
  if (s.type === 'number' && !s.format) problems.push(`${where}: \`type: number\`: make it \`integer\`, or say \`format: double\``);
  if (s.type === 'string' && !s.format && /(At|Date|Since|Until|Before|After)$/.test(where.split('.').pop() ?? '') && !s.enum) {
    problems.push(`${where}: a date field without \`format: date-time\``);
  }
  for (const [k, v] of Object.entries(s)) {
    if (k === 'example' || k === 'examples' || k === 'enum' || k === 'default') continue;
    walkSchemas(v, k === 'properties' ? where : `${where}.${k}`, problems);
  }
}
