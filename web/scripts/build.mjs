// Builds the console (web/ → web/dist) when its sources changed since the last build, then
// checks the initial-JavaScript budget. Part of `npm run build`, so `npm start` and `npm test`
// always serve a current console without another command.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBudget } from './budget.mjs';

const web = fileURLToPath(new URL('..', import.meta.url));
const repo = join(web, '..');
const stampFile = join(web, 'dist', '.build-stamp');

/** Every input of the build: the sources, the page, the config and the installed versions. */
function inputs() {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (name === 'generated') continue;
      if (statSync(p).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(join(web, 'src'));
  files.push(join(web, 'index.html'), join(web, 'vite.config.mts'), join(repo, 'package-lock.json'));
  const hash = createHash('sha256');
  for (const f of files) hash.update(relative(repo, f)).update('\0').update(readFileSync(f)).update('\0');
  return hash.digest('hex');
}

const stamp = inputs();
if (process.env.FLOWGATE_CONSOLE_REBUILD !== '1' && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
  process.exit(0);
}
const { build } = await import('vite');
await build({ configFile: join(web, 'vite.config.mts'), logLevel: 'warn' });
const report = checkBudget(join(web, 'dist'));
console.log(`console built: initial JavaScript ${(report.initialJsGzipBytes / 1024).toFixed(1)} KB gzipped (budget ${report.budgetKb} KB)`);
if (!report.ok) {
  console.error(`console: initial JavaScript is over its budget: ${report.files.map((f) => `${f.file} ${f.gzipBytes} B`).join(', ')}`);
  process.exit(1);
}
writeFileSync(stampFile, stamp);
