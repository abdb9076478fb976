/**
 * A step param holds a template when it contains `{{...}}` anywhere (`"{{trigger.city}}"`,
 * `"Hello {{trigger.name}}"`). Its final value, and so its type, is known only at run time.
 */
const TEMPLATE = /\{\{[\s\S]*?\}\}/;

export function isTemplateString(value: unknown): value is string {
  return typeof value === 'string' && TEMPLATE.test(value);
}

/** True when `value` or anything inside it is a template string. */
export function containsTemplate(value: unknown, depth = 0): boolean {
  if (isTemplateString(value)) return true;
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  const children = Array.isArray(value) ? value : Object.values(value);
  return children.some((v) => containsTemplate(v, depth + 1));
}

/** The value at a JSON pointer (`/embeds/0/title`), or undefined. */
export function valueAt(root: unknown, pointer: string): unknown {
  if (!pointer) return root;
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
