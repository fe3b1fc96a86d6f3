/** The browser tests' shared set-up: Debian's Chromium, the built front end, a dashboard on a free port. */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
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

/** Runs `body` on a fresh recording page, then expects no console errors; the page is closed either way. */
export async function onCleanPage(browser: Browser, body: (page: Page) => Promise<void>): Promise<void> {
  const { page, errors } = await recordingPage(browser, 900, true);
  try {
    await body(page);
    expect(errors).toEqual([]);
  } finally {
    await page.close();
  }
}

/** Waits until the view shows `tab` with its data loaded. */
export async function ready(page: Page, tab: string): Promise<void> {
  await page.waitForSelector(`#view[data-tab="${tab}"][data-ready="true"]`, { timeout: 60_000 });
}

/** Opens `tab` of the dashboard at `url`, with `query` (`range=all`) if given, and waits until it is ready. */
export async function openTab(page: Page, url: string, tab: string, query = ''): Promise<void> {
  await page.goto(`${url}/?tab=${tab}${query ? `&${query}` : ''}`);
  await ready(page, tab);
}

/** The value shown on the tile labelled `label`. */
export const tileText = (page: Page, label: string) =>
  page.locator(`#view .tile[data-tile="${label}"] .value`).textContent();

/** A figure as the dashboard shows it (thousands separated by commas), as a number. */
export const count = (text: string | null) => Number((text ?? '').replaceAll(',', ''));

/** data-points of every canvas in the view (set when a chart is drawn). */
export function chartPoints(page: Page): Promise<{ id: string; points: number }[]> {
  return page.$$eval('#view canvas', (canvases) =>
    canvases.map((c) => ({ id: c.id, points: Number((c as HTMLCanvasElement).dataset.points ?? 0) })),
  );
}

/** A dashboard as a test starts it: its server, and what closes it with what it holds. */
interface Served {
  app: App;
  close(): Promise<void>;
}

/**
 * The dashboard that `start` builds, on a loopback port, and Chromium: started before the file's
 * tests (after checking the front end is built), closed after them, then `cleanUp` (what the file
 * set up beside the dashboard; it runs even when `start` failed). Read its fields in the tests.
 */
export function dashboardInChromium<D extends Served>(
  start: () => Promise<D>,
  cleanUp?: () => Promise<void>,
) {
  const served = {} as { dash: D; url: string; browser: Browser };
  beforeAll(async () => {
    requireBuiltFrontEnd();
    mkdirSync(ARTIFACTS, { recursive: true });
    served.dash = await start();
    served.url = await listenOnLoopback(served.dash.app);
    served.browser = await launchChromium();
  });
  afterAll(async () => {
    await served.browser?.close();
    await served.dash?.close();
    await cleanUp?.();
  });
  return served;
}
