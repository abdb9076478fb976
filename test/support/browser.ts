import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots and other files a browser test leaves for people to look at (gitignored). */
export const ARTIFACTS = join(__dirname, '..', '.artifacts');
/**
 * As root in a container: no sandbox; and none of Chromium's own calls home, which this
 * machine's closed network refuses (many at a time) at every start.
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (the CI script does)`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** The console's session key (web/src/session/session.ts). */
export const SESSION_KEY = 'flowgate.session';

/**
 * A browser context already signed in to the console with `token` (the session token in
 * localStorage, exactly what the sign-in page stores), plus the page's console errors and the
 * CSP violations it reported, for the test to assert none happened.
 */
export async function consoleContext(
  browser: Browser,
  baseUrl: string,
  token?: string,
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, baseURL: baseUrl });
  // Source text: the test program has no DOM types; this runs in the page before its scripts.
  // Top-level pages only: a third party's frame (Nango's Connect UI) has no access to it.
  if (token) {
    await context.addInitScript(
      `if (window.top === window) window.localStorage.setItem(${JSON.stringify(SESSION_KEY)}, ${JSON.stringify(token)})`,
    );
  }
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return { context, page, errors };
}

/** Console errors that are a defect: everything but the expected answers the page handles (a 4xx it shows). */
export function unexpectedErrors(errors: string[]): string[] {
  return errors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e));
}

const AXE_SOURCE = () => readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core's scan of the page as it is (WCAG 2.1 A and AA rules and best practices): the
 * serious and critical violations. axe is evaluated through the DevTools protocol, not injected
 * as a script tag, so the console's strict CSP stays on while it runs.
 */
export async function axeScan(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate('typeof window.axe === "object"');
  if (!loaded) await page.evaluate(AXE_SOURCE());
  const result = (await page.evaluate(`window.axe.run(document, { resultTypes: ['violations'] })`)) as {
    violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }>;
  };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
}

/** A full-page screenshot under test/.artifacts/console/<name>.png. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const dir = join(ARTIFACTS, 'console');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  // From the top: the sticky sidebar is drawn where the window is scrolled to.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path, fullPage: true });
  return path;
}
