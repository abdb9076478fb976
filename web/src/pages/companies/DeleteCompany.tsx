import { useRef } from 'react';
import { useNavigate } from 'react-router';
import { api, call } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useAction } from '../../lib/use-api';

/** Delete with a confirm dialog: removes the Nango connection and every synced record. */
export function DeleteCompany({ id, name }: { id: string; name: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const navigate = useNavigate();
  const remove = useAction(async () => {
    await call(api.DELETE('/api/companies/{id}', { params: { path: { id } } }));
    dialog.current?.close();
    void navigate('/companies');
  });
  return (
    <>
      <button type="button" className="btn btn-danger" onClick={() => dialog.current?.showModal()}>
        Delete company
      </button>
      <dialog ref={dialog} className="dialog" aria-labelledby="delete-company-heading">
        <h2 id="delete-company-heading">Delete {name}?</h2>
        <p>This removes the Nango connection and every location, contact and product synced from it. It cannot be undone.</p>
        <ErrorBanner error={remove.error} />
        <div className="row">
          <button type="button" className="btn btn-danger" onClick={() => void remove.run()} disabled={remove.busy}>
            {remove.busy ? 'Deleting…' : 'Yes, delete'}
          </button>
          <button type="button" className="btn btn-secondary" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </dialog>
    </>
  );
}
