import Redis from 'ioredis';
import { closeHandler } from 'ioredis/built/redis/event_handler';

/**
 * ioredis bug (redis/ioredis#1247; fix proposed upstream in #2169, not released): `disconnect()`
 * on a client that is waiting to reconnect clears the retry timer and asks the already-closed
 * socket to close again. No socket event follows, so the client never reaches `end`, and the
 * commands it holds (sent before the drop, or queued offline) are never failed. BullMQ's
 * `Worker.close()` waits for that `end` (taskforcesh/bullmq#4656), so a shutdown that caught a
 * connection between retries (Redis down, or just back and not yet redialled) hung forever.
 * CI caught it as a 60 s teardown timeout.
 *
 * The fix is the one proposed upstream: when a manual disconnect finds the client waiting to
 * reconnect, run ioredis' own close handler, which ends the client and fails what it holds
 * with "Connection is closed.". Applied once per process, on import of the Redis plumbing
 * (redis-client.factory, which every connection is built by). test/shutdown-redis-away.e2e-spec.ts hangs without it.
 */
const PATCHED = Symbol.for('flowgate.ioredisDisconnectFix');

type Patchable = typeof Redis.prototype & { [PATCHED]?: true };

function applyIoredisDisconnectFix(): void {
  const proto = Redis.prototype as Patchable;
  if (proto[PATCHED]) return;
  const original = proto.disconnect;
  proto.disconnect = function disconnect(this: Redis, reconnect = false): void {
    const waitingToReconnect = !reconnect && this.status === 'reconnecting';
    original.call(this, reconnect);
    // Still 'reconnecting' after the call: no socket event will ever end it. End it now.
    if (waitingToReconnect && this.status === 'reconnecting') closeHandler(this)();
  };
  proto[PATCHED] = true;
}

applyIoredisDisconnectFix();
