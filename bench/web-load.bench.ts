/**
 * W1, the volunteer app on a phone with a weak connection: how many compressed bytes of
 * JavaScript a volunteer's phone downloads to open the field app, and how long a cold load takes
 * until the "My routes" screen is on it, in Debian's Chromium with Lighthouse's mobile settings
 * (the "Slow 4G" profile: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up; the CPU slowed 4x).
 * Each load is a fresh browser context (no HTTP cache, no service worker) signed in as a volunteer
 * of the run's own database; the median of the loads is reported.
 *
 *   npm run bench -- W1 [--loads 5]
 *
 * The byte count is what went over the wire for script resources (Resource Timing's
 * encodedBodySize: brotli or gzip as the API serves the build), so it moves with the build and
 * the compression the server applies.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as http from 'node:http';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { BenchResult, createScratchDatabase, log, median, numberArg, REPO_ROOT, round, scratchRedisPrefix } from './common';
import { call, expectJson } from './http';
import { ensureBuilt, fixtureEnv, RunningApi, startApi } from './processes';

export const id = 'W1';
export const description =
  "the volunteer app on Lighthouse's Slow 4G mobile profile: gzip/brotli KB of JavaScript, cold load to the first screen";

const JS_TARGET_KB = 250;
/** Lighthouse's "good" Time to Interactive on mobile. */
const LOAD_TARGET_MS = 3_800;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WEB_SOURCES = join(REPO_ROOT, 'apps/web');
const WEB_INDEX = join(REPO_ROOT, 'dist/web/index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the web app when dist/web is missing or older than apps/web: the code measured is the code checked out. */
function ensureWebBuilt(): void {
  if (existsSync(WEB_INDEX) && statSync(WEB_INDEX).mtimeMs >= newestMtime(WEB_SOURCES)) return;
  log('npm run build:web');
  const r = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: REPO_ROOT, stdio: ['ignore', process.stderr, process.stderr] });
  if (r.status !== 0) throw new Error('npm run build:web failed');
}

interface Load {
  firstScreenMs: number;
  firstContentfulPaintMs: number;
  scriptBytes: number;
  scripts: number;
  allBytes: number;
}

export async function run(args: string[]): Promise<BenchResult[]> {
  const loads = Math.round(numberArg(args, 'loads', 5));
  if (!existsSync(CHROMIUM)) throw new Error(`W1 needs Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  await ensureBuilt('api');
  ensureWebBuilt();
  const db = await createScratchDatabase(id);
  const redis = scratchRedisPrefix(id);
  let api: RunningApi | undefined;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  const agent = new http.Agent({ keepAlive: true });
  try {
    api = await startApi({ DATABASE_URL: db.url, ...fixtureEnv(redis.prefix) });
    const base = api.baseUrl;
    // An organizer, and a volunteer who joined through an invite: the session the phone keeps.
    const organizer = await expectJson<{ accessToken: string }>(
      call(agent, base, 'POST', '/auth/signup', {
        json: {
          email: 'w1-organizer@bench.example.org',
          password: 'w1 organizer password 42',
          displayName: 'Olivia',
          language: 'en',
          organizationName: 'W1',
        },
      }),
      201,
      'sign-up',
    );
    const invite = await expectJson<{ token: string }>(
      call(agent, base, 'POST', '/invites', { token: organizer.accessToken, json: { role: 'volunteer' } }),
      201,
      'invite',
    );
    const session = await expectJson<Record<string, string>>(
      call(agent, base, 'POST', '/invites/accept', {
        json: {
          token: invite.token,
          email: 'w1-volunteer@bench.example.org',
          password: 'w1 volunteer password 42',
          displayName: 'Val',
          language: 'en',
        },
      }),
      201,
      'accept',
    );

    const measured: Load[] = [];
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
        serviceWorkers: 'block',
      });
      await context.addInitScript((s) => localStorage.setItem('porchlight.session', s), JSON.stringify(session));
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 150,
        downloadThroughput: (1.6 * 1024 * 1024) / 8,
        uploadThroughput: (750 * 1024) / 8,
      });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await page.goto(`${base}/app/field`, { waitUntil: 'commit' });
      await page.getByRole('heading', { level: 1 }).first().waitFor({ timeout: 60_000 });
      const load = await page.evaluate(() => {
        const now = performance.now();
        const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        const scripts = resources.filter((r) => /\.m?js(\?|$)/.test(r.name));
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        return {
          firstScreenMs: now,
          firstContentfulPaintMs: fcp ? fcp.startTime : NaN,
          scriptBytes: scripts.reduce((s, r) => s + r.encodedBodySize, 0),
          scripts: scripts.length,
          allBytes: resources.reduce((s, r) => s + r.encodedBodySize, 0) + nav.encodedBodySize,
        };
      });
      log(
        `load ${i + 1}: first screen ${Math.round(load.firstScreenMs)} ms, ${load.scripts} scripts, ${Math.round(load.scriptBytes / 1024)} KB`,
      );
      measured.push(load);
      await context.close();
    }
    const scriptKb = round(median(measured.map((m) => m.scriptBytes)) / 1024, 1);
    const firstScreen = Math.round(median(measured.map((m) => m.firstScreenMs)));
    const detail = {
      profile: 'Lighthouse mobile Slow 4G: 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, CPU 4x slower; cold cache, no service worker',
      loads,
      firstScreenMs: measured.map((m) => Math.round(m.firstScreenMs)),
      firstContentfulPaintMs: round(median(measured.map((m) => m.firstContentfulPaintMs)), 0),
      scripts: measured[0].scripts,
      allKb: round(median(measured.map((m) => m.allBytes)) / 1024, 1),
    };
    return [
      {
        bench: id,
        metric: 'KB of JavaScript (as transferred) to open the field app',
        value: scriptKb,
        target: JS_TARGET_KB,
        pass: scriptKb <= JS_TARGET_KB,
        detail,
      },
      {
        bench: id,
        metric: 'ms from navigation to the first screen, cold, Slow 4G',
        value: firstScreen,
        target: LOAD_TARGET_MS,
        pass: firstScreen <= LOAD_TARGET_MS,
        detail,
      },
    ];
  } finally {
    agent.destroy();
    await browser.close();
    await api?.stop();
    await redis.drop();
    await db.drop();
  }
}
