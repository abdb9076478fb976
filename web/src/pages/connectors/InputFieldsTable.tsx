import type { JsonSchema } from '../../components/SchemaForm';

function typeLabel(s: JsonSchema): string {
  if (s.enum) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const t = Array.isArray(s.type) ? s.type.join(' | ') : s.type;
  if (t === 'array' && s.items) return `array of ${typeLabel(s.items)}`;
  if (t) return t;
  if (Array.isArray(s.oneOf) || Array.isArray(s.anyOf)) return 'several forms';
  return 'any';
}

/** An action's params (its JSON Schema's properties) as a table: what a step may set. */
export function InputFieldsTable({ schema, caption }: { schema: JsonSchema; caption: string }) {
  const props = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const names = Object.keys(props);
  if (names.length === 0) return <p className="muted small">This action takes no input.</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Type</th>
            <th scope="col">Required</th>
            <th scope="col">Description</th>
            <th scope="col">Default</th>
          </tr>
        </thead>
        <tbody>
          {names.map((name) => {
            const s = props[name];
            return (
              <tr key={name}>
                <th scope="row" className="mono">
                  {name}
                </th>
                <td>{typeLabel(s)}</td>
                <td>{required.has(name) ? 'Required' : 'Optional'}</td>
                <td>{s.description ?? <span className="muted">—</span>}</td>
                <td className="mono">{s.default === undefined ? <span className="muted">—</span> : JSON.stringify(s.default)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
