import { readFile } from 'node:fs/promises';
import { load, YAMLException } from 'js-yaml';
import { ErrorDetail } from '../../../core/errors/app-exception';
import { DomainError } from '../../../core/errors/domain-error';
import { DeclarativeConfig } from './declarative-config';

type Entity = Record<string, unknown>;

/** Entities the operator keeps in Kong, by top-level collection (`services`, `plugins`, `upstreams`...). */
export type OperatorEntities = Record<string, Entity[]>;

/** Every entity Flowgate makes carries this tag; in the operator's file it marks Flowgate's copies. */
export const FLOWGATE_TAG = 'flowgate';

const SETTING = 'KONG_DBLESS_BASE_CONFIG';

const isFlowgates = (e: Entity) => Array.isArray(e.tags) && e.tags.includes(FLOWGATE_TAG);

/**
 * Reads the operator's declarative file (YAML or JSON: JSON is YAML) and keeps the entities
 * that are not Flowgate's. Entities tagged `flowgate` are dropped: they are Flowgate's base
 * routes or deployments (kong/kong.yml ships Flowgate's base routes, a `deck dump` has
 * everything), and Flowgate renders the current ones itself. Read on every push, so an edit
 * of the file takes effect with the next load, without a restart.
 *
 * Any problem refuses the push (503): loading a config without the operator's entities would
 * delete them from Kong, which is what this file exists to prevent.
 */
export async function readOperatorBase(path: string): Promise<OperatorEntities> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'read error';
    throw invalid(
      `cannot be read (${code}). Set it to the declarative file Kong was started with, or to "" to load Flowgate's entities only`,
    );
  }
  let doc: unknown;
  try {
    doc = load(text);
  } catch (e) {
    const where = e instanceof YAMLException && e.mark ? ` at line ${e.mark.line + 1}` : '';
    throw invalid(`is not valid YAML or JSON${where}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalid('must hold a declarative configuration object');
  const cfg = doc as Record<string, unknown>;
  // Flowgate renders format 3.0; merging another version would change how Kong reads its paths.
  if (String(cfg._format_version) !== '3.0')
    throw invalid(`must have _format_version "3.0" (found ${JSON.stringify(cfg._format_version ?? null)})`);

  const out: OperatorEntities = {};
  for (const [key, value] of Object.entries(cfg)) {
    if (key.startsWith('_')) continue;
    if (!Array.isArray(value) || value.some((e) => typeof e !== 'object' || e === null || Array.isArray(e))) {
      throw invalid(`"${key}" must be a list of entities`);
    }
    const kept = (value as Entity[]).filter((e) => !isFlowgates(e));
    if (kept.length) out[key] = kept;
  }
  return out;
}

/**
 * Flowgate's generated config plus the operator's entities. A name (service, route) or
 * consumer (username, custom_id) the operator uses that Flowgate also renders is refused,
 * naming the entity: Kong would refuse the config, or one side would silently win.
 */
export function mergeOperatorBase(generated: DeclarativeConfig, operator: OperatorEntities): DeclarativeConfig {
  const ours = new Set<string>();
  for (const s of generated.services) {
    ours.add(`service:${String(s.name)}`);
    for (const r of (s.routes as Entity[] | undefined) ?? []) ours.add(`route:${String(r.name)}`);
  }
  for (const c of generated.consumers ?? []) {
    if (c.username) ours.add(`consumer:${String(c.username)}`);
    if (c.custom_id) ours.add(`consumer:${String(c.custom_id)}`);
  }

  const conflicts: ErrorDetail[] = [];
  const check = (kind: string, value: unknown, field: string) => {
    if (typeof value === 'string' && ours.has(`${kind}:${value}`)) {
      conflicts.push({
        field,
        message: `${field}: ${kind} "${value}" is also an entity Flowgate renders; rename the operator's ${kind} (or tag it "${FLOWGATE_TAG}" if it is Flowgate's copy)`,
      });
    }
  };
  (operator.services ?? []).forEach((s, i) => {
    check('service', s.name, `services[${i}].name`);
    ((s.routes as Entity[] | undefined) ?? []).forEach((r, j) => check('route', r.name, `services[${i}].routes[${j}].name`));
  });
  (operator.routes ?? []).forEach((r, i) => check('route', r.name, `routes[${i}].name`));
  (operator.consumers ?? []).forEach((c, i) => {
    check('consumer', c.username, `consumers[${i}].username`);
    check('consumer', c.custom_id, `consumers[${i}].custom_id`);
  });
  if (conflicts.length) {
    const summary = conflicts.map((c) => c.message).join('; ');
    throw new KongBaseConfigError(
      `Kong's base configuration file (${SETTING}) uses names Flowgate renders, so nothing was loaded into Kong: ${summary}`,
      { status: 409, code: 'KONG_BASE_CONFIG_CONFLICT', details: conflicts },
    );
  }

  const merged: Record<string, unknown> = { ...generated };
  for (const [key, entities] of Object.entries(operator)) {
    const mine = (generated as Record<string, unknown>)[key];
    merged[key] = Array.isArray(mine) ? [...mine, ...entities] : entities;
  }
  return merged as DeclarativeConfig;
}

/** The operator's base file refuses a DB-less load: unusable (503) or clashing with Flowgate's names (409). */
export class KongBaseConfigError extends DomainError {}

function invalid(problem: string): KongBaseConfigError {
  return new KongBaseConfigError(`Kong's base configuration file (${SETTING}) ${problem}; nothing was loaded into Kong`, {
    status: 503,
    code: 'KONG_BASE_CONFIG_INVALID',
  });
}
