import { useEffect, useState, type ReactNode } from 'react';
import { Field } from './Field';

/** The part of JSON Schema the forms read (connector action inputs, credential secrets). */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  items?: JsonSchema;
  examples?: unknown[];
  [key: string]: unknown;
}

export interface SchemaFormProps {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  /** Errors by field name (the API's `details[].field`, already stripped of its prefix). */
  errors?: Record<string, string>;
  /** Render string fields as password inputs (credential secrets): never shown back. */
  secret?: boolean;
  /** Extra help under a field (template hints in the builder). */
  hintFor?: (name: string, schema: JsonSchema) => ReactNode;
  /** Replace a field's control entirely (e.g. a credential picker). */
  renderField?: (name: string, schema: JsonSchema) => ReactNode | undefined;
  disabled?: boolean;
}

function typeOf(s: JsonSchema): string {
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (t) return t;
  if (s.enum) return 'string';
  return s.properties ? 'object' : 'any';
}

/**
 * A form generated from a JSON Schema object: one control per property (text, number, checkbox,
 * select for enums), and a JSON editor for nested objects and arrays. Templates such as
 * `{{trigger.order.id}}` are accepted in every text and JSON field, as the API accepts them.
 */
export function SchemaForm({ schema, value, onChange, errors = {}, secret, hintFor, renderField, disabled }: SchemaFormProps) {
  const props = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const set = (name: string, v: unknown) => {
    const next = { ...value };
    if (v === undefined || v === '') delete next[name];
    else next[name] = v;
    onChange(next);
  };
  const names = Object.keys(props);
  if (names.length === 0) return <p className="muted small">This action takes no input.</p>;
  return (
    <div className="schema-form">
      {names.map((name) => {
        const s = props[name];
        const custom = renderField?.(name, s);
        if (custom !== undefined) return <div key={name}>{custom}</div>;
        const hint = (
          <>
            {s.description}
            {hintFor?.(name, s)}
          </>
        );
        return (
          <Field key={name} label={s.title ?? name} hint={hint} error={errors[name]} required={required.has(name)}>
            {(a) => (
              <SchemaControl
                a={a}
                name={name}
                schema={s}
                value={value[name]}
                onChange={(v) => set(name, v)}
                secret={secret}
                disabled={disabled}
              />
            )}
          </Field>
        );
      })}
    </div>
  );
}

function SchemaControl({
  a,
  name,
  schema,
  value,
  onChange,
  secret,
  disabled,
}: {
  a: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean };
  name: string;
  schema: JsonSchema;
  value: unknown;
  onChange: (v: unknown) => void;
  secret?: boolean;
  disabled?: boolean;
}) {
  const type = typeOf(schema);
  if (schema.enum) {
    return (
      <select
        {...a}
        name={name}
        disabled={disabled}
        value={value === undefined ? '' : String(value)}
        onChange={(e) => onChange(e.target.value === '' ? undefined : schema.enum!.find((x) => String(x) === e.target.value))}
      >
        <option value="">{schema.default !== undefined ? `Default (${String(schema.default)})` : '— choose —'}</option>
        {schema.enum.map((opt) => (
          <option key={String(opt)} value={String(opt)}>
            {String(opt)}
          </option>
        ))}
      </select>
    );
  }
  if (type === 'boolean') {
    return (
      <input {...a} name={name} type="checkbox" disabled={disabled} checked={value === true} onChange={(e) => onChange(e.target.checked)} />
    );
  }
  if (type === 'integer' || type === 'number') {
    // A number or a template ({{trigger.count}}): kept as typed; numbers are sent as numbers.
    return (
      <input
        {...a}
        name={name}
        inputMode="decimal"
        disabled={disabled}
        placeholder={schema.default !== undefined ? String(schema.default) : undefined}
        value={value === undefined ? '' : String(value)}
        onChange={(e) => {
          const raw = e.target.value;
          const n = Number(raw);
          onChange(raw === '' ? undefined : raw.trim() !== '' && Number.isFinite(n) ? n : raw);
        }}
      />
    );
  }
  if (type === 'string') {
    const long = (schema.maxLength ?? 0) > 200 || /body|text|message|content|xml|template/i.test(name);
    if (secret)
      return (
        <input
          {...a}
          name={name}
          type="password"
          autoComplete="new-password"
          disabled={disabled}
          value={(value as string) ?? ''}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    if (long)
      return (
        <textarea
          {...a}
          name={name}
          rows={4}
          disabled={disabled}
          value={(value as string) ?? ''}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    return (
      <input
        {...a}
        name={name}
        disabled={disabled}
        placeholder={schema.default !== undefined ? String(schema.default) : undefined}
        value={(value as string) ?? ''}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return <JsonControl a={a} name={name} value={value} onChange={onChange} disabled={disabled} />;
}

/** Objects, arrays and anything else: edited as JSON; invalid JSON is kept as text and flagged. */
function JsonControl({
  a,
  name,
  value,
  onChange,
  disabled,
}: {
  a: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean };
  name: string;
  value: unknown;
  onChange: (v: unknown) => void;
  disabled?: boolean;
}) {
  const [text, setText] = useState(() => (value === undefined ? '' : JSON.stringify(value, null, 2)));
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    // Outside changes (a loaded workflow) replace the text; typing does not loop back.
    const current = value === undefined ? '' : JSON.stringify(value, null, 2);
    setText((t) => {
      try {
        return JSON.stringify(JSON.parse(t || 'null')) === JSON.stringify(value ?? null) ? t : current;
      } catch {
        return t;
      }
    });
  }, [value]);
  return (
    <>
      <textarea
        {...a}
        name={name}
        className="mono"
        rows={5}
        disabled={disabled}
        value={text}
        aria-invalid={invalid || a['aria-invalid']}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.trim() === '') {
            setInvalid(false);
            onChange(undefined);
            return;
          }
          try {
            onChange(JSON.parse(e.target.value));
            setInvalid(false);
          } catch {
            setInvalid(true);
          }
        }}
      />
      {invalid && <div className="field-error">Not valid JSON yet.</div>}
    </>
  );
}
