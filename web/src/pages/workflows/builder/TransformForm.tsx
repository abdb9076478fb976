import { JsonObjectField } from './JsonObjectField';
import type { DraftStep } from './model';

/** A transform step: the object it builds (values may hold templates); its output is that object. */
export function TransformForm({
  step,
  errors,
  templates,
  onChange,
}: {
  step: DraftStep;
  errors: Record<string, string> | undefined;
  templates: string[];
  onChange: (step: DraftStep) => void;
}) {
  const fieldError = Object.entries(errors ?? {}).find(([k]) => k.startsWith('params'))?.[1];
  return (
    <div className="stack">
      <JsonObjectField
        label="Fields to build (JSON object)"
        hint='Each value may use templates, e.g. {"greeting": "Hello {{trigger.user.name}}"}'
        value={step.params}
        error={fieldError}
        onChange={(v) => {
          if (v && typeof v === 'object' && !Array.isArray(v)) onChange({ ...step, params: v as Record<string, unknown> });
        }}
      />
      {templates.length > 0 && (
        <details>
          <summary>Templates you can use</summary>
          <ul className="mono small template-list">
            {templates.map((t) => (
              <li key={t}>{`{{${t}}}`}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
