import type { WorkflowTrigger } from './types';

const UNITS: Array<[number, string]> = [
  [86_400, 'day'],
  [3_600, 'h'],
  [60, 'min'],
  [1, 's'],
];

/** "10 min", "1 h 30 min", "2 days": an interval in words, largest units first. */
export function intervalText(seconds: number): string {
  const parts: string[] = [];
  let rest = seconds;
  for (const [size, unit] of UNITS) {
    const n = Math.floor(rest / size);
    if (!n) continue;
    parts.push(unit === 'day' ? `${n} day${n === 1 ? '' : 's'}` : `${n} ${unit}`);
    rest -= n * size;
  }
  return parts.join(' ') || '0 s';
}

/** The trigger's type and its one detail a list needs ("every 10 min", the cron and its zone). */
export function triggerSummary(trigger: WorkflowTrigger): { type: string; detail?: string } {
  // A type a plug-in registers is none of the known ones: shown by its name.
  const name: string = trigger.type;
  switch (trigger.type) {
    case 'webhook':
      return { type: 'Webhook' };
    case 'manual':
      return { type: 'Manual', detail: 'run by hand or through the API' };
    case 'error':
      return { type: 'Error', detail: 'when another workflow fails' };
    case 'amqp':
      return 'queue' in trigger ? { type: 'AMQP', detail: `queue ${trigger.queue}` } : { type: 'AMQP' };
    case 'schedule':
      if ('intervalSeconds' in trigger && trigger.intervalSeconds !== undefined) {
        return { type: 'Schedule', detail: `every ${intervalText(trigger.intervalSeconds)}` };
      }
      if ('cron' in trigger && trigger.cron !== undefined) {
        return { type: 'Schedule', detail: `${trigger.cron} (${('timezone' in trigger && trigger.timezone) || 'UTC'})` };
      }
      return { type: 'Schedule' };
    default:
      return { type: name };
  }
}
