import { ConfigError, loadConfig } from '../../config/load-config';
import { parseWorkerQueues, queuesThisHostRuns } from '../worker-queues';

const env = (over: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...over } as NodeJS.ProcessEnv);

describe('WORKER_QUEUES', () => {
  it('defaults to every queue', () => {
    expect(parseWorkerQueues([])).toEqual({ keys: ['executions', 'maintenance', 'companySync', 'tokenRefresh'], unknown: [] });
    expect(env({}).queue.workerQueues).toEqual(['executions', 'maintenance', 'companySync', 'tokenRefresh']);
    expect(env({ WORKER_QUEUES: ' ' }).queue.workerQueues).toEqual(['executions', 'maintenance', 'companySync', 'tokenRefresh']);
  });

  it('takes queue names as Redis knows them, in registry order, without repeats', () => {
    expect(env({ WORKER_QUEUES: 'token-refresh, maintenance,maintenance' }).queue.workerQueues).toEqual(['maintenance', 'tokenRefresh']);
    expect(parseWorkerQueues(['company-sync'])).toEqual({ keys: ['companySync'], unknown: [] });
  });

  it('refuses unknown names at start, naming them and the known ones', () => {
    let err: unknown;
    try {
      env({ WORKER_QUEUES: 'executions,emails,companySync' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([
      'WORKER_QUEUES: unknown queues "emails", "companySync" (known: executions, maintenance, company-sync, token-refresh)',
    ]);
  });

  it('a worker or all-in-one host runs the selected queues; an API-only host runs none', () => {
    const workerQueues = ['maintenance' as const];
    expect(queuesThisHostRuns({ role: 'worker', queue: { workerQueues } })).toEqual(['maintenance']);
    expect(queuesThisHostRuns({ role: 'all', queue: { workerQueues } })).toEqual(['maintenance']);
    expect(queuesThisHostRuns({ role: 'api', queue: { workerQueues } })).toEqual([]);
    expect(env({ ROLE: 'api', WORKER_QUEUES: 'maintenance' }).warnings).toContain(
      'WORKER_QUEUES is ignored with ROLE=api (an API-only process takes no jobs)',
    );
  });
});
