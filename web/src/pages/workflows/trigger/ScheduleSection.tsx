import { useEffect, useMemo, useState } from 'react';
import type { components } from '../../../api/generated/schema';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Field } from '../../../components/Field';
import { FireTimes } from './FireTimes';
import { browserTimeZone, splitInterval, timeZones, UNIT_SECONDS, type IntervalUnit } from './schedule-units';
import { useSchedulePreview } from './use-schedule-preview';

export type ScheduleTrigger = components['schemas']['ScheduleTrigger'];

const PREVIEW_COUNT = 5;
const DEFAULT_CRON = '0 9 * * 1-5';

/**
 * A schedule: an interval (a number and a unit) or a cron expression in a time zone, with the
 * next fire times as the API computes them. `fieldError` reads the builder's errors and the
 * preview's (the same validation as a save), the builder's first.
 */
export function ScheduleSection({
  trigger,
  onChange,
  fieldError,
  disabled,
  workflowId,
}: {
  trigger: ScheduleTrigger;
  onChange: (t: ScheduleTrigger) => void;
  fieldError: (field: 'intervalSeconds' | 'cron' | 'timezone') => string | undefined;
  disabled?: boolean;
  workflowId?: string;
}) {
  const mode = trigger.cron !== undefined ? 'cron' : 'interval';
  const zones = useMemo(timeZones, []);

  const request = useMemo(() => {
    if (mode === 'interval') {
      return trigger.intervalSeconds === undefined
        ? null
        : { intervalSeconds: trigger.intervalSeconds, count: PREVIEW_COUNT, ...(workflowId ? { workflowId } : {}) };
    }
    const cron = trigger.cron?.trim();
    return cron ? { cron, timezone: trigger.timezone ?? 'UTC', count: PREVIEW_COUNT } : null;
  }, [mode, trigger.intervalSeconds, trigger.cron, trigger.timezone, workflowId]);
  const { preview, error, loading } = useSchedulePreview(request);
  const previewField = (f: 'intervalSeconds' | 'cron' | 'timezone') => fieldError(f) ?? error?.fieldErrors[f];
  const otherError =
    error && !Object.keys(error.fieldErrors).some((f) => ['intervalSeconds', 'cron', 'timezone'].includes(f)) ? error : undefined;

  return (
    <div className="stack">
      <fieldset disabled={disabled}>
        <legend>Repeat</legend>
        <div className="row">
          <label>
            <input
              type="radio"
              name="schedule-mode"
              checked={mode === 'interval'}
              onChange={() => onChange({ type: 'schedule', intervalSeconds: 600 })}
            />{' '}
            At an interval
          </label>
          <label>
            <input
              type="radio"
              name="schedule-mode"
              checked={mode === 'cron'}
              onChange={() => onChange({ type: 'schedule', cron: DEFAULT_CRON, timezone: browserTimeZone() })}
            />{' '}
            On a cron schedule
          </label>
        </div>
      </fieldset>

      {mode === 'interval' ? (
        <IntervalFields
          seconds={trigger.intervalSeconds}
          error={previewField('intervalSeconds')}
          disabled={disabled}
          onChange={(intervalSeconds) => onChange({ type: 'schedule', intervalSeconds })}
        />
      ) : (
        <div className="inline-fields">
          <Field
            label="Cron expression"
            hint="5 fields (minute hour day month weekday) or 6 with seconds first, e.g. */15 * * * *"
            error={previewField('cron')}
          >
            {(a) => (
              <input
                {...a}
                className="mono"
                spellCheck={false}
                disabled={disabled}
                value={trigger.cron ?? ''}
                onChange={(e) => onChange({ ...trigger, type: 'schedule', cron: e.target.value })}
              />
            )}
          </Field>
          <Field label="Time zone" hint="Daylight-saving changes follow this zone." error={previewField('timezone')}>
            {(a) => (
              <select
                {...a}
                disabled={disabled}
                value={trigger.timezone ?? 'UTC'}
                onChange={(e) => onChange({ ...trigger, type: 'schedule', timezone: e.target.value })}
              >
                {/* A stored zone this browser does not list stays selectable. */}
                {trigger.timezone && !zones.includes(trigger.timezone) && <option value={trigger.timezone}>{trigger.timezone}</option>}
                {zones.map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      )}

      <ErrorBanner error={otherError} />
      {request ? (
        <FireTimes
          fireTimes={error ? undefined : preview?.fireTimes}
          timeZone={mode === 'cron' ? (trigger.timezone ?? 'UTC') : browserTimeZone()}
          loading={loading}
          count={PREVIEW_COUNT}
        />
      ) : (
        <p className="muted small">
          {mode === 'cron' ? 'Enter a cron expression to see when it fires.' : 'Enter an interval to see when it fires.'}
        </p>
      )}
      {mode === 'interval' && !workflowId && (
        <p className="muted small">
          Once saved, each workflow&apos;s ticks are shifted by a fixed delay within the interval, so that workflows with the same interval
          do not all run at the same second.
        </p>
      )}
    </div>
  );
}

/** "Every [10] [minutes]": kept as typed, sent up as seconds only when it is a whole number. */
function IntervalFields({
  seconds,
  error,
  disabled,
  onChange,
}: {
  seconds: number | undefined;
  error: string | undefined;
  disabled?: boolean;
  onChange: (seconds: number) => void;
}) {
  const [amount, setAmount] = useState(() => splitInterval(seconds).amount);
  const [unit, setUnit] = useState<IntervalUnit>(() => splitInterval(seconds).unit);
  const [local, setLocal] = useState<string>();

  // A change from outside (a workflow loaded) replaces what is shown; our own edits do not loop.
  useEffect(() => {
    if (seconds !== undefined && Number(amount) * UNIT_SECONDS[unit] !== seconds) {
      const split = splitInterval(seconds);
      setAmount(split.amount);
      setUnit(split.unit);
    }
    // Only an outside change of `seconds` resets the fields (not every keystroke).
  }, [seconds]);

  const update = (nextAmount: string, nextUnit: IntervalUnit) => {
    setAmount(nextAmount);
    setUnit(nextUnit);
    const n = Number(nextAmount);
    if (!/^\d+$/.test(nextAmount.trim()) || n < 1) {
      setLocal('Enter a whole number, 1 or more.');
      return;
    }
    setLocal(undefined);
    onChange(n * UNIT_SECONDS[nextUnit]);
  };

  return (
    <div className="inline-fields">
      <Field label="Every" hint="From 10 seconds to 31 days." error={local ?? error}>
        {(a) => <input {...a} inputMode="numeric" disabled={disabled} value={amount} onChange={(e) => update(e.target.value, unit)} />}
      </Field>
      <Field label="Unit">
        {(a) => (
          <select {...a} disabled={disabled} value={unit} onChange={(e) => update(amount, e.target.value as IntervalUnit)}>
            {(Object.keys(UNIT_SECONDS) as IntervalUnit[]).map((u) => (
              <option key={u} value={u}>
                {u}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}
