/**
 * Group commit: items submitted while a batch is being written wait and leave together in the
 * next one, so under load many runs share one statement, and alone an item leaves at once
 * (next turn of the event loop). Each caller still gets its own answer only after its batch is
 * stored. Items with the same key never share a batch (one statement cannot touch a row twice).
 */
export class GroupCommit<T, R> {
  private pending: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    /** Writes a batch; returns one answer per item, in order. */
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly keyOf: (item: T) => string,
    private readonly maxBatch = 500,
    /** Batches written at the same time (more pipelines the database, fewer lets batches grow). */
    private readonly maxInFlight = 2,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || !this.pending.length) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight >= this.maxInFlight || !this.pending.length) return;
    const batch: typeof this.pending = [];
    const rest: typeof this.pending = [];
    const keys = new Set<string>();
    for (const p of this.pending) {
      const key = this.keyOf(p.item);
      if (batch.length < this.maxBatch && !keys.has(key)) {
        keys.add(key);
        batch.push(p);
      } else rest.push(p);
    }
    this.pending = rest;
    this.inFlight++;
    try {
      const answers = await this.write(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(answers[i]));
    } catch (e) {
      for (const p of batch) p.reject(e);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }
}
