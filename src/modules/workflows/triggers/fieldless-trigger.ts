import type { ErrorDetail } from '../../../core/errors/app-exception';
import type { StoredTrigger, TriggerValidationContext } from './trigger-handler';

/** `normalize` for a trigger that is its `type` alone (webhook, manual): any other field is a problem naming it. */
export function normalizeFieldlessTrigger(
  type: string,
  input: StoredTrigger,
  ctx: TriggerValidationContext,
  problems: ErrorDetail[],
): StoredTrigger | null {
  const extra = Object.keys(input).filter((k) => k !== 'type');
  for (const k of extra) problems.push({ field: `${ctx.field}.${k}`, message: `a ${type} trigger takes no other field` });
  return extra.length ? null : { type };
}
