/**
 * "Insert": a select of the templates a field may use ({{trigger.…}} from the dry-run payload,
 * {{steps.<earlier step>.…}} from earlier steps' sample or last output). Choosing one appends it.
 */
export function TemplateInsert({ field, templates, onInsert }: { field: string; templates: string[]; onInsert: (t: string) => void }) {
  if (templates.length === 0) return null;
  return (
    <select
      className="template-insert"
      aria-label={`Insert a template into ${field}`}
      value=""
      onChange={(e) => {
        if (e.target.value) onInsert(e.target.value);
      }}
    >
      <option value="">Insert…</option>
      {templates.map((t) => (
        <option key={t} value={`{{${t}}}`}>
          {`{{${t}}}`}
        </option>
      ))}
    </select>
  );
}
