import { SchedulerRegistry } from '@nestjs/schedule';
import { EventEmitter } from 'node:events';
import { AppConfig } from '../../config/app-config';
import { QueueKey } from '../queue.registry';
import { QueueService } from '../queue.service';
import { SchedulerKeeper } from '../scheduler-keeper.service';
import { CLEANUP_SCHEDULER_ID, STATIC_SCHEDULERS, SWEEP_SCHEDULER_ID } from '../static-schedulers';

function config(over: { role?: string; workerQueues?: QueueKey[]; nango?: boolean; tokenSchedules?: boolean } = {}): AppConfig {
  return {
    role: over.role ?? 'all',
    queue: {
      workerQueues: over.workerQueues ?? ['executions', 'maintenance', 'companySync', 'tokenRefresh'],
      schedulerCheckIntervalSeconds: 300,
    },
    executions: { reconcileIntervalSeconds: 60 },
    nango: over.nango === false ? {} : { host: 'http://nango.test', secretKey: 'nango-secret' },
    marketplace: { refreshConcurrency: 3, refreshSchedulesEnabled: over.tokenSchedules ?? true },
  } as unknown as AppConfig;
}

function fakeQueues() {
  return {
    upsertScheduler: jest.fn().mockResolvedValue(undefined),
    ensureScheduler: jest.fn().mockResolvedValue(true),
    removeScheduler: jest.fn().mockResolvedValue(true),
    setGlobalConcurrency: jest.fn().mockResolvedValue(3),
  };
}

/** The keeper works in the background: wait until `check` holds (bounded by the test timeout). */
async function eventually(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setImmediate(r));
}

function start(cfg: AppConfig) {
  const redis = Object.assign(new EventEmitter(), { status: 'ready' });
  const queues = fakeQueues();
  const timers = new SchedulerRegistry();
  const keeper = new SchedulerKeeper(redis as never, cfg, queues as unknown as QueueService, timers);
  keeper.onApplicationBootstrap();
  return { keeper, redis, queues, timers };
}

const ids = (calls: unknown[][]) => calls.map((c) => `${String(c[0])}/${String(c[1])}`).sort();

describe('SchedulerKeeper and the static schedulers', () => {
  let running: SchedulerKeeper | undefined;
  afterEach(() => running?.onApplicationShutdown());

  it('declares each static scheduler once, with a job of its queue', () => {
    expect(STATIC_SCHEDULERS.map((s) => `${s.queue}/${s.id}:${s.job}`)).toEqual([
      'maintenance/prune-executions:prune-executions',
      'maintenance/reconcile-stuck:reconcile-stuck',
      'maintenance/ensure-execution-partitions:ensure-execution-partitions',
      'maintenance/prune-audit:prune-audit',
      `tokenRefresh/${SWEEP_SCHEDULER_ID}:sweep`,
      `tokenRefresh/${CLEANUP_SCHEDULER_ID}:cleanup`,
    ]);
  });

  it('at start installs (upserts) the schedulers of the queues this host runs, and their queue settings', async () => {
    const { keeper, queues } = start(config());
    running = keeper;
    await eventually(() => queues.upsertScheduler.mock.calls.length === 6);
    expect(ids(queues.upsertScheduler.mock.calls)).toEqual([
      'maintenance/ensure-execution-partitions',
      'maintenance/prune-audit',
      'maintenance/prune-executions',
      'maintenance/reconcile-stuck',
      `tokenRefresh/${CLEANUP_SCHEDULER_ID}`,
      `tokenRefresh/${SWEEP_SCHEDULER_ID}`,
    ]);
    expect(queues.upsertScheduler).toHaveBeenCalledWith(
      'maintenance',
      'reconcile-stuck',
      { every: 60_000 },
      expect.objectContaining({ name: 'reconcile-stuck' }),
    );
    expect(queues.setGlobalConcurrency).toHaveBeenCalledWith('tokenRefresh', 3);
    expect(queues.ensureScheduler).not.toHaveBeenCalled();
  });

  it('a host that does not run a queue leaves its schedulers alone; an API-only host installs none', async () => {
    const only = start(config({ workerQueues: ['maintenance'] }));
    running = only.keeper;
    await eventually(() => only.queues.upsertScheduler.mock.calls.length === 4);
    expect(ids(only.queues.upsertScheduler.mock.calls)).toEqual([
      'maintenance/ensure-execution-partitions',
      'maintenance/prune-audit',
      'maintenance/prune-executions',
      'maintenance/reconcile-stuck',
    ]);
    expect(only.queues.setGlobalConcurrency).not.toHaveBeenCalled();
    only.keeper.onApplicationShutdown();

    const api = start(config({ role: 'api' }));
    running = api.keeper;
    await new Promise((r) => setImmediate(r));
    expect(api.queues.upsertScheduler).not.toHaveBeenCalled();
    expect(api.queues.removeScheduler).not.toHaveBeenCalled();
  });

  it('a disabled scheduler is removed at start and never put back', async () => {
    const { keeper, queues, redis } = start(config({ nango: false }));
    running = keeper;
    await eventually(() => queues.removeScheduler.mock.calls.length === 2);
    expect(ids(queues.removeScheduler.mock.calls)).toEqual([`tokenRefresh/${CLEANUP_SCHEDULER_ID}`, `tokenRefresh/${SWEEP_SCHEDULER_ID}`]);
    redis.emit('ready');
    await eventually(() => queues.ensureScheduler.mock.calls.length === 4);
    expect(ids(queues.ensureScheduler.mock.calls)).toEqual([
      'maintenance/ensure-execution-partitions',
      'maintenance/prune-audit',
      'maintenance/prune-executions',
      'maintenance/reconcile-stuck',
    ]);
  });

  it('after a Redis reconnect puts back only what is missing (ensure), with every registered restore', async () => {
    const { keeper, queues, redis } = start(config());
    running = keeper;
    const workflows = jest.fn().mockResolvedValue(undefined);
    keeper.keep('workflow', workflows, false);
    await eventually(() => queues.upsertScheduler.mock.calls.length === 6);
    redis.emit('ready');
    await eventually(() => queues.ensureScheduler.mock.calls.length === 6 && workflows.mock.calls.length === 1);
    expect(queues.upsertScheduler).toHaveBeenCalledTimes(6);
    expect(queues.setGlobalConcurrency).toHaveBeenCalledTimes(2);
  });

  it('its periodic check is a named @nestjs/schedule interval, removed at shutdown', () => {
    const { keeper, timers } = start(config({ workerQueues: ['executions'] }));
    expect(timers.getIntervals()).toEqual(['scheduler-keeper']);
    keeper.onApplicationShutdown();
    expect(timers.getIntervals()).toEqual([]);
  });
});
