import { DiscoveryService } from '@nestjs/core';
import { AppConfig } from '../../config/app-config';
import { handlerProblems, JobHandlersCheck } from '../job-handlers.check';
import { JobHandlers, JobProcessor, QueueProcessor } from '../job-processor';

const executions = { owner: 'ExecutionProcessor', queue: 'executions' as const, names: ['run', 'scheduled'] };
const maintenance = {
  owner: 'MaintenanceProcessor',
  queue: 'maintenance' as const,
  names: ['prune-executions', 'reconcile-stuck', 'ensure-execution-partitions', 'prune-audit'],
};

describe('job handler check at start', () => {
  it('passes when each queue the host runs has one handler per job name', () => {
    expect(handlerProblems([executions, maintenance], ['executions', 'maintenance'])).toEqual([]);
  });

  it('names a job of a queue this host runs that has no handler', () => {
    expect(handlerProblems([{ ...executions, names: ['run'] }], ['executions'])).toEqual([
      'no handler for job "scheduled" of queue "executions"',
    ]);
    expect(handlerProblems([], ['companySync'])).toEqual(['no handler for job "sync" of queue "company-sync"']);
  });

  it('does not require handlers for queues this host does not run', () => {
    expect(handlerProblems([maintenance], ['maintenance'])).toEqual([]);
  });

  it('names a job with two handlers (two processors on one queue)', () => {
    const again = { ...executions, owner: 'OtherProcessor', names: ['run'] };
    expect(handlerProblems([executions, again], ['executions'])).toEqual([
      'queue "executions" has 2 processors (ExecutionProcessor, OtherProcessor)',
      'job "run" of queue "executions" has 2 handlers (ExecutionProcessor, OtherProcessor)',
    ]);
  });

  it('names a handler for a job the registry does not have', () => {
    expect(handlerProblems([{ ...maintenance, names: [...maintenance.names, 'vacuum'] }], [])).toEqual([
      'MaintenanceProcessor handles job "vacuum", which queue "maintenance" does not have',
    ]);
  });
});

describe('JobHandlersCheck', () => {
  const config = { role: 'worker', queue: { workerQueues: ['maintenance'] } } as unknown as AppConfig;

  @QueueProcessor('maintenance')
  class HalfMaintenance extends JobProcessor<'maintenance'> {
    protected readonly config = config;
    // A handler map that lies to the compiler, as a cast somewhere could.
    protected readonly handlers = { 'prune-executions': async () => ({}) } as unknown as JobHandlers<'maintenance'>;
    protected concurrency(): number {
      return 1;
    }
  }

  const check = (...instances: unknown[]) =>
    new JobHandlersCheck({ getProviders: () => instances.map((instance) => ({ instance })) } as unknown as DiscoveryService, config);

  it('stops the start naming the job of a run queue that has no handler', () => {
    expect(() => check(new HalfMaintenance(), { notAProcessor: true }).onModuleInit()).toThrow(
      'Job handlers do not match the queue registry: no handler for job "reconcile-stuck" of queue "maintenance"',
    );
  });

  it('passes when no run queue lacks a handler', () => {
    const apiOnly = new JobHandlersCheck(
      { getProviders: () => [{ instance: new HalfMaintenance() }] } as unknown as DiscoveryService,
      {
        ...config,
        role: 'api',
      } as AppConfig,
    );
    expect(() => apiOnly.onModuleInit()).not.toThrow();
  });
});
