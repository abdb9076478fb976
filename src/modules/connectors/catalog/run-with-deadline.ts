import { ConnectorError } from '../contract';

/**
 * Runs `work` with its own AbortSignal and rejects with a retryable ConnectorError
 * "<label>: timed out after N ms" when the deadline passes (or "<label>: cancelled" when the
 * caller's signal fires, e.g. worker shutdown). The signal tells the connector's HTTP calls to stop.
 */
export async function runWithDeadline<T>(
  label: string,
  timeoutMs: number,
  parent: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onParentAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new ConnectorError(`${label}: timed out after ${timeoutMs} ms`, { retryable: true, code: 'TIMEOUT' }));
      controller.abort();
    }, timeoutMs);
    onParentAbort = () => {
      reject(new ConnectorError(`${label}: cancelled`, { retryable: true, code: 'CANCELLED' }));
      controller.abort();
    };
    if (parent?.aborted) onParentAbort();
    else parent?.addEventListener('abort', onParentAbort, { once: true });
  });
  try {
    return await Promise.race([work(controller.signal), stopped]);
  } finally {
    clearTimeout(timer);
    if (onParentAbort) parent?.removeEventListener('abort', onParentAbort);
  }
}
