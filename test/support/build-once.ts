import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Tests that start Flowgate as a separate process (kill -9 of a worker, restarts) run the
 * compiled build. swc builds the whole tree in a couple of seconds.
 */
export function buildDist(): void {
  const root = join(__dirname, '..', '..');
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', '@swc', 'cli', 'bin', 'swc.js'), 'src', 'migrations', 'scripts', 'bench', '-d', 'dist', '--quiet'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}
