import { useEffect, useState, type FormEvent } from 'react';
import type { ApiError } from '../../../api/errors';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Field } from '../../../components/Field';
import { Modal } from '../../../components/Modal';

/**
 * The dry run's inputs: the trigger payload (JSON object) and whether side-effect steps really
 * run (off by default: they are planned, not sent).
 */
export function DryRunDialog({
  open,
  payload,
  busy,
  willSave,
  error: apiError,
  onRun,
  onClose,
}: {
  open: boolean;
  payload: string;
  busy: boolean;
  willSave: boolean;
  error?: ApiError;
  onRun: (payloadText: string, payload: Record<string, unknown> | null, sideEffects: boolean) => void;
  onClose: () => void;
}) {
  const [text, setText] = useState(payload);
  const [sideEffects, setSideEffects] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (open) {
      setText(payload);
      setError(undefined);
    }
  }, [open, payload]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    let parsed: unknown = null;
    if (text.trim() !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        setError('Not valid JSON.');
        return;
      }
      if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
        setError('The payload must be a JSON object (or empty).');
        return;
      }
    }
    onRun(text, parsed as Record<string, unknown> | null, sideEffects);
  };

  return (
    <Modal open={open} title="Dry run" onClose={onClose} className="builder-dialog">
      <form className="form stack" onSubmit={submit}>
        <Field label="Trigger payload (JSON)" hint="What the steps read as {{trigger.…}}" error={error}>
          {(a) => <textarea {...a} className="mono" rows={8} value={text} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <label className="row">
          <input type="checkbox" checked={sideEffects} onChange={(e) => setSideEffects(e.target.checked)} />
          Side effects (really run steps that change things outside Flowgate; off: they are planned, not sent)
        </label>
        <ErrorBanner error={apiError} />
        {willSave && <p className="muted small">Your unsaved changes are saved first.</p>}
        <div className="row">
          <button type="submit" className="btn" disabled={busy}>
            {busy ? 'Running…' : 'Run dry run'}
          </button>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
    </Modal>
  );
}
