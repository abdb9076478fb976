import { useEffect, useState } from 'react';
import { Field } from '../../../components/Field';

/** A JSON object edited as text: kept as typed while invalid, sent only once it parses. */
export function JsonObjectField({
  label,
  hint,
  value,
  error,
  onChange,
}: {
  label: string;
  hint?: string;
  value: unknown;
  error?: string;
  onChange: (v: unknown) => void;
}) {
  const [text, setText] = useState(() => JSON.stringify(value ?? {}, null, 2));
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    // Outside changes (another step selected, a rename) replace the text; typing does not loop back.
    setText((t) => {
      try {
        return JSON.stringify(JSON.parse(t)) === JSON.stringify(value ?? {}) ? t : JSON.stringify(value ?? {}, null, 2);
      } catch {
        return t;
      }
    });
  }, [value]);
  return (
    <Field label={label} hint={hint} error={invalid ? 'Not valid JSON yet.' : error}>
      {(a) => (
        <textarea
          {...a}
          className="mono"
          rows={8}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            try {
              onChange(JSON.parse(e.target.value));
              setInvalid(false);
            } catch {
              setInvalid(true);
            }
          }}
        />
      )}
    </Field>
  );
}
