import Redis from 'ioredis';
import { closeHandler } from 'ioredis/built/redis/event_handler';

/**
 * Two ioredis bugs make a client that is told to disconnect while Redis is away never finish,
 * and BullMQ's `Worker.close()` waits on both (taskforcesh/bullmq#4656), so a shutdown that
 * caught a connection between retries (Redis down, or just back and not yet redialled) hung
 * forever. CI caught it as a 60 s teardown timeout.
 *
 * 1. `disconnect()` on a client waiting to reconnect clears the retry timer and asks the
 *    already-closed socket to close again: no socket event follows, so the client never
 *    reaches `end` (redis/ioredis#1247; upstream fix proposed in #2169). BullMQ waits for that
 *    `end`. Fix, as proposed upstream: run ioredis' own close handler, which ends the client
 *    and fails what was queued.
 * 2. Commands in flight when the socket dropped are kept aside to be re-sent after the
 *    reconnect (`prevCommandQueue`). When the client ends instead, nothing fails them: their
 *    promises stay pending for ever. A worker's BZPOPMIN is one, and its main loop, which
 *    `close()` waits for, awaits it. Fix: fail them with "Connection is closed." when the
 *    client ends after a manual disconnect, as every other queued command is.
 *
 * Applied once per process, on import of the Redis plumbing (redis.module, redis-connection).
 * test/shutdown-redis-away.e2e-spec.ts hangs without it.
 */
const PATCHED = Symbol.for('flowgate.ioredisDisconnectFix');
const WATCHING_END = Symbol('flowgate.failStrandedOnEnd');

interface CommandItem {
  command: { reject(err: Error): void };
}
type Internals = Redis & { prevCommandQueue?: { length: number; shift(): CommandItem | undefined } | null; [WATCHING_END]?: true };
type Patchable = typeof Redis.prototype & { [PATCHED]?: true };

function failStrandedCommands(client: Internals): void {
  client[WATCHING_END] = undefined;
  const stranded = client.prevCommandQueue;
  client.prevCommandQueue = null;
  for (let item = stranded?.shift(); item; item = stranded?.shift()) item.command.reject(new Error('Connection is closed.'));
}

function applyIoredisDisconnectFix(): void {
  const proto = Redis.prototype as Patchable;
  if (proto[PATCHED]) return;
  const original = proto.disconnect;
  proto.disconnect = function disconnect(this: Internals, reconnect = false): void {
    if (!reconnect && !this[WATCHING_END]) {
      this[WATCHING_END] = true;
      this.once('end', () => failStrandedCommands(this));
    }
    const waitingToReconnect = !reconnect && this.status === 'reconnecting';
    original.call(this, reconnect);
    // Still 'reconnecting' after the call: no socket event will ever end it. End it now.
    if (waitingToReconnect && this.status === 'reconnecting') closeHandler(this)();
  };
  proto[PATCHED] = true;
}

applyIoredisDisconnectFix();
