/**
 * A small YAML emitter for declarative Kong configs (maps, lists, strings, numbers, booleans,
 * null). Strings are always double-quoted JSON strings, which YAML reads verbatim, so no value
 * can change meaning (`on`, `0755`, `1e3`, `:`...). Used to write kong/kong.yml.
 */
export function toYaml(value: unknown, indent = 0): string {
  return `${emit(value, indent)}\n`;
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new Error(`cannot emit ${typeof v} as YAML`);
}

function isBlock(v: unknown): boolean {
  return (Array.isArray(v) && v.length > 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0);
}

function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : JSON.stringify(k);
}

function emit(v: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) {
    if (!v.length) return `${pad}[]`;
    return v
      .map((item) => {
        if (!isBlock(item)) return `${pad}- ${emptyOrScalar(item)}`;
        const inner = emit(item, indent + 2);
        return `${pad}- ${inner.slice(indent + 2)}`;
      })
      .join('\n');
  }
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (!entries.length) return `${pad}{}`;
    return entries
      .map(([k, x]) => (isBlock(x) ? `${pad}${key(k)}:\n${emit(x, indent + 2)}` : `${pad}${key(k)}: ${emptyOrScalar(x)}`))
      .join('\n');
  }
  return `${pad}${scalar(v)}`;
}

function emptyOrScalar(v: unknown): string {
  if (Array.isArray(v)) return '[]';
  if (typeof v === 'object' && v !== null) return '{}';
  return scalar(v);
}
