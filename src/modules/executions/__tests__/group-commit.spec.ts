import { GroupCommit } from '../group-commit';
import { executionIdForJob, isUuid, scheduledForFromJobId } from '../execution-id';

describe('group commit', () => {
  it('writes concurrent submissions together and answers each caller', async () => {
    const batches: number[][] = [];
    const gc = new GroupCommit<number, number>(async (items) => {
      batches.push(items);
      return items.map((i) => i * 10);
    }, String);
    const answers = await Promise.all([1, 2, 3, 4].map((i) => gc.submit(i)));
    expect(answers).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  it('never puts two items with the same key in one batch, and respects the batch size', async () => {
    const batches: string[][] = [];
    const gc = new GroupCommit<string, string>(
      async (items) => {
        batches.push(items);
        return items;
      },
      (s) => s.split(':')[0],
      2,
    );
    await Promise.all(['a:1', 'a:2', 'b:1', 'c:1'].map((s) => gc.submit(s)));
    expect(batches.flat().sort()).toEqual(['a:1', 'a:2', 'b:1', 'c:1']);
    for (const b of batches) {
      expect(b.length).toBeLessThanOrEqual(2);
      expect(new Set(b.map((s) => s.split(':')[0])).size).toBe(b.length);
    }
  });

  it('rejects every caller of a failed batch, and keeps working afterwards', async () => {
    let fail = true;
    const gc = new GroupCommit<number, number>(async (items) => {
      if (fail) throw new Error('db down');
      return items;
    }, String);
    await expect(Promise.all([gc.submit(1), gc.submit(2)])).rejects.toThrow('db down');
    fail = false;
    await expect(gc.submit(3)).resolves.toBe(3);
  });
});

describe('execution ids', () => {
  it('uses a UUID job id as is and derives a stable UUID from a schedule tick', () => {
    const u = '7f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
    expect(executionIdForJob(u)).toBe(u);
    const tick = 'repeat:7f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f:1763700060000';
    expect(isUuid(executionIdForJob(tick))).toBe(true);
    expect(executionIdForJob(tick)).toBe(executionIdForJob(tick));
    expect(executionIdForJob(tick)).not.toBe(executionIdForJob(tick.replace(/0$/, '1')));
    expect(scheduledForFromJobId(tick)?.toISOString()).toBe(new Date(1763700060000).toISOString());
    expect(scheduledForFromJobId(u)).toBeNull();
  });
});
