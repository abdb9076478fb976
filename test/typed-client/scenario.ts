import createClient from 'openapi-fetch';
import type { components, paths } from './generated/flowgate-api';

/**
 * What a TypeScript client written against openapi/openapi.json does, with the types
 * openapi-typescript generates from it and openapi-fetch: no casts, no `any`, no non-null
 * assertions (typed-client.e2e-spec.ts refuses them and compiles this file with strict tsc).
 * Every value it reads comes through the generated types; every answer it needs is checked
 * by status here, and what it found is returned for the spec to assert on.
 */
type ExecutionDetail = components['schemas']['ExecutionDetailDto'];
type StepResult = components['schemas']['StepResultDto'];
type Json = components['schemas']['JsonValue'];

export interface ScenarioResult {
  executionId: string;
  /** Status of the first GET /api/executions/{id}, right after the webhook's 202. */
  firstSeenStatus: ExecutionDetail['status'];
  finalStatus: ExecutionDetail['status'];
  inputOrderId: unknown;
  shapeOutput: { orderId: unknown; total: unknown };
  stepStatuses: Array<[string, StepResult['status']]>;
  logs: { count: number; workflowIds: Array<string | null>; statuses: Array<ExecutionDetail['status']> };
  succeededByStats: number | undefined;
  exportedStepNames: string[];
  exportedCredentials: string[];
  imported: { id: string; name: string; notifyCredentialId: string | undefined };
  credentialId: string;
  toggledActive: boolean;
  webhookAfterToggle: { status: number; code: string | undefined };
}

function isRecord(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}

function failure(what: string, response: Response, error: unknown): Error {
  return new Error(`${what} answered ${response.status}: ${JSON.stringify(error)}`);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runScenario(baseUrl: string): Promise<ScenarioResult> {
  const anonymous = createClient<paths>({ baseUrl });
  const email = `typed-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const registered = await anonymous.POST('/api/auth/register', {
    body: { email, password: 'correct horse battery staple', tenantName: 'Typed client' },
  });
  if (!registered.data) throw failure('POST /api/auth/register', registered.response, registered.error);
  const api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${registered.data.accessToken}` } });

  const credential = await api.POST('/api/credentials', {
    body: {
      name: 'Orders API',
      connectorKey: 'http',
      authKind: 'bearer',
      secrets: { token: 'typed-client-token-0123456789' },
      allowedHosts: ['api.example.com'],
    },
  });
  if (!credential.data) throw failure('POST /api/credentials', credential.response, credential.error);
  const credentialId = credential.data.id;

  // `notify` uses the credential only for orders over 100: the order sent below is smaller, so
  // the condition skips it and nothing leaves the test machine.
  const created = await api.POST('/api/workflows', {
    body: {
      name: `Typed orders ${Date.now().toString(36)}`,
      active: true,
      trigger: { type: 'webhook' },
      steps: [
        { name: 'shape', type: 'transform', params: { orderId: '{{trigger.order.id}}', total: '{{trigger.order.total}}' } },
        { name: 'big', type: 'condition', params: { left: '{{steps.shape.total}}', operator: 'gt', right: 100, then: ['notify'] } },
        {
          name: 'notify',
          type: 'connector',
          connector: 'http',
          action: 'request',
          credentialId,
          params: { method: 'POST', url: 'https://api.example.com/orders', body: { orderId: '{{steps.shape.orderId}}' } },
        },
      ],
      settings: { retries: 0, backoff: { type: 'fixed', delayMs: 10 } },
    },
  });
  if (!created.data) throw failure('POST /api/workflows', created.response, created.error);
  const workflowId = created.data.id;

  // The stored input of a run is the payload it was given: both have the document's input type.
  const payload: ExecutionDetail['input'] = { order: { id: 'A-1001', total: 42 }, customer: { name: 'Ada' } };
  const accepted = await anonymous.POST('/api/webhooks/{workflowId}', { params: { path: { workflowId } }, body: payload });
  if (!accepted.data) throw failure('POST /api/webhooks/{workflowId}', accepted.response, accepted.error);
  const executionId = accepted.data.executionId;

  const first = await api.GET('/api/executions/{id}', { params: { path: { id: executionId } } });
  if (!first.data) throw failure('GET /api/executions/{id} right after the 202', first.response, first.error);
  let execution: ExecutionDetail = first.data;
  for (let polls = 0; execution.status === 'queued' || execution.status === 'running'; polls++) {
    if (polls > 600) throw new Error(`execution ${executionId} still ${execution.status}`);
    await sleep(50);
    const next = await api.GET('/api/executions/{id}', { params: { path: { id: executionId } } });
    if (!next.data) throw failure('GET /api/executions/{id}', next.response, next.error);
    execution = next.data;
  }
  const shape = execution.steps.find((s) => s.name === 'shape');
  const shapeOutput: Json | undefined = shape?.output;

  const logs = await api.GET('/api/logs', { params: { query: { workflowId, status: ['succeeded'] } } });
  if (!logs.data) throw failure('GET /api/logs', logs.response, logs.error);

  const stats = await api.GET('/api/workflows/{id}/stats', { params: { path: { id: workflowId } } });
  if (!stats.data) throw failure('GET /api/workflows/{id}/stats', stats.response, stats.error);
  const succeededByStats: number | undefined = stats.data.byStatus['succeeded'];

  const exported = await api.GET('/api/workflows/{id}/export', { params: { path: { id: workflowId } } });
  if (!exported.data) throw failure('GET /api/workflows/{id}/export', exported.response, exported.error);
  const document = exported.data;

  const imported = await api.POST('/api/workflows/import', { body: { ...document, name: `${document.name} (copy)` } });
  if (!imported.data) throw failure('POST /api/workflows/import', imported.response, imported.error);

  const toggled = await api.PUT('/api/workflows/{id}/toggle', { params: { path: { id: workflowId } }, body: { active: false } });
  if (!toggled.data) throw failure('PUT /api/workflows/{id}/toggle', toggled.response, toggled.error);

  const refused = await anonymous.POST('/api/webhooks/{workflowId}', { params: { path: { workflowId } }, body: payload });
  if (refused.data) throw new Error(`an inactive workflow's webhook answered ${refused.response.status}`);

  return {
    executionId,
    firstSeenStatus: first.data.status,
    finalStatus: execution.status,
    inputOrderId: field(field(execution.input, 'order'), 'id'),
    shapeOutput: { orderId: field(shapeOutput, 'orderId'), total: field(shapeOutput, 'total') },
    stepStatuses: execution.steps.map((s): [string, StepResult['status']] => [s.name, s.status]),
    logs: {
      count: logs.data.items.length,
      workflowIds: logs.data.items.map((i) => i.workflowId),
      statuses: logs.data.items.map((i) => i.status),
    },
    succeededByStats,
    exportedStepNames: document.steps.map((s) => s.name),
    exportedCredentials: (document.credentials ?? []).map((c) => `${c.name} (${c.connectorKey})`),
    imported: {
      id: imported.data.id,
      name: imported.data.name,
      notifyCredentialId: imported.data.steps.find((s) => s.name === 'notify')?.credentialId,
    },
    credentialId,
    toggledActive: toggled.data.active,
    webhookAfterToggle: { status: refused.response.status, code: refused.error?.code },
  };
}
