/**
 * Request examples shown in Swagger UI. Each one must work when sent as-is by a fresh account
 * (test/workflow-examples.e2e-spec.ts sends them from openapi/openapi.json): core steps only, so
 * no credential and no third party is needed, and a webhook trigger without schedule fields.
 */

/** Builds a greeting from the webhook payload; the condition lets only orders of 100 or more go on. */
export const EXAMPLE_STEPS = [
  {
    name: 'greet',
    type: 'transform',
    params: {
      greeting: 'Hello {{trigger.user.name | default: "there"}}',
      orderId: '{{trigger.order.id}}',
      amount: '{{trigger.order.amount}}',
    },
  },
  { name: 'bigOrder', type: 'condition', params: { left: '{{steps.greet.amount}}', operator: 'gte', right: 100 } },
];

export const EXAMPLE_TRIGGER = { type: 'webhook' };

export const EXAMPLE_SETTINGS = { retries: 2, backoff: { type: 'exponential', delayMs: 1000 }, stepTimeoutMs: 30000 };

export const CREATE_WORKFLOW_EXAMPLE = {
  name: 'Greet big orders',
  description:
    'POST {"user":{"name":"Alex"},"order":{"id":"12345","amount":250}} to the webhook: greets Alex and goes on for orders of 100 or more',
  active: true,
  trigger: EXAMPLE_TRIGGER,
  steps: EXAMPLE_STEPS,
  settings: EXAMPLE_SETTINGS,
};

/** The same workflow edited: GoFlow-form templates (`{{user.name}}` reads the trigger payload) and a higher threshold. */
export const UPDATE_WORKFLOW_EXAMPLE = {
  name: 'Greet very big orders',
  steps: [
    {
      name: 'greet',
      type: 'transform',
      params: { greeting: 'Hello {{user.name | default: "there"}}', orderId: '{{order.id}}', amount: '{{order.amount}}' },
    },
    { name: 'bigOrder', type: 'condition', params: { left: '{{steps.greet.amount}}', operator: 'gte', right: 500 } },
  ],
  settings: { retries: 3 },
};

export const TOGGLE_WORKFLOW_EXAMPLE = { active: false };

/** A portable document (what export produces) that needs no credential in the importing tenant. */
export const WORKFLOW_DOCUMENT_EXAMPLE = {
  format: 'flowgate.workflow',
  formatVersion: 1,
  ...CREATE_WORKFLOW_EXAMPLE,
  name: 'Greet big orders (imported)',
  credentials: [],
};

/** What the webhook example sends: the payload the example workflow reads. */
export const WEBHOOK_PAYLOAD_EXAMPLE = { user: { name: 'Alex' }, order: { id: '12345', amount: 250 } };
