import { randomUUID } from 'node:crypto';
import { isUuid } from '../execution-id';
import { HANDLER_TRIGGER, FailedRun, failurePayload, handlerJobId, startsHandler } from '../failure-alerts';

const failed = (over: Partial<FailedRun> = {}): FailedRun => ({
  tenantId: randomUUID(),
  workflow: {
    id: randomUUID(),
    name: 'Orders to Slack',
    version: 4,
    errorWorkflowId: randomUUID(),
    steps: [
      { name: 'shape', type: 'transform', params: { token: 'in-params-never-copied' } },
      { name: 'notify', type: 'connector', connector: 'slack', action: 'post_message', credentialId: randomUUID(), params: {} },
    ],
  },
  executionId: randomUUID(),
  trigger: 'webhook',
  attempts: 3,
  startedAt: new Date('2026-01-02T03:04:05.000Z'),
  finishedAt: new Date('2026-01-02T03:04:06.500Z'),
  error: { step: 'notify', message: 'channel_not_found', code: 'PROVIDER_ERROR', status: 404, retryable: false },
  ...over,
});

describe('failure alerts', () => {
  it('the payload names the workflow, the execution (with its API path), the failed step and the error, and nothing else', () => {
    const run = failed();
    expect(failurePayload(run)).toEqual({
      workflow: { id: run.workflow.id, name: 'Orders to Slack', version: 4 },
      execution: {
        id: run.executionId,
        url: `/api/executions/${run.executionId}`,
        trigger: 'webhook',
        attempts: 3,
        startedAt: '2026-01-02T03:04:05.000Z',
        finishedAt: '2026-01-02T03:04:06.500Z',
      },
      failedStep: { name: 'notify', connector: 'slack', action: 'post_message' },
      error: { message: 'channel_not_found', code: 'PROVIDER_ERROR', status: 404, retryable: false },
    });
    // no step params, no credential id
    const text = JSON.stringify(failurePayload(run));
    expect(text).not.toContain('in-params-never-copied');
    expect(text).not.toContain(run.workflow.steps[1].credentialId);
  });

  it('a failure outside any step (stalled) has no failed step; missing fields read as null', () => {
    const p = failurePayload(failed({ error: { message: 'interrupted', retryable: false, code: 'STALLED' }, startedAt: null }));
    expect(p.failedStep).toBeNull();
    expect(p.error).toEqual({ message: 'interrupted', code: 'STALLED', status: null, retryable: false });
    expect(p.execution.startedAt).toBeNull();
  });

  it('credential-looking text in the error message is hidden', () => {
    const p = failurePayload(
      failed({ error: { step: 'notify', message: 'rejected Authorization: Bearer abcdefghijklmnop1234', retryable: false } }),
    );
    expect(JSON.stringify(p)).not.toContain('abcdefghijklmnop1234');
  });

  it("a handler's own failure (trigger error) starts no handler, nor does a workflow naming none", () => {
    expect(startsHandler(failed())).toBe(true);
    expect(startsHandler(failed({ trigger: HANDLER_TRIGGER }))).toBe(false);
    expect(startsHandler(failed({ trigger: 'retry' }))).toBe(true);
    const none = failed();
    none.workflow.errorWorkflowId = null;
    expect(startsHandler(none)).toBe(false);
  });

  it('the handler job id is a UUID derived from the failed execution alone (one handler run per failure)', () => {
    const id = randomUUID();
    expect(isUuid(handlerJobId(id))).toBe(true);
    expect(handlerJobId(id)).toBe(handlerJobId(id.toUpperCase()));
    expect(handlerJobId(id)).not.toBe(id);
    expect(handlerJobId(id)).not.toBe(handlerJobId(randomUUID()));
  });
});
