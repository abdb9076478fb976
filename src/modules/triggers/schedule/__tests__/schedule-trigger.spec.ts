import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import type { ErrorDetail } from '../../../../core/errors/app-exception';
import type { QueueService } from '../../../../core/queue/queue.module';
import { TriggerRegistry, WorkflowsRepository } from '../../../workflows';
import { repeatOptionsFor } from '../repeat-options';
import { ScheduleTriggerHandler } from '../schedule-trigger';
import { WorkflowSchedulesService } from '../workflow-schedules.service';

const SETTINGS = { retries: 1, backoff: { type: 'fixed' as const, delayMs: 500 }, stepTimeoutMs: 1000 };
const row = (id: string, trigger: Record<string, unknown>) => ({
  id,
  tenantId: 't-1',
  active: true,
  trigger: { type: 'schedule', ...trigger },
  settings: SETTINGS,
});

function setup(opts: { schedulers?: Array<Record<string, unknown>>; wanted?: ReturnType<typeof row>[]; locked?: boolean } = {}) {
  const queue = { getJobSchedulers: jest.fn(async (start: number) => (start === 0 ? (opts.schedulers ?? []) : [])) };
  const queues = {
    queue: jest.fn(() => queue),
    upsertScheduler: jest.fn(async () => undefined),
    removeScheduler: jest.fn(async () => true),
  };
  const repo = { listActiveByTriggerType: jest.fn(async () => opts.wanted ?? []) };
  const redis = { set: jest.fn(async () => (opts.locked ? null : 'OK')), eval: jest.fn(async () => 1) };
  const schedules = new WorkflowSchedulesService(
    queues as unknown as QueueService,
    repo as unknown as WorkflowsRepository,
    redis as unknown as Redis,
  );
  const registry = new TriggerRegistry();
  const handler = new ScheduleTriggerHandler(registry, schedules);
  return { handler, registry, queues, repo, redis };
}

describe('schedule trigger', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('registers itself as the "schedule" trigger type', () => {
    const { registry, handler } = setup();
    expect(registry.get('schedule')).toBe(handler);
  });

  describe('reconcile', () => {
    it('restores missing schedulers, leaves matching ones alone and removes orphans', async () => {
      const kept = row('w-kept', { intervalSeconds: 60 });
      const missing = row('w-missing', { cron: '0 9 * * *', timezone: 'Europe/Paris' });
      const changed = row('w-changed', { intervalSeconds: 120 });
      const { handler, queues, repo } = setup({
        wanted: [kept, missing, changed],
        schedulers: [
          { key: 'w-kept', every: String(60_000) },
          { key: 'w-changed', every: String(60_000) },
          { key: 'w-orphan', pattern: '* * * * *' },
        ],
      });
      const report = await handler.reconcile();
      expect(repo.listActiveByTriggerType).toHaveBeenCalledWith('schedule');
      expect(report).toEqual({ expected: 3, upserted: 2, removed: 1 });
      expect(queues.upsertScheduler.mock.calls.map((c: unknown[]) => c[1])).toEqual(['w-missing', 'w-changed']);
      expect(queues.upsertScheduler).toHaveBeenCalledWith(
        'executions',
        'w-missing',
        { pattern: '0 9 * * *', tz: 'Europe/Paris' },
        expect.objectContaining({ name: 'scheduled', data: { tenantId: 't-1', workflowId: 'w-missing', trigger: 'schedule' } }),
      );
      expect(queues.removeScheduler.mock.calls).toEqual([['executions', 'w-orphan']]);
    });

    it('one workflow that cannot be restored does not stop the others', async () => {
      const { handler, queues } = setup({ wanted: [row('w-1', { intervalSeconds: 60 }), row('w-2', { intervalSeconds: 60 })] });
      queues.upsertScheduler.mockRejectedValueOnce(new Error('bad row'));
      expect(await handler.reconcile()).toEqual({ expected: 2, upserted: 1, removed: 0 });
    });

    it('is skipped while another replica holds the lock', async () => {
      const { handler, repo, queues } = setup({ locked: true, wanted: [row('w-1', { intervalSeconds: 60 })] });
      expect(await handler.reconcile()).toEqual({ skipped: 'locked', expected: 0, upserted: 0, removed: 0 });
      expect(repo.listActiveByTriggerType).not.toHaveBeenCalled();
      expect(queues.upsertScheduler).not.toHaveBeenCalled();
    });
  });

  it('activate upserts the scheduler (template carries trigger: schedule); deactivate removes it', async () => {
    const { handler, queues } = setup();
    const w = { id: 'w-9', tenantId: 't-1', active: true, trigger: { type: 'schedule' as const, intervalSeconds: 30 }, settings: SETTINGS };
    await handler.activate(w);
    expect(queues.upsertScheduler).toHaveBeenCalledWith('executions', 'w-9', repeatOptionsFor(w.trigger, 'w-9'), {
      name: 'scheduled',
      data: { tenantId: 't-1', workflowId: 'w-9', trigger: 'schedule' },
      opts: expect.objectContaining({ attempts: 2, backoff: { type: 'fixed', delay: 500 } }),
    });
    await handler.deactivate({ ...w, active: false });
    expect(queues.removeScheduler).toHaveBeenCalledWith('executions', 'w-9');
  });

  describe('normalize', () => {
    const normalize = async (trigger: Record<string, unknown>) => {
      const problems: ErrorDetail[] = [];
      const out = await setup().handler.normalize({ type: 'schedule', ...trigger }, { tenantId: 't-1', field: 'trigger' }, problems);
      return { out, fields: problems.map((p) => p.field) };
    };

    it('keeps an interval, and a cron with its zone (UTC by default)', async () => {
      expect((await normalize({ intervalSeconds: 600 })).out).toEqual({ type: 'schedule', intervalSeconds: 600 });
      expect((await normalize({ cron: ' */15 * * * * ' })).out).toEqual({ type: 'schedule', cron: '*/15 * * * *', timezone: 'UTC' });
    });

    it('names the field of each problem', async () => {
      expect(await normalize({})).toEqual({ out: null, fields: ['trigger'] });
      expect(await normalize({ intervalSeconds: 60, cron: '* * * * *' })).toEqual({ out: null, fields: ['trigger'] });
      expect(await normalize({ intervalSeconds: 60, timezone: 'UTC' })).toEqual({ out: null, fields: ['trigger.timezone'] });
      expect(await normalize({ cron: '0 9 * * *', timezone: 'Mars/Olympus' })).toEqual({ out: null, fields: ['trigger.timezone'] });
      expect(await normalize({ cron: '61 * * * *' })).toEqual({ out: null, fields: ['trigger.cron'] });
      expect(await normalize({ cron: '*/5 * * * * *' })).toEqual({ out: null, fields: ['trigger.cron'] });
    });
  });
});
