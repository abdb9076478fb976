import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseServices, CONSOLE_PATHS } from '../declarative/declarative-config';
import { loadConfig } from '../../../core/config/load-config';
import { isOperational } from './kong-published';

/** The console's own routes, as its router declares them (web/src/app/routes.tsx). */
function consoleRoutes(): string[] {
  const source = readFileSync(join(__dirname, '../../../../web/src/app/routes.tsx'), 'utf8');
  return [...source.matchAll(/path: '([^']+)'/g)].map((m) => m[1]).filter((p) => p !== '*');
}

/** How Kong matches a route path: `~` a regex, otherwise a prefix. */
function kongMatches(routePath: string, requestPath: string): boolean {
  return routePath.startsWith('~') ? new RegExp(`^${routePath.slice(1)}`).test(requestPath) : requestPath.startsWith(routePath);
}

describe('Kong publishes the web console at its own origin', () => {
  it('every console route is reachable through Kong (a deep link reloads)', () => {
    const routes = consoleRoutes();
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) {
      const requestPath = route.replace(/:[^/]+/g, '00000000-0000-4000-8000-000000000000');
      expect([route, CONSOLE_PATHS.some((p) => kongMatches(p, requestPath))]).toEqual([route, true]);
    }
    expect(CONSOLE_PATHS.some((p) => kongMatches(p, '/assets/index-abc123.js'))).toBe(true);
  });

  it('publishes no operational path, and `/` only exactly (not as a prefix)', () => {
    for (const path of ['/health', '/health/detailed', '/metrics', '/docs', '/docs/json', '/api/admin/tokens', '/anything-else']) {
      expect([path, CONSOLE_PATHS.some((p) => kongMatches(p, path))]).toEqual([path, false]);
    }
    expect(CONSOLE_PATHS.filter((p) => !p.startsWith('~')).some((p) => isOperational(p))).toBe(false);
  });

  it('the console route takes GET and HEAD only', () => {
    const routes = baseServices(loadConfig({ NODE_ENV: 'test' })).flatMap((s) => s.routes as Array<{ name: string; methods?: string[] }>);
    expect(routes.find((r) => r.name === 'flowgate-console')?.methods).toEqual(['GET', 'HEAD']);
  });
});
