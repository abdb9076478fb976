import { useState } from 'react';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Field } from '../../../components/Field';
import { api, call } from '../../../api/client';
import { useAction } from '../../../lib/use-api';
import { Modal } from '../../../components/Modal';
import type { WorkflowDocument } from './types';

/**
 * Imports a workflow document (a file made by Export, or pasted JSON). Malformed JSON is caught
 * here, before any call; the API's problems are listed by the field it names (`steps[1].connector`).
 */
export function ImportDialog({ open, onClose, onImported }: { open: boolean; onClose: () => void; onImported: (id: string) => void }) {
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState<string>();
  const [fileError, setFileError] = useState<string>();
  const submit = useAction(async (doc: WorkflowDocument) => call(api.POST('/api/workflows/import', { body: doc })));

  const close = () => {
    setText('');
    setParseError(undefined);
    setFileError(undefined);
    submit.clearError();
    onClose();
  };

  const readFile = async (file: File | undefined) => {
    setFileError(undefined);
    if (!file) return;
    try {
      setText(await file.text());
      setParseError(undefined);
    } catch {
      setFileError('This file could not be read.');
    }
  };

  const onSubmit = async () => {
    let doc: WorkflowDocument;
    try {
      doc = JSON.parse(text) as WorkflowDocument;
    } catch (e) {
      setParseError(`Not valid JSON: ${(e as Error).message}`);
      return;
    }
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
      setParseError('A workflow document is a JSON object (the file Export makes).');
      return;
    }
    setParseError(undefined);
    const created = await submit.run(doc);
    if (created) {
      close();
      onImported(created.id);
    }
  };

  const problems = Object.entries(submit.error?.fieldErrors ?? {});
  return (
    <Modal open={open} title="Import a workflow" onClose={close}>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void onSubmit();
        }}
      >
        <Field label="Workflow file" hint="A .flowgate.json file made by Export (or one of the examples)." error={fileError}>
          {(a) => <input {...a} type="file" accept=".json,application/json" onChange={(e) => void readFile(e.target.files?.[0])} />}
        </Field>
        <Field
          label="Workflow JSON"
          hint="The file's content appears here; you can also paste a document."
          error={parseError ?? (problems.length ? 'The document has problems (listed below).' : undefined)}
        >
          {(a) => (
            <textarea
              {...a}
              className="mono wf-json"
              spellCheck={false}
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                setParseError(undefined);
              }}
            />
          )}
        </Field>
        {problems.length > 0 ? (
          <div className="banner banner-error" role="alert">
            <p>The import was refused:</p>
            <ul className="wf-problems" aria-label="Problems by field">
              {problems.map(([field, message]) => (
                <li key={field}>
                  <code>{field}</code>: {message}
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <ErrorBanner error={submit.error} />
        )}
        <div className="row">
          <button type="submit" className="btn" disabled={submit.busy || text.trim() === ''}>
            {submit.busy ? 'Importing…' : 'Import workflow'}
          </button>
          <button type="button" className="btn btn-secondary" onClick={close} disabled={submit.busy}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
