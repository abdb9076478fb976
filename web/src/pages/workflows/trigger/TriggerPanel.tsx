import type { components } from '../../../api/generated/schema';

export type WorkflowTrigger = components['schemas']['WorkflowTrigger'];
export type Workflow = components['schemas']['WorkflowDto'];

export interface TriggerPanelProps {
  /** The trigger being edited (not saved until the builder saves the workflow). */
  trigger: WorkflowTrigger;
  onChange: (trigger: WorkflowTrigger) => void;
  /** The saved workflow (webhook URL, signing secret state); undefined while it is new. */
  workflow?: Workflow;
  /** After an action that changes the saved workflow at once (a webhook secret generated or removed). */
  onWorkflowChange?: (workflow: Workflow) => void;
  /** The API's errors for the trigger, by field (`intervalSeconds`, `cron`, `timezone`…). */
  errors?: Record<string, string>;
  disabled?: boolean;
}

// Placeholder until the trigger panel is built (issue 16): the type only.
export function TriggerPanel({ trigger, onChange, disabled }: TriggerPanelProps) {
  return (
    <label>
      Trigger type
      <select value={trigger.type} disabled={disabled} onChange={(e) => onChange({ type: e.target.value } as WorkflowTrigger)}>
        <option value="webhook">webhook</option>
        <option value="schedule">schedule</option>
        <option value="manual">manual</option>
      </select>
    </label>
  );
}
