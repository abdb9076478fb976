import { Writable } from 'node:stream';
import { coalesceWrites } from '../ingest-connection';

/** A socket stand-in recording each system write (writev: one call for all the chunks it was given). */
function recorder() {
  const calls: string[][] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      calls.push([String(chunk)]);
      cb();
    },
    writev(chunks, cb) {
      calls.push(chunks.map((c) => String(c.chunk)));
      cb();
    },
  });
  return { stream, calls };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('coalesceWrites (the ingest connection)', () => {
  it('the writes of one event-loop turn leave together, in order; the next turn starts a new batch', async () => {
    const { stream, calls } = recorder();
    coalesceWrites(stream);
    coalesceWrites(stream); // idempotent: a second call does not wrap twice
    stream.write('a');
    stream.write('b');
    stream.write('c');
    expect(calls).toEqual([]);
    await turn();
    expect(calls).toEqual([['a', 'b', 'c']]);
    stream.write('d');
    await turn();
    expect(calls).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('a write callback still runs', async () => {
    const { stream } = recorder();
    coalesceWrites(stream);
    const done = new Promise<void>((resolve) => stream.write('x', () => resolve()));
    await expect(done).resolves.toBeUndefined();
  });
});
