import { handlerProblems } from '../job-handlers.check';

const executions = { owner: 'ExecutionProcessor', queue: 'executions' as const, names: ['run', 'scheduled'] };
const maintenance = { owner: 'MaintenanceProcessor', queue: 'maintenance' as const, names: ['prune-executions', 'reconcile-stuck'] };

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
