import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { Browser } from 'playwright-core';
import { consoleContext, launchChromium, unexpectedErrors } from '../support/browser';
import { registerTenant, startTestApp, TestApp } from '../support/test-app';

const WEB_DIST = join(__dirname, '../../web/dist');
const UUID = '00000000-0000-4000-8000-000000000000';

/** The entry script index.html loads (content-hashed by Vite). */
function entryScript(): string {
  const html = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
  return /<script type="module" crossorigin src="([^"]+)"/.exec(html)![1];
}

/**
 * The console served by Flowgate itself (`npm start` builds it: web/ → web/dist): the page and
 * its files, the headers that keep it safe and fast, the server paths it never shadows, and the
 * session handling every page relies on.
 */
describe('the web console, served at /', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp({ DEV_MODE: 'true' });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('serves index.html at / with a strict content security policy and no-cache', async () => {
    const res = await fetch(`${t.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(await res.text()).toContain('<div id="root"></div>');
  });

  it('serves the hashed assets with a year-long immutable cache', async () => {
    const res = await fetch(`${t.url}${entryScript()}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers a console page reloaded at its own address (deep link) with the console', async () => {
    for (const path of [`/workflows/${UUID}`, '/runs?status=failed', '/connections', '/invitations/accept']) {
      const res = await fetch(`${t.url}${path}`);
      expect([path, res.status, res.headers.get('content-type')]).toEqual([path, 200, 'text/html; charset=utf-8']);
    }
  });

  it('never shadows the server: unknown API paths, files and probes keep their JSON 404', async () => {
    for (const path of ['/api/nope', '/api/workflows/x/y/z', '/favicon.ico', '/assets/missing-abc.js', '/health/nope', '/docs/nope']) {
      const res = await fetch(`${t.url}${path}`);
      expect([path, res.status, res.headers.get('content-type')]).toEqual([path, 404, 'application/json; charset=utf-8']);
      const body = (await res.json()) as { statusCode: number; message: string };
      expect(body.statusCode).toBe(404);
    }
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
  });

  it('sends a signed-out visitor to the sign-in page, remembering where they were going', async () => {
    const { context, page, errors } = await consoleContext(browser, t.url);
    try {
      await page.goto('/runs?status=failed');
      await page.waitForURL((u) => u.pathname === '/login');
      expect(new URL(page.url()).searchParams.get('next')).toBe('/runs?status=failed');
      expect(unexpectedErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('loads the signed-in frame with the account, and no CSP violation or script error', async () => {
    const owner = await registerTenant(t.http, 'Console shell tenant');
    const { context, page, errors } = await consoleContext(browser, t.url, owner.token);
    try {
      await page.goto('/connectors');
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      await page.getByText(owner.email).waitFor();
      expect(await page.title()).toMatch(/ · Flowgate$/);
      expect(unexpectedErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a token the API refuses (401) ends the session: back to sign-in, the token removed', async () => {
    const { context, page } = await consoleContext(browser, t.url, 'not-a-valid-jwt');
    try {
      await page.goto('/workflows');
      await page.waitForURL((u) => u.pathname === '/login');
      expect(await page.evaluate('window.localStorage.getItem("flowgate.session")')).toBeNull();
    } finally {
      await context.close();
    }
  });

  it('leaves Swagger UI’s document paths to the server, on or off', async () => {
    expect((await fetch(`${t.url}/docs-json`)).headers.get('content-type')).toMatch(/application\/json/);
    const off = await startTestApp({ SWAGGER_ENABLED: 'false' });
    try {
      for (const path of ['/docs', '/docs-json', '/docs-yaml', '/docs/']) {
        const res = await fetch(`${off.url}${path}`);
        expect([path, res.status, res.headers.get('content-type')]).toEqual([path, 404, 'application/json; charset=utf-8']);
      }
    } finally {
      await off.close();
    }
  });

  it('without CONSOLE_ENABLED, / is the API’s 404', async () => {
    const off = await startTestApp({ CONSOLE_ENABLED: 'false' });
    try {
      const res = await fetch(`${off.url}/`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
    } finally {
      await off.close();
    }
  });
});

/**
 * The console's first load is budgeted: the entry chunk and what it imports statically, gzipped,
 * under 300 KB (web/scripts/budget.mjs fails the build over it). Pages are separate chunks, so
 * the builder's graph library is only fetched on the builder.
 */
describe('the console build', () => {
  it('keeps the initial JavaScript within its budget, with every page in its own chunk', () => {
    const report = JSON.parse(readFileSync(join(WEB_DIST, 'budget.json'), 'utf8')) as {
      budgetKb: number;
      initialJsGzipBytes: number;
      ok: boolean;
      files: Array<{ file: string }>;
    };
    expect(report.budgetKb).toBe(300);
    expect(report.ok).toBe(true);
    expect(report.initialJsGzipBytes).toBeLessThanOrEqual(300 * 1024);
    const initial = report.files.map((f) => f.file).join(' ');
    for (const lazy of ['WorkflowBuilderPage', 'DashboardPage', 'RunsPage', 'GatewayPage']) expect(initial).not.toContain(lazy);
  });
});

/** A minimal static file server for web/dist, as an operator's CDN would serve it; `html()` is its index.html. */
function serveStatic(html: () => string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]));
    if (path.startsWith('/assets/')) {
      try {
        const body = readFileSync(join(WEB_DIST, path));
        res.writeHead(200, { 'Content-Type': extname(path) === '.js' ? 'text/javascript' : 'text/css' });
        return res.end(body);
      } catch {
        res.writeHead(404);
        return res.end();
      }
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * Served elsewhere: the same build on another origin, pointed at the API by its
 * `flowgate-api-base` meta tag, works when the API lists that origin in CORS_ORIGINS.
 */
describe('the console served from another origin (CORS_ORIGINS)', () => {
  let server: Server;
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let html = '';

  beforeAll(async () => {
    // The console's origin goes into the API's CORS_ORIGINS, the API's URL into the page.
    server = await serveStatic(() => html);
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await startTestApp({ CORS_ORIGINS: origin });
    html = readFileSync(join(WEB_DIST, 'index.html'), 'utf8').replace(
      '<meta name="flowgate-api-base" content="" />',
      `<meta name="flowgate-api-base" content="${t.url}" />`,
    );
    expect(html).toContain(t.url);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('signs in and loads the account from the API across origins', async () => {
    const owner = await registerTenant(t.http, 'Console elsewhere');
    const { context, page, errors } = await consoleContext(browser, origin, owner.token);
    try {
      await page.goto('/connectors');
      await page.getByText(owner.email).waitFor();
      expect(unexpectedErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
