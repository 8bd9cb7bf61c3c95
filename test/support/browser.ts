import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { createTestApp, TestApp } from './create-test-app';
import { API_MAIN, ensureBuilt, freePort, Running, start, stopWithin, waitFor, WORKER_MAIN } from './processes';

const ROOT = join(__dirname, '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const SCREENSHOTS = join(ROOT, 'tmp', 'screenshots');

/** Browser tests need Debian's Chromium (`.ci/run` installs it); without it they are reported as skipped. */
export const describeWithBrowser = hasChromium ? describe : describe.skip;

/**
 * The environment without libfaketime, which Chromium does not survive. When the run's clock is moved
 * (scripts/test-clock-ahead.sh), each page gets the test process's time through Playwright's clock
 * instead, and it runs on from there.
 */
const withoutFaketime = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'LD_PRELOAD' && !name.startsWith('FAKETIME')));

function onTheRunsClock(browser: Browser): Browser {
  if (!process.env.FAKETIME) return browser;
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await context.clock.install({ time: Date.now() });
    return context;
  };
  browser.newPage = async (options) => {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    page.on('close', () => void context.close());
    return page;
  };
  return browser;
}

/** Headless Chromium that talks to nothing but the product under test. */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    env: withoutFaketime(),
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-default-apps',
      '--disable-domain-reliability',
      '--disable-sync',
      '--metrics-recording-only',
      '--no-first-run',
      '--no-pings',
      '--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication,CertificateTransparencyComponentUpdater',
    ],
  });
  return onTheRunsClock(browser);
}

export interface Product {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  api: Running;
  worker: Running;
  stop: () => Promise<void>;
}

/** The built API (serving the built web app) and worker, on the run's database and Redis prefix. */
export async function startProduct(env: NodeJS.ProcessEnv = {}): Promise<Product> {
  ensureBuilt();
  if (!existsSync(join(ROOT, 'dist', 'web', 'index.html'))) throw new Error('dist/web is missing: run `npm run build` first');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const common = { LOG_LEVEL: 'warn', PUBLIC_URL: url, ...env };
  const api = start(API_MAIN, { ...common, PORT: String(port) });
  const worker = start(WORKER_MAIN, common);
  try {
    await waitFor(async () => (await fetch(`${url}/health`)).ok, 30_000, 'the api to answer');
  } catch (err) {
    api.child.kill('SIGKILL');
    worker.child.kill('SIGKILL');
    throw new Error(`${String(err)}\n${api.output()}`, { cause: err });
  }
  return {
    url,
    api,
    worker,
    stop: async () => {
      await Promise.allSettled([stopWithin(api, 10_000), stopWithin(worker, 10_000)]);
    },
  };
}

/** Saves a full-page screenshot under tmp/screenshots (kept as a test artifact). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** What a browser spec works with: the in-process test app (for set-up and checks), the built product, Chromium. */
export interface BrowserRig {
  t: TestApp;
  product: Product;
  browser: Browser;
}

/**
 * Starts the test app, the built product and Chromium before the spec's tests and stops them
 * after; `ready` receives them (a spec keeps them in its own variables).
 */
export function useBrowserRig(ready: (rig: BrowserRig) => void): void {
  let rig: Partial<BrowserRig> = {};
  beforeAll(async () => {
    const t = await createTestApp();
    rig = { t };
    const [product, browser] = await Promise.all([startProduct(), launchBrowser()]);
    rig = { t, product, browser };
    ready({ t, product, browser });
  }, 90_000);
  afterAll(async () => {
    await rig.browser?.close();
    await rig.product?.stop();
    await rig.t?.close();
  });
}
