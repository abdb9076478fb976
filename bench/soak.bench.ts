import { benchEnv, round } from './lib/bench-env';
import { DIST_MAIN, runSoak } from './lib/soak-runner';
import { START_FLAGS } from './lib/node-runtime';
import { BenchRun, runWhenMain } from './lib/types';

export const run: BenchRun = async () => {
  const seconds = Number(process.env.SOAK_SECONDS ?? 300);
  const rate = Number(process.env.SOAK_RATE ?? 100);
  const env = await benchEnv('soak');
  try {
    const r = await runSoak({ databaseUrl: env.databaseUrl, redisUrl: env.redisUrl, prefix: env.prefix, seconds, rate, main: DIST_MAIN });
    const rssMb = { flowgate: r.peakRssMb };
    return {
      title: 'Memory (soak)',
      method: `${r.seconds} s of webhook load at ${rate}/s (two-step transform + condition workflow) against one \`ROLE=all\` process started with \`npm start\`'s node flags (\`${START_FLAGS.join(' ')}\`); its RSS (from /proc) sampled every second, and the heap left after forced full GCs (a preloaded probe under --expose-gc) every 5 s. RSS slope: least squares over the second half; retained-heap slope: Theil–Sen over the last two thirds.`,
      figures: [
        {
          name: 'events accepted / succeeded',
          flowgate: `${r.accepted} / ${r.succeeded}`,
          target: 'all succeed, one row each',
          pass: r.succeeded === r.accepted && r.duplicateRows === 0 && r.rejected === 0,
          rssMb,
        },
        {
          name: 'RSS start → end (max)',
          flowgate: `${round(r.rssStartMb, 0)} → ${round(r.rssEndMb, 0)} (${round(r.rssMaxMb, 0)})`,
          unit: 'MB',
          rssMb,
        },
        { name: 'RSS slope, second half (GC sawtooth included)', flowgate: round(r.rssSlopeMbPerMin, 2), unit: 'MB/min', rssMb },
        {
          name: 'Heap retained after full GC, slope over the last two thirds',
          flowgate: round(r.retainedHeapSlopeMbPerMin, 2),
          unit: 'MB/min',
          target: '< 2 MB/min (no growth trend)',
          pass: r.retainedHeapSlopeMbPerMin < 2,
          rssMb,
          note: `${round(r.retainedHeapStartMb, 1)} → ${round(r.retainedHeapEndMb, 1)} MB`,
        },
      ],
    };
  } finally {
    await env.cleanup();
  }
};

runWhenMain(module, run);
