import { QUEUE_KEYS, QUEUES, QueueKey, queueKeyOf } from './queue.registry';

/**
 * WORKER_QUEUES: the queues a worker host takes jobs from (queue names, comma-separated).
 * Empty means every queue. Answers the keys, or the names it does not know.
 */
export function parseWorkerQueues(names: string[]): { keys: QueueKey[]; unknown: string[] } {
  if (!names.length) return { keys: [...QUEUE_KEYS], unknown: [] };
  const keys = new Set<QueueKey>();
  const unknown: string[] = [];
  for (const name of names) {
    const key = queueKeyOf(name);
    if (key) keys.add(key);
    else unknown.push(name);
  }
  return { keys: QUEUE_KEYS.filter((k) => keys.has(k)), unknown };
}

export function unknownWorkerQueuesMessage(unknown: string[]): string {
  const known = QUEUE_KEYS.map((k) => QUEUES[k]).join(', ');
  return `unknown queue${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')} (known: ${known})`;
}

/** The queues whose jobs this process takes: none for an API-only replica, else WORKER_QUEUES. */
export function queuesThisHostRuns(config: { role: 'all' | 'api' | 'worker'; queue: { workerQueues: QueueKey[] } }): QueueKey[] {
  return config.role === 'api' ? [] : config.queue.workerQueues;
}
