import { DelayedError, UnrecoverableError } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../../core/config/app-config';
import { EncryptionService } from '../../../core/security/encryption.service';
import { MetricsService } from '../../../core/metrics/metrics.service';
import { EngineService } from '../../engine';
import { TriggerRegistry, WorkflowCache } from '../../workflows';
import { executionIdForJob } from '../execution-id';
import { ExecutionProcessor } from '../execution.processor';
import { ExecutionsRepository } from '../executions.repository';
import { FailureAlerts } from '../failure-alerts';

jest.mock('../executions.repository');
jest.mock('../../engine/engine.service');

const config = {
  role: 'all',
  queue: { workerQueues: ['executions'] },
  executions: { maxStoredBytes: 64 * 1024, concurrency: 1, lockDurationMs: 30_000, stalledIntervalMs: 30_000 },
  shutdownTimeoutMs: 1000,
} as unknown as AppConfig;

const TENANT = randomUUID();
const WORKFLOW = randomUUID();

function workflow(over: Record<string, unknown> = {}) {
  return {
    id: WORKFLOW,
    tenantId: TENANT,
    name: 'wf',
    version: 3,
    active: true,
    trigger: { type: 'webhook' },
    steps: [{ name: 'a', type: 'transform', params: {} }],
    settings: { stepTimeoutMs: 1000 },
    ...over,
  };
}

function job(name: string, data: Record<string, unknown>, over: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    name,
    data,
    opts: { attempts: 3 },
    attemptsMade: 0,
    timestamp: Date.now(),
    moveToDelayed: jest.fn().mockResolvedValue(undefined),
    ...over,
  };
}

const runJob = (over: Record<string, unknown> = {}) =>
  job('run', { tenantId: TENANT, workflowId: WORKFLOW, trigger: 'webhook', receivedAt: new Date().toISOString(), payload: { a: 1 } }, over);

function setup(cfg: AppConfig = config) {
  const executions = new (ExecutionsRepository as unknown as jest.Mock)() as jest.Mocked<ExecutionsRepository>;
  executions.start.mockResolvedValue(1);
  executions.finish.mockResolvedValue(true);
  executions.markRetrying.mockResolvedValue(undefined);
  executions.recordEnded.mockResolvedValue(undefined);
  executions.record.mockResolvedValue(true);
  const engine = new (EngineService as unknown as jest.Mock)() as jest.Mocked<EngineService>;
  const workflows = { get: jest.fn().mockResolvedValue(workflow()), invalidate: jest.fn() } as unknown as jest.Mocked<WorkflowCache>;
  const scheduleTrigger = { type: 'schedule', deactivate: jest.fn().mockResolvedValue(undefined) };
  const triggers = { get: jest.fn((type: string) => (type === 'schedule' ? scheduleTrigger : undefined)) } as unknown as TriggerRegistry;
  const encryption = { encryptJson: jest.fn().mockReturnValue('sealed') } as unknown as EncryptionService;
  const metrics = {
    counter: () => ({ inc: jest.fn() }),
    histogram: () => ({ observe: jest.fn() }),
  } as unknown as MetricsService;
  const log = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
  const rootLogger = { child: () => log };
  const alerts = { alert: jest.fn().mockResolvedValue(null) } as unknown as jest.Mocked<FailureAlerts>;
  const processor = new ExecutionProcessor(cfg, engine, workflows, triggers, executions, encryption, metrics, rootLogger as never, alerts);
  return { processor, executions, engine, workflows, scheduleTrigger, log, alerts };
}

const succeeded = { status: 'succeeded', steps: [{ name: 'a', status: 'succeeded', output: { ok: true } }], durationMs: 12 };
const failedRetryable = {
  status: 'failed',
  steps: [{ name: 'a', status: 'failed', error: { message: 'upstream 503' } }],
  durationMs: 7,
  error: { step: 'a', message: 'upstream 503', retryable: true },
};

describe('ExecutionProcessor', () => {
  it('a successful run starts the execution and writes its outcome once', async () => {
    const { processor, executions, engine } = setup();
    engine.run.mockResolvedValue(succeeded as never);
    const j = runJob();

    await expect(processor.process(j as never)).resolves.toEqual({ status: 'succeeded' });

    expect(executions.start).toHaveBeenCalledTimes(1);
    expect(executions.start.mock.calls[0][0]).toMatchObject({ id: j.id, tenantId: TENANT, workflowId: WORKFLOW, trigger: 'webhook' });
    expect(engine.run).toHaveBeenCalledTimes(1);
    expect(executions.finish).toHaveBeenCalledTimes(1);
    expect(executions.finish).toHaveBeenCalledWith(
      TENANT,
      j.id,
      expect.objectContaining({ status: 'succeeded', error: null, durationMs: 12 }),
    );
    expect(executions.markRetrying).not.toHaveBeenCalled();
  });

  it('a failing attempt with attempts left is recorded as retrying and rethrown for BullMQ to retry', async () => {
    const { processor, executions, engine } = setup();
    engine.run.mockResolvedValue(failedRetryable as never);
    const j = runJob({ attemptsMade: 0, opts: { attempts: 3 } });

    const err = await processor.process(j as never).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(UnrecoverableError);
    expect(err).not.toBeInstanceOf(DelayedError);
    expect((err as Error).message).toContain('attempt 1 of 3');
    expect(executions.markRetrying).toHaveBeenCalledTimes(1);
    expect(executions.finish).not.toHaveBeenCalled();
    expect(j.moveToDelayed).not.toHaveBeenCalled();
  });

  it('the last failing attempt writes the failure once and fails the job for good', async () => {
    const { processor, executions, engine } = setup();
    engine.run.mockResolvedValue(failedRetryable as never);
    const j = runJob({ attemptsMade: 2, opts: { attempts: 3 } });

    await expect(processor.process(j as never)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(executions.finish).toHaveBeenCalledTimes(1);
    expect(executions.finish).toHaveBeenCalledWith(TENANT, j.id, expect.objectContaining({ status: 'failed' }));
  });

  it('with the database away the job is put back (delayed) without spending an attempt', async () => {
    const { processor, executions, engine, log } = setup();
    executions.start.mockRejectedValue(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    const j = runJob({ attemptsMade: 0 });

    await expect(processor.process(j as never, 'lock-token')).rejects.toBeInstanceOf(DelayedError);

    expect(j.moveToDelayed).toHaveBeenCalledTimes(1);
    expect(j.moveToDelayed.mock.calls[0][1]).toBe('lock-token');
    expect(engine.run).not.toHaveBeenCalled();
    expect(executions.finish).not.toHaveBeenCalled();
    expect(log.warn).toHaveBeenCalledWith(expect.objectContaining({ reason: 'database unavailable' }), 'workflow run released');
  });

  it('a scheduled tick creates the run as a schedule, at its due time', async () => {
    const { processor, executions, engine, workflows } = setup();
    workflows.get.mockResolvedValue(workflow({ trigger: { type: 'schedule', intervalSeconds: 60 } }) as never);
    engine.run.mockResolvedValue(succeeded as never);
    const due = Date.UTC(2030, 0, 1, 12, 0, 0);
    const j = job('scheduled', { tenantId: TENANT, workflowId: WORKFLOW }, { id: `repeat:${WORKFLOW}:${due}` });

    await expect(processor.process(j as never)).resolves.toEqual({ status: 'succeeded' });

    const started = executions.start.mock.calls[0][0];
    expect(started).toMatchObject({
      id: executionIdForJob(j.id),
      trigger: 'schedule',
      scheduledFor: new Date(due),
      receivedAt: new Date(due),
    });
    expect(started.input).toMatchObject({ scheduledFor: new Date(due).toISOString() });
    expect(engine.run.mock.calls[0][0].execution?.trigger).toBe('schedule');
  });

  it('a scheduled job that names its trigger kind runs with that trigger (another trigger type using job schedulers)', async () => {
    const { processor, executions, engine, workflows } = setup();
    workflows.get.mockResolvedValue(workflow({ trigger: { type: 'poll', everySeconds: 60 } }) as never);
    engine.run.mockResolvedValue(succeeded as never);
    const j = job('scheduled', { tenantId: TENANT, workflowId: WORKFLOW, trigger: 'poll' }, { id: `repeat:${WORKFLOW}:${Date.now()}` });

    await processor.process(j as never);

    expect(executions.start.mock.calls[0][0].trigger).toBe('poll');
  });

  it("a tick whose workflow moved to another trigger type is dropped by the tick's trigger", async () => {
    const { processor, executions, workflows, scheduleTrigger } = setup();
    workflows.get.mockResolvedValue(workflow({ trigger: { type: 'webhook' } }) as never);
    const j = job('scheduled', { tenantId: TENANT, workflowId: WORKFLOW, trigger: 'schedule' }, { id: `repeat:${WORKFLOW}:${Date.now()}` });

    await expect(processor.process(j as never)).resolves.toEqual({ skipped: 'workflow not scheduled' });
    expect(scheduleTrigger.deactivate).toHaveBeenCalledWith(expect.objectContaining({ id: WORKFLOW, active: false }));
    expect(executions.start).not.toHaveBeenCalled();
  });

  it('a tick whose workflow is not visible yet (its save still committing) is put back, not called stale', async () => {
    const { processor, executions, scheduleTrigger, workflows } = setup();
    workflows.get.mockResolvedValue(null);
    const j = job('scheduled', { tenantId: TENANT, workflowId: WORKFLOW }, { id: `repeat:${WORKFLOW}:${Date.now()}` });

    await expect(processor.process(j as never, 'lock-token')).rejects.toBeInstanceOf(DelayedError);
    expect(j.moveToDelayed).toHaveBeenCalledTimes(1);
    expect(workflows.invalidate).toHaveBeenCalledWith(WORKFLOW);
    expect(scheduleTrigger.deactivate).not.toHaveBeenCalled();
    expect(executions.start).not.toHaveBeenCalled();
  });

  it('a tick of a workflow that is no longer scheduled drops its scheduler and records nothing', async () => {
    const { processor, executions, scheduleTrigger, engine, workflows } = setup();
    workflows.get.mockResolvedValue(null);
    const j = job('scheduled', { tenantId: TENANT, workflowId: WORKFLOW }, { id: `repeat:${WORKFLOW}:${Date.now() - 60_000}` });

    await expect(processor.process(j as never)).resolves.toEqual({ skipped: 'workflow not scheduled' });
    expect(scheduleTrigger.deactivate).toHaveBeenCalledWith(expect.objectContaining({ id: WORKFLOW, tenantId: TENANT, active: false }));
    expect(executions.start).not.toHaveBeenCalled();
    expect(engine.run).not.toHaveBeenCalled();
  });

  it('a job name the registry does not have fails the job loudly, never a silent skip', async () => {
    const { processor, executions } = setup();
    const j = job('resize-images', { tenantId: TENANT, workflowId: WORKFLOW });

    const err = await processor.process(j as never).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(UnrecoverableError);
    expect((err as Error).message).toBe('No handler for job "resize-images" on queue "executions" (handled: run, scheduled)');
    expect(executions.start).not.toHaveBeenCalled();
  });

  describe('one write per quick run (EXECUTION_RUNNING_ROW_AFTER_MS)', () => {
    const delayed = { ...config, executions: { ...config.executions, runningRowAfterMs: 1000 } } as AppConfig;
    afterEach(() => jest.useRealTimers());

    it('a first delivery that ends before the delay writes no start row: one upsert carries the whole row', async () => {
      const { processor, executions, engine } = setup(delayed);
      engine.run.mockResolvedValue(succeeded as never);
      const j = runJob({ attemptsStarted: 1 });

      await expect(processor.process(j as never)).resolves.toEqual({ status: 'succeeded' });

      expect(executions.start).not.toHaveBeenCalled();
      expect(executions.finish).not.toHaveBeenCalled();
      expect(executions.record).toHaveBeenCalledTimes(1);
      const [row, final] = executions.record.mock.calls[0];
      expect(row).toMatchObject({ id: j.id, tenantId: TENANT, workflowId: WORKFLOW, workflowVersion: 3, attempts: 1, jobId: j.id });
      expect(row.startedAt).toBeInstanceOf(Date);
      expect(row.receivedAt).toBeInstanceOf(Date);
      expect(final).toMatchObject({ status: 'succeeded', error: null, durationMs: 12 });
      expect(engine.run.mock.calls[0][0].execution?.attempt).toBe(1);
    });

    it('a first delivery still running after the delay writes its running row, and the final write waits for it', async () => {
      jest.useFakeTimers();
      const { processor, executions, engine } = setup(delayed);
      let finishRun!: (o: unknown) => void;
      engine.run.mockReturnValue(new Promise((r) => (finishRun = r)) as never);
      let startLanded!: (n: number) => void;
      executions.start.mockReturnValue(new Promise((r) => (startLanded = r)));
      const order: string[] = [];
      executions.record.mockImplementation(async () => {
        order.push('record');
        return true;
      });
      const j = runJob();

      const running = processor.process(j as never);
      await jest.advanceTimersByTimeAsync(999);
      expect(executions.start).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);
      expect(executions.start).toHaveBeenCalledTimes(1);
      expect(executions.start.mock.calls[0][0]).toMatchObject({ id: j.id, attempts: 1 });

      finishRun(succeeded);
      await jest.advanceTimersByTimeAsync(0);
      // the start row is still being written: the final write has not been sent
      expect(executions.record).not.toHaveBeenCalled();
      order.push('start');
      startLanded(1);
      await expect(running).resolves.toEqual({ status: 'succeeded' });
      expect(order).toEqual(['start', 'record']);
    });

    it.each([
      ['a retry', { attemptsMade: 1, attemptsStarted: 2 }],
      ['a stalled re-delivery (worker died)', { stalledCounter: 1, attemptsStarted: 2 }],
      ['a released job (shutdown, database away)', { attemptsStarted: 2 }],
    ])('%s records its start first, and runs nothing when the row is already final', async (_name, over) => {
      const { processor, executions, engine } = setup(delayed);
      executions.start.mockResolvedValue(null);
      const j = runJob(over);

      await expect(processor.process(j as never)).resolves.toEqual({ skipped: 'already finished' });
      expect(executions.start).toHaveBeenCalledTimes(1);
      expect(engine.run).not.toHaveBeenCalled();
      expect(executions.record).not.toHaveBeenCalled();
    });

    it('a re-delivery with no row yet inserts it counting the lost deliveries, and finishes with an update', async () => {
      const { processor, executions, engine } = setup(delayed);
      engine.run.mockResolvedValue(succeeded as never);
      executions.start.mockResolvedValue(2);
      const j = runJob({ stalledCounter: 1, attemptsStarted: 2 });

      await processor.process(j as never);
      expect(executions.start.mock.calls[0][0]).toMatchObject({ attempts: 2 });
      expect(engine.run.mock.calls[0][0].execution?.attempt).toBe(2);
      expect(executions.finish).toHaveBeenCalledTimes(1);
      expect(executions.record).not.toHaveBeenCalled();
    });

    it('a first attempt that fails and will retry writes its (queued) row through markRetrying, which inserts it', async () => {
      const { processor, executions, engine } = setup(delayed);
      engine.run.mockResolvedValue(failedRetryable as never);
      const j = runJob({ opts: { attempts: 3 } });

      await expect(processor.process(j as never)).rejects.toThrow('attempt 1 of 3');
      expect(executions.start).not.toHaveBeenCalled();
      expect(executions.markRetrying).toHaveBeenCalledTimes(1);
      expect(executions.markRetrying.mock.calls[0][0]).toMatchObject({ id: j.id, attempts: 1, workflowName: 'wf' });
    });

    it('after a write found the database away, a first delivery records its start first again', async () => {
      const { processor, executions, engine } = setup(delayed);
      engine.run.mockResolvedValue(succeeded as never);
      const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      executions.start.mockRejectedValueOnce(down);
      // a re-delivery meets the outage and is released
      await expect(processor.process(runJob({ attemptsStarted: 2 }) as never, 't')).rejects.toBeInstanceOf(DelayedError);
      // a first delivery now starts with the start write (no steps while the database may be away)
      executions.start.mockRejectedValueOnce(down);
      await expect(processor.process(runJob() as never, 't')).rejects.toBeInstanceOf(DelayedError);
      expect(engine.run).not.toHaveBeenCalled();
      // the database is back: the start succeeds, and later first deliveries skip it again
      await processor.process(runJob() as never);
      await processor.process(runJob() as never);
      expect(executions.start).toHaveBeenCalledTimes(3);
      expect(executions.record).toHaveBeenCalledTimes(1);
    });

    it('EXECUTION_RUNNING_ROW_AFTER_MS=0 writes the start row first, as before', async () => {
      const { processor, executions, engine } = setup({
        ...config,
        executions: { ...config.executions, runningRowAfterMs: 0 },
      } as AppConfig);
      engine.run.mockResolvedValue(succeeded as never);
      await processor.process(runJob() as never);
      expect(executions.start).toHaveBeenCalledTimes(1);
      expect(executions.finish).toHaveBeenCalledTimes(1);
      expect(executions.record).not.toHaveBeenCalled();
    });

    it('a job BullMQ fails for stalling is recorded from its data, inserting the row if there is none', async () => {
      const { processor, executions, workflows } = setup(delayed);
      workflows.get.mockResolvedValue(null);
      const j = runJob({ stalledCounter: 4, processedOn: Date.now() });

      await processor.onFailed(j as never, new Error('job stalled more than allowable limit'));
      expect(executions.record).toHaveBeenCalledTimes(1);
      const [row, final] = executions.record.mock.calls[0];
      expect(row).toMatchObject({ id: j.id, tenantId: TENANT, workflowName: '(unknown workflow)', trigger: 'webhook', attempts: 4 });
      expect(final).toMatchObject({ status: 'failed', steps: [], error: { code: 'STALLED' } });

      // a step failure that mentions "stalled" is not a stall
      await processor.onFailed(j as never, new UnrecoverableError('Step "a" failed: upstream stalled'));
      expect(executions.record).toHaveBeenCalledTimes(1);
    });
  });

  describe('failure alerts (error workflows)', () => {
    const HANDLER = randomUUID();

    it('a retrying attempt alerts nobody; the last failing attempt asks for the error workflow once, before the final write', async () => {
      const { processor, executions, engine, workflows, alerts } = setup();
      workflows.get.mockResolvedValue(workflow({ errorWorkflowId: HANDLER }) as never);
      engine.run.mockResolvedValue(failedRetryable as never);
      const order: string[] = [];
      alerts.alert.mockImplementation(async () => {
        order.push('alert');
        return null;
      });
      executions.finish.mockImplementation(async () => {
        order.push('final');
        return true;
      });

      await processor.process(runJob({ attemptsMade: 0, opts: { attempts: 3 } }) as never).catch(() => undefined);
      expect(alerts.alert).not.toHaveBeenCalled();

      const last = runJob({ attemptsMade: 2, opts: { attempts: 3 } });
      executions.start.mockResolvedValue(3);
      await expect(processor.process(last as never)).rejects.toBeInstanceOf(UnrecoverableError);
      expect(alerts.alert).toHaveBeenCalledTimes(1);
      expect(alerts.alert.mock.calls[0][0]).toMatchObject({
        tenantId: TENANT,
        executionId: last.id,
        trigger: 'webhook',
        attempts: 3,
        workflow: { id: WORKFLOW, errorWorkflowId: HANDLER },
        error: { step: 'a', message: 'upstream 503', retryable: true },
      });
      expect(order).toEqual(['alert', 'final']);
    });

    it('a succeeding run asks for no error workflow', async () => {
      const { processor, engine, workflows, alerts } = setup();
      workflows.get.mockResolvedValue(workflow({ errorWorkflowId: HANDLER }) as never);
      engine.run.mockResolvedValue(succeeded as never);
      await processor.process(runJob() as never);
      expect(alerts.alert).not.toHaveBeenCalled();
    });

    it('a run given up as stalled is a failure for good: its workflow is handed to the alerts', async () => {
      const { processor, workflows, alerts } = setup();
      workflows.get.mockResolvedValue(workflow({ errorWorkflowId: HANDLER }) as never);
      const j = runJob({ stalledCounter: 4, processedOn: Date.now() });
      await processor.onFailed(j as never, new Error('job stalled more than allowable limit'));
      expect(alerts.alert).toHaveBeenCalledTimes(1);
      expect(alerts.alert.mock.calls[0][0]).toMatchObject({ executionId: j.id, error: { code: 'STALLED' }, attempts: 4 });
    });

    it("an error workflow's run goes ahead on an inactive workflow (it has no trigger of its own to switch off)", async () => {
      const { processor, engine, workflows, executions } = setup();
      workflows.get.mockResolvedValue(workflow({ active: false }) as never);
      engine.run.mockResolvedValue(succeeded as never);
      const j = job('run', { tenantId: TENANT, workflowId: WORKFLOW, trigger: 'error', receivedAt: new Date().toISOString(), payload: {} });
      await expect(processor.process(j as never)).resolves.toEqual({ status: 'succeeded' });
      expect(executions.recordEnded).not.toHaveBeenCalled();
    });
  });
});
