import { useEffect, useState, type FormEvent } from 'react';
import { Field } from '../../../components/Field';
import { Modal } from '../../../components/Modal';
import { newUid, STEP_NAME_PATTERN, suggestName, type Connector, type DraftStep, type StepKind } from './model';

const KINDS: Array<{ value: StepKind; label: string }> = [
  { value: 'connector', label: 'Connector action' },
  { value: 'transform', label: 'Transform' },
  { value: 'condition', label: 'Condition' },
];

/**
 * Choose what the new step is (a connector action, a transform or a condition) and its name;
 * its params are then edited in the side panel.
 */
export function AddStepDialog({
  open,
  connectors,
  connectorsLoading,
  steps,
  onAdd,
  onClose,
}: {
  open: boolean;
  connectors: Connector[];
  connectorsLoading: boolean;
  steps: DraftStep[];
  onAdd: (step: DraftStep) => void;
  onClose: () => void;
}) {
  const [kind, setKind] = useState<StepKind>('connector');
  const [connectorKey, setConnectorKey] = useState('');
  const [actionKey, setActionKey] = useState('');
  const [name, setName] = useState('');
  const [nameTouched, setNameTouched] = useState(false);
  const connector = connectors.find((c) => c.key === connectorKey);
  const action = connector?.actions.find((a) => a.key === actionKey);

  useEffect(() => {
    if (!open) return;
    setKind('connector');
    setConnectorKey('');
    setActionKey('');
    setNameTouched(false);
  }, [open]);

  // The suggested name follows the choice until the user types one.
  useEffect(() => {
    if (nameTouched) return;
    const base = kind === 'connector' ? (actionKey ? `${connectorKey}_${actionKey}` : connectorKey || 'step') : kind;
    setName(suggestName(base, steps));
  }, [kind, connectorKey, actionKey, steps, nameTouched]);

  const nameError = !STEP_NAME_PATTERN.test(name)
    ? 'Start with a letter; letters, digits, "_" and "-" only (at most 64)'
    : steps.some((s) => s.name === name)
      ? 'Another step already has this name'
      : undefined;
  const complete = kind !== 'connector' || (connector && action);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (nameError || !complete) return;
    const step: DraftStep =
      kind === 'connector'
        ? { uid: newUid(), name, type: kind, connector: connectorKey, action: actionKey, params: {} }
        : kind === 'transform'
          ? { uid: newUid(), name, type: kind, params: { value: '' } }
          : { uid: newUid(), name, type: kind, params: { left: '', operator: 'exists' } };
    onAdd(step);
  };

  return (
    <Modal open={open} title="Add step" onClose={onClose} className="builder-dialog">
      <form className="form stack" onSubmit={submit}>
        <Field label="Step kind">
          {(a) => (
            <select {...a} value={kind} onChange={(e) => setKind(e.target.value as StepKind)}>
              {KINDS.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {kind === 'connector' && (
          <>
            <Field label="Connector" hint={connectorsLoading ? 'Loading connectors…' : connector?.description}>
              {(a) => (
                <select
                  {...a}
                  value={connectorKey}
                  onChange={(e) => {
                    setConnectorKey(e.target.value);
                    const next = connectors.find((c) => c.key === e.target.value);
                    setActionKey(next?.actions.length === 1 ? next.actions[0].key : '');
                  }}
                >
                  <option value="">— choose a connector —</option>
                  {connectors.map((c) => (
                    <option key={c.key} value={c.key}>
                      {c.name} ({c.key})
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {connector && (
              <Field
                label="Action"
                hint={
                  action && (
                    <>
                      {action.description}{' '}
                      {action.sideEffects ? (
                        <span className="badge badge-warning">side effects</span>
                      ) : (
                        <span className="badge badge-neutral">read-only</span>
                      )}
                      {action.sideEffectsRule && <span> {action.sideEffectsRule}</span>}
                    </>
                  )
                }
              >
                {(a) => (
                  <select {...a} value={actionKey} onChange={(e) => setActionKey(e.target.value)}>
                    <option value="">— choose an action —</option>
                    {connector.actions.map((x) => (
                      <option key={x.key} value={x.key}>
                        {x.name}
                        {x.sideEffects ? ' (side effects)' : ''}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
          </>
        )}
        <Field label="Step name" hint="Later steps read its output as {{steps.<name>.…}}" error={name ? nameError : undefined} required>
          {(a) => (
            <input
              {...a}
              value={name}
              onChange={(e) => {
                setNameTouched(true);
                setName(e.target.value);
              }}
            />
          )}
        </Field>
        <div className="row">
          <button type="submit" className="btn" disabled={Boolean(nameError) || !complete}>
            Add this step
          </button>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
