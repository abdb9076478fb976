import { Field } from '../../../components/Field';
import { JsonObjectField } from './JsonObjectField';
import { branchesOf, type DraftStep } from './model';
import { TemplateInsert } from './TemplateInsert';
import { OPERATORS, UNARY } from './operators';

/** What the user typed for `right`: JSON numbers, booleans and arrays as such, anything else as text. */
function parseValue(text: string): unknown {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'string' ? text : v;
  } catch {
    return text;
  }
}
const showValue = (v: unknown) => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/**
 * A condition step: one comparison (or all/any of several), and which later steps run only when
 * it is true (`then`) or only when false (`else`). No branch at all makes it a filter.
 */
export function ConditionForm({
  step,
  later,
  errors,
  templates,
  onChange,
}: {
  step: DraftStep;
  later: string[];
  errors: Record<string, string> | undefined;
  templates: string[];
  onChange: (step: DraftStep) => void;
}) {
  const { then: thenList, else: elseList, all, any, ...single } = step.params;
  const mode = all !== undefined ? 'all' : any !== undefined ? 'any' : 'single';
  const e = (path: string) => errors?.[`params.${path}`];
  const branches = branchesOf(step);
  const keep = { ...(thenList !== undefined ? { then: thenList } : {}), ...(elseList !== undefined ? { else: elseList } : {}) };
  const set = (params: Record<string, unknown>) => onChange({ ...step, params });

  const setMode = (next: string) => {
    const comparison = {
      left: single.left ?? '',
      operator: single.operator ?? 'exists',
      ...(single.right !== undefined ? { right: single.right } : {}),
    };
    if (next === 'single') {
      const first = (Array.isArray(all) ? all[0] : Array.isArray(any) ? any[0] : undefined) as Record<string, unknown> | undefined;
      set({ ...keep, ...(first ?? { left: '', operator: 'exists' }) });
    } else set({ ...keep, [next]: [comparison] });
  };
  const setBranch = (name: string, where: string) => {
    const thenNext = branches.then.filter((n) => n !== name);
    const elseNext = branches.else.filter((n) => n !== name);
    if (where === 'then') thenNext.push(name);
    if (where === 'else') elseNext.push(name);
    const { then: _t, else: _e, ...rest } = step.params;
    set({ ...rest, ...(thenNext.length ? { then: thenNext } : {}), ...(elseNext.length ? { else: elseNext } : {}) });
  };
  const operator = String(single.operator ?? '');

  return (
    <div className="stack">
      {e('') && <p className="field-error">{e('')}</p>}
      <Field label="Match">
        {(a) => (
          <select {...a} value={mode} onChange={(ev) => setMode(ev.target.value)}>
            <option value="single">One comparison</option>
            <option value="all">All of several comparisons</option>
            <option value="any">Any of several comparisons</option>
          </select>
        )}
      </Field>
      {mode === 'single' ? (
        <>
          <Field
            label="Left value"
            error={e('left')}
            hint={
              <TemplateInsert
                field="Left value"
                templates={templates}
                onInsert={(t) => set({ ...step.params, left: `${showValue(single.left)}${t}` })}
              />
            }
          >
            {(a) => <input {...a} value={showValue(single.left)} onChange={(ev) => set({ ...step.params, left: ev.target.value })} />}
          </Field>
          <Field label="Operator" error={e('operator')}>
            {(a) => (
              <select
                {...a}
                value={operator}
                onChange={(ev) => {
                  const { right, ...rest } = step.params;
                  set(
                    UNARY.has(ev.target.value)
                      ? { ...rest, operator: ev.target.value }
                      : { ...rest, operator: ev.target.value, right: right ?? '' },
                  );
                }}
              >
                {OPERATORS.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {!UNARY.has(operator) && (
            <Field label="Right value" error={e('right')} hint="Numbers, true/false and [arrays] are read as JSON; anything else as text">
              {(a) => (
                <input
                  {...a}
                  value={showValue(single.right)}
                  onChange={(ev) => set({ ...step.params, right: parseValue(ev.target.value) })}
                />
              )}
            </Field>
          )}
        </>
      ) : (
        <JsonObjectField
          label={`Comparisons (${mode} of, JSON array)`}
          hint='e.g. [{"left": "{{trigger.order.amount}}", "operator": "gte", "right": 100}]'
          value={mode === 'all' ? all : any}
          error={Object.entries(errors ?? {}).find(([k]) => k.startsWith(`params.${mode}`))?.[1]}
          onChange={(v) => {
            if (Array.isArray(v)) set({ ...keep, [mode]: v });
          }}
        />
      )}
      <fieldset className="stack">
        <legend>Branches</legend>
        {later.length === 0 ? (
          <p className="muted small">No step after this one yet. Without branches, a false condition stops the run here (a filter).</p>
        ) : (
          later.map((name) => {
            const where = branches.then.includes(name) ? 'then' : branches.else.includes(name) ? 'else' : 'always';
            const idx = (where === 'then' ? branches.then : branches.else).indexOf(name);
            return (
              <Field key={name} label={`When does ${name} run?`} error={where !== 'always' ? e(`${where}[${idx}]`) : undefined}>
                {(a) => (
                  <select {...a} value={where} onChange={(ev) => setBranch(name, ev.target.value)}>
                    <option value="always">Always (not a branch)</option>
                    <option value="then">Only when true</option>
                    <option value="else">Only when false</option>
                  </select>
                )}
              </Field>
            );
          })
        )}
      </fieldset>
    </div>
  );
}
