import type Redis from 'ioredis';
import { withDeadline } from '../async/deadline';

/**
 * Whether a BullMQ queue's or worker's own connection is not up. Its `client` promise never
 * settles when Redis was away from the start, hence the short wait.
 */
export async function bullRedisAway(client: Promise<unknown>): Promise<boolean> {
  const status = await withDeadline(
    client.then((c) => (c as Redis).status),
    1000,
  ).catch(() => 'unavailable');
  return status !== 'ready';
}
