/** One measured figure, printed beside its baseline in bench/RESULTS.md. */
export interface BenchFigure {
  /** e.g. "Ingest: requests/s" */
  name: string;
  flowgate: number | string;
  /** The baseline measured in the same run (or a published reference, named in `note`). */
  baseline?: number | string;
  unit?: string;
  /** e.g. ">= 0.5x baseline", "p99 < 25 ms" */
  target?: string;
  /** Whether the target was met (omit when there is no target). */
  pass?: boolean;
  note?: string;
  /** Peak RSS (MB) of the processes that produced the figure: Flowgate's and the baseline's. */
  rssMb?: { flowgate?: number; baseline?: number; note?: string };
}

export interface BenchSection {
  title: string;
  /** What was run, how, with which sizes: enough to reproduce. */
  method: string;
  figures: BenchFigure[];
  /** Markdown after the figures table (raw per-round figures, a matrix that does not fit the table). */
  extra?: string;
}

/** A bench script exports `run()`; bench/run-all.ts calls each and writes bench/RESULTS.md. */
export type BenchRun = () => Promise<BenchSection>;

/**
 * Lets a bench script run alone (`node dist/bench/<name>.bench.js`): prints its section as
 * JSON and exits (0, or 1 on failure) even if a client left a handle open.
 */
export function runWhenMain(mod: NodeModule, run: BenchRun): void {
  if (require.main !== mod) return;
  run().then(
    (s) => {
      console.log(JSON.stringify(s, null, 2));
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
