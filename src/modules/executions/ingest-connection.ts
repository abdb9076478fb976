import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Writable } from 'node:stream';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { createRedisClient, RedisClient } from '../../core/redis/redis-client.factory';

const COALESCED = Symbol('flowgate.coalescedWrites');

/**
 * The commands written to `stream` during one turn of the event loop leave in one socket write:
 * the first write of a turn corks the socket, setImmediate (after the turn's I/O callbacks)
 * uncorks it. Under load the requests read in one turn each send their BullMQ add, and those
 * adds were one write syscall each (a fifth of the ingest path's CPU). Commands, their order
 * and their replies are unchanged; a command waits at most for the end of the current turn.
 */
export function coalesceWrites(stream: Writable): void {
  const s = stream as Writable & { [COALESCED]?: true };
  if (s[COALESCED]) return;
  s[COALESCED] = true;
  let corked = false;
  const uncork = () => {
    corked = false;
    s.uncork();
  };
  const write = s.write;
  s.write = function (this: Writable, ...args: Parameters<Writable['write']>) {
    if (!corked) {
      corked = true;
      s.cork();
      setImmediate(uncork);
    }
    return write.apply(this, args);
  } as Writable['write'];
}

/**
 * The Redis connection of the ingest path (queue adds, the webhook rate limit's syncs). It fails
 * fast (no offline queue: a request never waits on a Redis that is away).
 *
 * Not auto-pipelined: measured, ioredis's auto-pipelining halved BullMQ add throughput here
 * (22k vs 43k adds/s with 50 concurrent adds in one process), its per-tick Pipeline objects
 * costing more than the socket writes they save.
 */
@Injectable()
export class IngestConnection implements OnApplicationShutdown {
  readonly redis: RedisClient;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // Fail-fast kind: readiness reports Redis; each request answers 503 meanwhile.
    this.redis = createRedisClient(config.redis, 'command', { connectionName: `flowgate-${config.role}-ingest` });
    // Each (re)connection gets a new socket: its writes are coalesced per event-loop turn. A
    // Cluster client has one connection per node (no single stream) and is left as it is.
    this.redis.on('connect', () => {
      const stream = (this.redis as unknown as { stream?: Writable }).stream;
      if (stream) coalesceWrites(stream);
    });
  }

  get ready(): boolean {
    return this.redis.status === 'ready';
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
