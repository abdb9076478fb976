/**
 * BullMQ connections wait for Redis forever (maxRetriesPerRequest: null), so a job add while
 * Redis is away would hang the request. Producers bound it: past this, the work is not
 * stored and the caller answers 503.
 */
export const ENQUEUE_TIMEOUT_MS = 3000;

export async function withEnqueueTimeout<T>(p: Promise<T>, what: string, ms = ENQUEUE_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<T>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: Redis did not take the job within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
