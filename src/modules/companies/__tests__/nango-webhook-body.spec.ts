import Ajv from 'ajv';
import { NANGO_WEBHOOK_BODY_SCHEMA, webhookBodyProblems } from '../nango-webhook-body';

/** The documented schema and the server's check must refuse the same bodies (the required auth fields aside, which the schema can only describe). */
describe('Nango webhook body: schema and check agree', () => {
  const validate = new Ajv({ strict: false, allErrors: true }).compile(NANGO_WEBHOOK_BODY_SCHEMA);
  const auth = {
    type: 'auth',
    operation: 'creation',
    connectionId: 'c-1',
    providerConfigKey: 'quickbooks',
    success: true,
    tags: { organization_id: 't' },
  };

  const accepted: Array<Record<string, unknown>> = [
    auth,
    NANGO_WEBHOOK_BODY_SCHEMA.example,
    {
      type: 'sync',
      connectionId: 'c',
      providerConfigKey: 'hubspot',
      syncName: 'contacts',
      model: 'Contact',
      success: false,
      error: { type: 'x', description: 'y' },
    },
    { type: 'forward', from: 'hubspot', payload: { a: 1 } },
    { ...auth, tags: null, endUser: null, error: null },
    { ...auth, endUser: { endUserId: null, organizationId: null, tags: { a: 'b' }, endUserEmail: 'a@b.co' } },
    {},
  ];
  const refused: Array<[string, Record<string, unknown>]> = [
    ['type', { type: 1 }],
    ['operation', { ...auth, operation: 'x'.repeat(256) }],
    ['connectionId', { type: 'sync', connectionId: 42 }],
    ['provider', { ...auth, provider: ['quickbooks'] }],
    ['success', { type: 'sync', success: 'yes' }],
    ['tags', { ...auth, tags: 'x' }],
    ['tags.organization_id', { ...auth, tags: { organization_id: 7 } }],
    ['endUser', { ...auth, endUser: [] }],
    ['endUser.endUserId', { ...auth, endUser: { endUserId: 5 } }],
    ['endUser.tags.k', { ...auth, endUser: { tags: { k: false } } }],
    ['error.description', { ...auth, error: { description: {} } }],
  ];

  it.each(accepted.map((b) => [JSON.stringify(b).slice(0, 80), b]))('accepts %s', (_name, body) => {
    expect(webhookBodyProblems(body)).toEqual([]);
    expect(validate(body)).toBe(true);
  });

  it.each(refused)('refuses a bad %s, naming it', (field, body) => {
    expect(webhookBodyProblems(body).map((p) => p.field)).toEqual([field]);
    expect(validate(body)).toBe(false);
  });

  it('requires operation, connection and integration of auth events only', () => {
    expect(webhookBodyProblems({ type: 'auth', operation: ' ' }).map((p) => p.field)).toEqual([
      'operation',
      'connectionId',
      'providerConfigKey',
    ]);
    expect(webhookBodyProblems({ type: 'sync' })).toEqual([]);
  });
});
