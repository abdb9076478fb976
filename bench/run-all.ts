import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, hostname } from 'node:os';
import { join } from 'node:path';
import { BenchRun, BenchSection } from './lib/types';

/**
 * `npm run bench`: runs every `*.bench.js` beside this file (or those named in argv) one after
 * another and writes bench/RESULTS.md with the machine it ran on. Each script measures Flowgate
 * beside its baseline in the same run. With names (`npm run bench -- peers schedules`), only
 * those sections of an existing RESULTS.md are replaced (or appended); the rest are kept, each
 * with the date it was written.
 */
async function main() {
  const only = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.js'))
    .filter((f) => !only.length || only.some((o) => f.startsWith(o)))
    .sort();
  const sections: BenchSection[] = [];
  for (const file of files) {
    // Bench files are found at run time, so they cannot be static imports.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(join(__dirname, file)) as { run?: BenchRun };
    if (typeof mod.run !== 'function') continue;
    process.stdout.write(`\n▶ ${file}\n`);
    const started = Date.now();
    try {
      const section = await mod.run();
      sections.push(section);
      for (const f of section.figures) {
        const rss = f.rssMb
          ? `; peak RSS ${f.rssMb.flowgate ?? '-'} MB${f.rssMb.baseline !== undefined ? ` (baseline ${f.rssMb.baseline} MB)` : ''}`
          : '';
        process.stdout.write(
          `  ${f.name}: ${f.flowgate}${f.unit ? ' ' + f.unit : ''}${f.baseline !== undefined ? ` (baseline ${f.baseline})` : ''}${rss}${f.pass === undefined ? '' : f.pass ? ' ✓' : ' ✗'}\n`,
        );
      }
    } catch (e) {
      sections.push({ title: file, method: 'failed to run', figures: [{ name: 'error', flowgate: (e as Error).message, pass: false }] });
      process.stdout.write(`  failed: ${(e as Error).stack}\n`);
    }
    process.stdout.write(`  (${Math.round((Date.now() - started) / 1000)} s)\n`);
  }
  const out = join(process.cwd(), 'bench', 'RESULTS.md');
  const previous = only.length && existsSync(out) ? readFileSync(out, 'utf8') : '';
  writeFileSync(out, previous ? merge(previous, sections) : render(sections));
  process.stdout.write(`\nwrote ${out}\n`);
  process.exit(0);
}

/** The previous RESULTS.md with the sections just measured replaced (same title) or appended. */
function merge(previous: string, fresh: BenchSection[]): string {
  const parts = previous.split(/^(?=## )/m);
  const head = parts.shift() ?? '';
  const byTitle = new Map(parts.map((p) => [p.slice(3, p.indexOf('\n')).trim(), p]));
  for (const s of fresh) byTitle.set(s.title, renderSection(s, true).join('\n') + '\n');
  return head + [...byTitle.values()].join('');
}

function render(sections: BenchSection[]): string {
  const cpu = cpus();
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString()}. Each figure is measured beside its baseline in the same run.`,
    '',
    `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}, host \`${hostname()}\`. Shared and noisy: read ratios, not absolutes.`,
    '',
  ];
  for (const s of sections) lines.push(...renderSection(s, false));
  return lines.join('\n');
}

function renderSection(s: BenchSection, dated: boolean): string[] {
  const lines: string[] = [];
  lines.push(
    `## ${s.title}`,
    '',
    ...(dated ? [`_Measured ${new Date().toISOString()} (\`npm run bench\` with this section named), Node ${process.version}._`, ''] : []),
    s.method,
    '',
    '| figure | Flowgate | baseline | Flowgate peak RSS | baseline peak RSS | target | met |',
    '|---|---|---|---|---|---|---|',
  );
  for (const f of s.figures) {
    const v = (x: unknown) => (x === undefined ? '' : `${x}${f.unit && typeof x === 'number' ? ' ' + f.unit : ''}`);
    const mb = (x?: number) => (x === undefined ? '' : Number.isFinite(x) ? `${Math.round(x)} MB` : 'n/a');
    const rss = f.rssMb ?? {};
    lines.push(
      `| ${f.name}${f.note ? ` (${f.note})` : ''} | ${v(f.flowgate)} | ${v(f.baseline)} | ${mb(rss.flowgate)}${rss.note ? ` (${rss.note})` : ''} | ${mb(rss.baseline)} | ${f.target ?? ''} | ${f.pass === undefined ? '' : f.pass ? 'yes' : '**no**'} |`,
    );
  }
  lines.push('');
  if (s.extra) lines.push(s.extra.trimEnd(), '');
  return lines;
}

void main();
