import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

/** The nearest package.json above `from` that has a `start:prod` script (works from bench/ and dist/bench/). */
function projectPackageJson(from: string): { scripts: Record<string, string> } {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      if (pkg.scripts?.['start:prod']) return pkg;
    }
    if (dirname(dir) === dir) throw new Error(`no package.json with a start:prod script above ${from}`);
  }
}

/**
 * The node flags production starts Flowgate with, read from package.json's `start:prod`
 * (`node <flags> dist/src/main.js`), the one place they are written down: every benchmark that
 * spawns Flowgate uses them, so it measures the process as `npm start` runs it. The other
 * scripts that start main.js (`start`, `start:api`, `start:worker`) must carry the same flags;
 * a difference fails here rather than going unnoticed.
 */
export function startFlags(): string[] {
  const scripts = projectPackageJson(__dirname).scripts;
  const flagsOf = (script: string) =>
    /(?:^|\s)node((?:\s+-\S+)*)\s+dist\/src\/main\.js(?:\s|$)/.exec(script)?.[1].split(/\s+/).filter(Boolean);
  const flags = flagsOf(scripts['start:prod']);
  if (!flags) throw new Error(`package.json start:prod is not "node <flags> dist/src/main.js": ${scripts['start:prod']}`);
  for (const [name, script] of Object.entries(scripts)) {
    const other = name.startsWith('start') ? flagsOf(script) : undefined;
    if (other && other.join(' ') !== flags.join(' '))
      throw new Error(`package.json "${name}" starts main.js with "${other.join(' ')}", start:prod with "${flags.join(' ')}"`);
  }
  return flags;
}

export const START_FLAGS = startFlags();

function majorOf(node: string): number | undefined {
  try {
    return Number(execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8', timeout: 10_000 }).split('.')[0]);
  } catch {
    return undefined;
  }
}

/**
 * A node binary of the given major version on this machine, or undefined: BENCH_NODE<major>
 * if set, else the usual system paths, every `node` on PATH, nvm and Volta installs. Each
 * candidate is asked its version rather than trusted by its path.
 */
export function findNode(major: number): string | undefined {
  const versionDirs = (root: string) =>
    existsSync(root)
      ? readdirSync(root)
          .filter(
            (d) =>
              d.startsWith(`v${major}.`) || d.startsWith(`${major}.`) || d.startsWith(`node-${major}.`) || d.startsWith(`node-v${major}.`),
          )
          .map((d) => join(root, d, 'bin', 'node'))
      : [];
  const candidates = [
    process.env[`BENCH_NODE${major}`],
    '/usr/bin/node',
    '/usr/local/bin/node',
    ...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'node')),
    ...versionDirs(join(homedir(), '.nvm', 'versions', 'node')),
    ...versionDirs(join(homedir(), '.volta', 'tools', 'image', 'node')),
    ...versionDirs(join(homedir(), '.cache', 'flowgate')),
  ];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (!c || seen.has(c) || !existsSync(c)) continue;
    seen.add(c);
    if (majorOf(c) === major) return c;
  }
  return undefined;
}

export function nodeVersion(node: string): string {
  return execFileSync(node, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
}

/** Peak resident set size of a live process (VmHWM: the kernel's high-water mark, not a sample), MB. */
export function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

/**
 * Resets this process's peak RSS to its current RSS (Linux: `5` into /proc/self/clear_refs), so
 * a benchmark that runs Flowgate in-process can read the peak of its own run. Returns the RSS it
 * started from (MB; what earlier benchmarks in the same process left), NaN where unsupported.
 */
export function resetOwnPeakRss(): number {
  return resetPeakRss(process.pid);
}

/**
 * Resets a live process's peak RSS (VmHWM) to its current RSS (`5` into /proc/<pid>/clear_refs;
 * needs the same user), so one long-lived process can report a peak per measured window.
 * Returns the RSS it starts from (MB), NaN where unsupported.
 */
export function resetPeakRss(pid: number): number {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return peakRssMb(pid);
  } catch {
    return NaN;
  }
}

/** CPU time (user + system) a live process has used so far, seconds; NaN where /proc is absent. */
export function cpuSeconds(pid: number): number {
  try {
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them, in clock ticks (USER_HZ, 100 on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}
