import { ErrorDetail } from '../../core/errors/app-exception';

/**
 * The Nango webhook body: its documented schema and the check the server applies, side by side
 * so they stay in agreement. Any JSON object is accepted; the fields Flowgate reads must have
 * their documented type whatever the event (Nango's auth, sync and forward events all do), and
 * an auth event must name its operation, connection and integration.
 */

const MAX = 255;
const stringMap = { type: 'object', nullable: true, additionalProperties: { type: 'string' } } as const;
const nullableString = (description: string) => ({ type: 'string', nullable: true, maxLength: MAX, description });
const string = (description: string, example?: string) => ({
  type: 'string',
  maxLength: MAX,
  description,
  ...(example ? { example } : {}),
});

export const NANGO_WEBHOOK_BODY_SCHEMA = {
  type: 'object',
  additionalProperties: true,
  description:
    'A Nango webhook as Nango sends it: any JSON object; the fields below must have their type when present (400 naming the field). ' +
    'Only `type: auth` events are acted on, and they need `operation`, `connectionId` and `providerConfigKey`; other types are answered 200 `ignored`.',
  properties: {
    type: string('Event type (`auth`, `sync`, `forward`, ...)', 'auth'),
    operation: string('Auth operation: `creation`, `override`, `refresh` or `deletion` (others are ignored)', 'creation'),
    connectionId: string('Nango connection id'),
    providerConfigKey: string('Nango integration id', 'quickbooks'),
    provider: string('Provider behind the integration', 'quickbooks'),
    success: { type: 'boolean', description: 'False when the operation failed at the provider or at Nango' },
    tags: { ...stringMap, description: 'Connection tags; `organization_id` names the Flowgate tenant' },
    endUser: {
      type: 'object',
      nullable: true,
      additionalProperties: true,
      description: 'Deprecated end-user fields of older connections',
      properties: {
        endUserId: nullableString('End user id'),
        organizationId: nullableString('Organization id (the tenant, on older connections)'),
        tags: stringMap,
      },
    },
    error: {
      type: 'object',
      nullable: true,
      additionalProperties: true,
      description: 'What failed, when `success` is false',
      properties: {
        type: { type: 'string', nullable: true, description: 'Nango error type' },
        description: { type: 'string', nullable: true, description: 'What happened' },
      },
    },
  },
  example: {
    type: 'auth',
    operation: 'creation',
    connectionId: '5b3e1c9a-0d1f-4f5e-9a51-2f0c8d1e7a42',
    providerConfigKey: 'quickbooks',
    provider: 'quickbooks',
    success: true,
    tags: { organization_id: '0f8fad5b-d9cb-469f-a165-70867728950e', end_user_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7' },
  },
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function checkString(problems: ErrorDetail[], field: string, v: unknown, max?: number): void {
  if (v === undefined) return;
  if (typeof v !== 'string') problems.push({ field, message: `${field} must be a string` });
  else if (max !== undefined && v.length > max) problems.push({ field, message: `${field} must be at most ${max} characters` });
}

function checkStringMap(problems: ErrorDetail[], field: string, v: unknown): void {
  if (v === undefined || v === null) return;
  if (!isObject(v)) return void problems.push({ field, message: `${field} must be an object` });
  for (const [k, value] of Object.entries(v))
    if (typeof value !== 'string') problems.push({ field: `${field}.${k}`, message: `${field}.${k} must be a string` });
}

function checkObject(problems: ErrorDetail[], field: string, v: unknown, strings: Record<string, number | undefined>): void {
  if (v === undefined || v === null) return;
  if (!isObject(v)) return void problems.push({ field, message: `${field} must be an object` });
  // Nested strings may be null (Nango leaves unknown end-user facts empty).
  for (const [k, max] of Object.entries(strings)) if (v[k] !== null) checkString(problems, `${field}.${k}`, v[k], max);
}

/** Every problem of a webhook body (an object already), each naming its field; empty when it is fine. */
export function webhookBodyProblems(b: Record<string, unknown>): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  for (const field of ['type', 'operation', 'connectionId', 'providerConfigKey', 'provider'] as const)
    checkString(problems, field, b[field], MAX);
  if (b.type === 'auth') {
    for (const field of ['operation', 'connectionId', 'providerConfigKey'] as const) {
      const v = b[field];
      if (v === undefined || (typeof v === 'string' && !v.trim()))
        problems.push({ field, message: `${field} must be a non-empty string (at most ${MAX} characters)` });
    }
  }
  if (b.success !== undefined && typeof b.success !== 'boolean') problems.push({ field: 'success', message: 'success must be a boolean' });
  checkStringMap(problems, 'tags', b.tags);
  checkObject(problems, 'endUser', b.endUser, { endUserId: MAX, organizationId: MAX });
  if (isObject(b.endUser)) checkStringMap(problems, 'endUser.tags', b.endUser.tags);
  checkObject(problems, 'error', b.error, { type: undefined, description: undefined });
  return problems;
}
