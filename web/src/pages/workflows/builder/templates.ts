import { templatePaths, type Connector, type DraftStep, type DryRunStep } from './model';

/**
 * The templates a step at `index` may use: `trigger.…` from the dry-run payload and
 * `steps.<earlier>.…` from each earlier step's last dry-run output, else its action's sample
 * output (connector), else the fields it builds (transform).
 */
export function templatesFor(
  index: number,
  steps: DraftStep[],
  payload: unknown,
  connectors: Connector[],
  results: Record<string, DryRunStep>,
): string[] {
  const out = templatePaths(payload, 'trigger');
  for (const s of steps.slice(0, index)) {
    const base = `steps.${s.name}`;
    const ran = results[s.name]?.output;
    let sample: unknown = ran;
    if (sample === undefined && s.type === 'connector') {
      sample = connectors.find((c) => c.key === s.connector)?.actions.find((a) => a.key === s.action)?.sampleOutput;
    }
    if (sample === undefined && s.type === 'transform') sample = s.params;
    const paths = templatePaths(sample, base, 2);
    out.push(...(paths.length ? paths : [base]));
  }
  return out;
}

/** The payload text parsed, or null (the hints then list no trigger fields). */
export function parsePayload(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
