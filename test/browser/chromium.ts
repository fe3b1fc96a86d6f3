/** The browser tests' shared set-up: Debian's Chromium, the built front end, a dashboard on a free port. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEFAULT_ASSETS_DIR, type buildDashboard } from '../../dashboard/server.ts';

/** A dashboard server as the tests build it. */
export type App = Awaited<ReturnType<typeof buildDashboard>>;

/** Where the browser tests write their screenshots. */
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/dashboard/', import.meta.url));

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

/** Debian's Chromium, headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Throws unless `npm run build:web` has written the front end the dashboard serves. */
export function requireBuiltFrontEnd(): void {
  if (!existsSync(`${DEFAULT_ASSETS_DIR}/index.html`)) {
    throw new Error('the front end is not built: run `npm run build:web` (npm run test:browser does it)');
  }
}

/** Starts `app` on a free loopback port; its base URL. */
export async function listenOnLoopback(app: App): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

/**
 * A page `height` pixels high that records console errors and page errors, and with
 * `requestFailed` the requests that failed.
 */
export async function recordingPage(
  browser: Browser,
  height: number,
  requestFailed = false,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  if (requestFailed) page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  return { page, errors };
}
