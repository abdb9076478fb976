import type Redis from 'ioredis';

/** Whether `p` settles (either way) within `ms`; the timer never outlives the answer. */
export async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p.then(
        () => true,
        () => true,
      ),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether a BullMQ queue's or worker's own connection is not up. Its `client` promise never
 * settles when Redis was away from the start, hence the short wait.
 */
export async function bullRedisAway(client: Promise<unknown>): Promise<boolean> {
  const status = await Promise.race([
    client.then(
      (c) => (c as Redis).status,
      () => 'end',
    ),
    new Promise<string>((r) => setTimeout(() => r('unknown'), 1000).unref()),
  ]);
  return status !== 'ready';
}
