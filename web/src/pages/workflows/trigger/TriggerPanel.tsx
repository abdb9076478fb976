import { useId, useRef } from 'react';
import type { components } from '../../../api/generated/schema';
import { ScheduleSection, type ScheduleTrigger } from './ScheduleSection';
import { WebhookSection } from './WebhookSection';
import '../list/workflows.css';

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

/** The types the console edits; others (amqp, error) are shown read-only (they are set through the API). */
const EDITABLE = [
  { type: 'webhook', label: 'Webhook', hint: 'An HTTP POST to the workflow URL' },
  { type: 'schedule', label: 'Schedule', hint: 'Every N minutes, or on a cron expression' },
  { type: 'manual', label: 'Manual', hint: 'Only when someone runs it' },
] as const;

const READ_ONLY_LABELS: Record<string, string> = {
  amqp: 'AMQP queue',
  error: 'Failure of another workflow',
};

/**
 * What starts the workflow: the type, then the type's own settings (the webhook URL and its
 * signing secret, or the schedule and its next fire times). Edits go up through `onChange`; the
 * builder saves them. Only the secret actions write at once (they are not part of the workflow
 * document), and they report through `onWorkflowChange`.
 */
export function TriggerPanel({ trigger, onChange, workflow, onWorkflowChange, errors, disabled }: TriggerPanelProps) {
  const hintId = useId();
  // Switching away from a schedule and back keeps what was entered.
  const lastSchedule = useRef<ScheduleTrigger>({ type: 'schedule', intervalSeconds: 600 });
  if (trigger.type === 'schedule') lastSchedule.current = trigger;

  const fieldError = (f: string): string | undefined => errors?.[f] ?? errors?.[`trigger.${f}`];
  const general = errors?.trigger ?? errors?.type ?? errors?.['trigger.type'];
  const readOnly = EDITABLE.some((e) => e.type === trigger.type) ? undefined : (READ_ONLY_LABELS[trigger.type] ?? trigger.type);

  const choose = (type: (typeof EDITABLE)[number]['type']) => {
    if (type === trigger.type) return;
    if (type === 'schedule') onChange(lastSchedule.current);
    else onChange({ type });
  };

  return (
    <div className="stack">
      <fieldset disabled={disabled} aria-describedby={general ? hintId : undefined}>
        <legend>Trigger type</legend>
        <div className="stack">
          {EDITABLE.map((opt) => (
            <div key={opt.type}>
              <label>
                <input
                  type="radio"
                  name="trigger-type"
                  value={opt.type}
                  checked={trigger.type === opt.type}
                  aria-describedby={`${hintId}-${opt.type}`}
                  onChange={() => choose(opt.type)}
                />{' '}
                {opt.label}
              </label>{' '}
              <span id={`${hintId}-${opt.type}`} className="muted small">
                ({opt.hint})
              </span>
            </div>
          ))}
          {readOnly && (
            <div>
              <label>
                <input type="radio" name="trigger-type" value={trigger.type} checked readOnly disabled aria-describedby={`${hintId}-ro`} />{' '}
                {readOnly}
              </label>{' '}
              <span id={`${hintId}-ro`} className="muted small">
                (read-only here: change it through the API)
              </span>
            </div>
          )}
        </div>
        {general && (
          <div id={hintId} className="field-error">
            {general}
          </div>
        )}
      </fieldset>

      {trigger.type === 'webhook' && <WebhookSection workflow={workflow} onWorkflowChange={onWorkflowChange} disabled={disabled} />}
      {trigger.type === 'schedule' && (
        <ScheduleSection trigger={trigger} onChange={onChange} fieldError={fieldError} disabled={disabled} workflowId={workflow?.id} />
      )}
      {trigger.type === 'manual' && (
        <p className="muted">Runs only when started by hand (Run now) or with POST /api/workflows/&#123;id&#125;/run.</p>
      )}
      {readOnly && <ReadOnlyTrigger trigger={trigger} />}
    </div>
  );
}

/** An amqp or error trigger: what it is set to, read-only. */
function ReadOnlyTrigger({ trigger }: { trigger: WorkflowTrigger }) {
  const entries = Object.entries(trigger).filter(([k]) => k !== 'type');
  if (trigger.type === 'error')
    return <p className="muted">Runs when another workflow that names this one as its error workflow fails for good.</p>;
  if (entries.length === 0) return null;
  return (
    <dl className="small">
      {entries.map(([k, v]) => (
        <div key={k} className="row">
          <dt className="muted">{k}</dt>
          <dd className="mono">{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
        </div>
      ))}
    </dl>
  );
}
