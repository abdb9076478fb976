/**
 * Stripe's request bodies are `application/x-www-form-urlencoded` with nesting spelled in
 * brackets: `metadata[order]=42`, `line_items[0][price]=price_123`. `stripeForm` flattens a
 * JSON value that way (undefined and null fields are left out; booleans and numbers as text).
 */
export function stripeForm(params: Record<string, unknown>): string {
  const out = new URLSearchParams();
  const walk = (prefix: string, value: unknown): void => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(`${prefix}[${i}]`, item));
      return;
    }
    if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(prefix ? `${prefix}[${k}]` : k, v);
      return;
    }
    out.append(prefix, String(value));
  };
  walk('', params);
  return out.toString();
}
