import { ErrorBanner } from '../../../components/ErrorBanner';
import { api, call } from '../../../api/client';
import { useAction } from '../../../lib/use-api';
import { Modal } from '../../../components/Modal';
import type { WorkflowListItem } from './types';

/** Asks before deleting; says what stays (the run log) and shows why the API refused (409, 503). */
export function DeleteDialog({
  workflow,
  onClose,
  onDeleted,
}: {
  workflow: WorkflowListItem | undefined;
  onClose: () => void;
  onDeleted: (w: WorkflowListItem) => void;
}) {
  const remove = useAction(async (w: WorkflowListItem) => {
    await call(api.DELETE('/api/workflows/{id}', { params: { path: { id: w.id } } }));
    return w;
  });
  const close = () => {
    remove.clearError();
    onClose();
  };
  return (
    <Modal open={!!workflow} title="Delete workflow?" onClose={close}>
      {workflow && (
        <>
          <p>
            <strong>{workflow.name}</strong> will be deleted with its schedule and its webhook. Its past runs stay readable in the run log.
          </p>
          {remove.error?.status === 409 && (
            <p className="small">
              Another change or a reference to this workflow prevents deleting it now (for example it is the error workflow of another one).
              Change that first, then try again.
            </p>
          )}
          <ErrorBanner error={remove.error} />
          <div className="row">
            <button
              type="button"
              className="btn btn-danger"
              disabled={remove.busy}
              onClick={async () => {
                const done = await remove.run(workflow);
                if (done) onDeleted(done);
              }}
            >
              {remove.busy ? 'Deleting…' : 'Delete workflow'}
            </button>
            <button type="button" className="btn btn-secondary" onClick={close} disabled={remove.busy}>
              Cancel
            </button>
          </div>
        </>
      )}
    </Modal>
  );
}
