import { CopyButton } from '../../../components/CopyButton';
import { Field } from '../../../components/Field';
import { Modal } from '../../../components/Modal';

/**
 * The new signing secret, shown once: it lives only in the panel's state while this dialog is
 * open and is dropped when it closes (it is never stored by the console).
 */
export function SecretDialog({
  secret,
  signatureFormat,
  onDone,
}: {
  secret: string | undefined;
  signatureFormat?: string;
  onDone: () => void;
}) {
  return (
    <Modal open={!!secret} title="Webhook signing secret" onClose={onDone}>
      {secret && (
        <>
          <p>Store this secret now: Flowgate will not show it again. The previous secret, if any, no longer works.</p>
          <Field label="Signing secret">
            {(a) => <input {...a} className="mono" readOnly value={secret} onFocus={(e) => e.currentTarget.select()} />}
          </Field>
          <div className="row">
            <CopyButton value={secret} label="Copy secret" />
          </div>
          {signatureFormat && (
            <p className="small">
              Sign each call with <code>{signatureFormat}</code>
            </p>
          )}
          <div className="row">
            <button type="button" className="btn" onClick={onDone}>
              I stored it
            </button>
          </div>
        </>
      )}
    </Modal>
  );
}
