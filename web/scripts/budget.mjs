// The console's initial-JavaScript budget: the entry chunk and every chunk it imports statically
// (what a browser must download before the first page renders), gzipped. Pages loaded lazily
// (the workflow builder, charts) are not part of it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const BUDGET_KB = 300;

export function checkBudget(distDir, budgetKb = BUDGET_KB) {
  const manifest = JSON.parse(readFileSync(join(distDir, '.vite', 'manifest.json'), 'utf8'));
  const entry = Object.values(manifest).find((c) => c.isEntry);
  if (!entry) throw new Error('console build: no entry chunk in the manifest');
  const seen = new Set();
  const visit = (chunk) => {
    if (seen.has(chunk.file)) return;
    seen.add(chunk.file);
    for (const key of chunk.imports ?? []) visit(manifest[key]);
  };
  visit(entry);
  const files = [...seen]
    .filter((f) => f.endsWith('.js'))
    .map((file) => ({ file, gzipBytes: gzipSync(readFileSync(join(distDir, file)), { level: 9 }).length }));
  const initialJsGzipBytes = files.reduce((n, f) => n + f.gzipBytes, 0);
  const report = { budgetKb, initialJsGzipBytes, ok: initialJsGzipBytes <= budgetKb * 1024, files };
  writeFileSync(join(distDir, 'budget.json'), JSON.stringify(report, null, 2));
  return report;
}
