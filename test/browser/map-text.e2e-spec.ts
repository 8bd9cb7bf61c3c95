/// <reference lib="dom" />
// page.evaluate() callbacks run in the browser and use its globals.
import { Browser, Page } from 'playwright-core';
import { describeWithBrowser, Product, screenshot, useBrowserRig } from '../support/browser';
import { TestApp } from '../support/create-test-app';
import { addMember, OrganizerSession, signupOrganizer } from '../support/factories';
import { assignRoute, routeFixture } from '../support/field';

const BOLD = '<b style="color:red">INJECTED</b>';
const IMAGE = '<img src=x onerror="document.title=\'pwned\'">';
const quoted = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * Street names come from imported files: the maps show them as text. A street named with HTML
 * shows its tags literally, draws nothing red and makes the browser fetch nothing.
 */
describeWithBrowser('street names on the maps are text, never HTML (built app, real Chromium)', () => {
  let product: Product;
  let browser: Browser;
  let t: TestApp;
  let organizer: OrganizerSession;
  let volunteer: Awaited<ReturnType<typeof addMember>>;
  let campaignId: string;
  let turfId: string;

  useBrowserRig((rig) => ({ t, product, browser } = rig));

  beforeAll(async () => {
    organizer = await signupOrganizer(t);
    volunteer = await addMember(t, organizer, 'volunteer');
    // The two named with HTML, and four plain doors nearby: a turf holds at least five.
    const lines = ['LON,LAT,NUMBER,STREET', `-84.35000,33.74000,101,${quoted(BOLD)}`, `-84.34900,33.74000,103,${quoted(IMAGE)}`];
    for (let h = 0; h < 4; h++) lines.push(`${(-84.35 + h * 0.0003).toFixed(5)},33.74060,${201 + 2 * h},Plain St`);
    const f = await routeFixture(t, organizer, 1, 14, Buffer.from(lines.join('\n')));
    campaignId = f.campaignId;
    expect(f.turfIds).toHaveLength(1);
    turfId = f.turfIds[0];
    expect(f.doors.get(turfId)).toHaveLength(6);
    await assignRoute(t, organizer, turfId, [volunteer.userId]);
  }, 120_000);

  /**
   * Where the map's canvas draws the doors, in the page's coordinates: clusters of pixels whiter
   * than the map's background and the turfs' fill (a white door, drawn at 0.9 opacity), or amber
   * (the next door on a route).
   */
  const doorsOnCanvas = (page: Page) =>
    page.evaluate(() => {
      const points: { x: number; y: number; n: number }[] = [];
      for (const canvas of Array.from(document.querySelectorAll<HTMLCanvasElement>('.leaflet-container canvas'))) {
        const box = canvas.getBoundingClientRect();
        const ctx = canvas.getContext('2d')!;
        const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
        const scale = box.width / width;
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            const i = (y * width + x) * 4;
            const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
            // The canvas is transparent where nothing is drawn (the page's background shows through) and keeps each pixel's opacity apart.
            const white = Math.min(r, g, b) >= 236 && a >= 200;
            const amber = Math.abs(r - 242) <= 12 && Math.abs(g - 182) <= 15 && Math.abs(b - 60) <= 25 && a >= 200;
            if (!white && !amber) continue;
            const px = box.left + x * scale;
            const py = box.top + y * scale;
            const near = points.find((p) => Math.abs(p.x / p.n - px) < 12 && Math.abs(p.y / p.n - py) < 12);
            if (near) {
              near.x += px;
              near.y += py;
              near.n++;
            } else points.push({ x: px, y: py, n: 1 });
          }
        }
      }
      return points.filter((p) => p.n >= 8).map((p) => ({ x: p.x / p.n, y: p.y / p.n }));
    });

  /** Points at each door and collects what its tooltip shows. */
  async function tooltips(page: Page): Promise<{ text: string; elements: number; red: number }[]> {
    const found: { text: string; elements: number; red: number }[] = [];
    await page.locator('.leaflet-container').first().scrollIntoViewIfNeeded();
    const doors = await doorsOnCanvas(page);
    expect(doors.length).toBeGreaterThanOrEqual(6);
    for (const p of doors) {
      await page.mouse.move(p.x, p.y);
      const tip = page.locator('.leaflet-tooltip:not(.map-label)').last();
      try {
        await tip.waitFor({ timeout: 2_000 });
      } catch {
        continue;
      }
      found.push(
        await tip.evaluate((el) => ({
          text: el.textContent ?? '',
          elements: el.querySelectorAll('b, img').length,
          red: Array.from(el.querySelectorAll('*')).filter((e) => getComputedStyle(e).color === 'rgb(255, 0, 0)').length,
        })),
      );
      await page.mouse.move(0, 0);
      await page.waitForFunction(() => document.querySelectorAll('.leaflet-tooltip:not(.map-label)').length === 0);
    }
    return found;
  }

  const expectLiteral = (found: { text: string; elements: number; red: number }[]) => {
    const named = found.filter((f) => /^10[13] /.test(f.text));
    expect(named.map((f) => f.text).sort()).toEqual([expect.stringContaining(`101 ${BOLD}`), expect.stringContaining(`103 ${IMAGE}`)]);
    expect(found.filter((f) => f.elements > 0 || f.red > 0)).toEqual([]);
  };

  async function signIn(page: Page, who: { email: string; password: string }, landing: string) {
    await page.goto(`${product.url}/login`);
    await page.getByLabel('E-mail').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(landing);
  }

  /** Requests for the injected image's source: relative `x`, wherever the page is. */
  const watchForX = (page: Page) => {
    const fetched: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.endsWith('/x')) fetched.push(r.url());
    });
    return fetched;
  };

  it('shows the streets literally on the coverage map', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const fetched = watchForX(page);
    await signIn(page, organizer, '**/app/console**');
    await page.goto(`${product.url}/app/console/campaigns/${campaignId}/coverage`);
    await page.locator('.map-label').first().waitFor();
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/coverage/doors.geojson')),
      page.getByLabel('Show every door on the map').check(),
    ]);
    await page.waitForTimeout(500);
    const found = await tooltips(page);
    await screenshot(page, 'map-text-coverage');
    expectLiteral(found);
    expect(fetched).toEqual([]);
    expect(await page.title()).not.toBe('pwned');
    await context.close();
  });

  it('shows the streets literally on the volunteer’s route map', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const fetched = watchForX(page);
    await signIn(page, volunteer, '**/app/field**');
    await page.getByTestId(`route-${turfId}`).getByRole('link').click();
    await page.getByTestId('current-door').waitFor();
    // The volunteer reads the field app in Spanish.
    await page.getByText(/^(Map of this route|Mapa de esta ruta)$/).click();
    await page.getByRole('region', { name: /Map of the route|Mapa de la ruta/ }).waitFor();
    await page.locator('.map-label').first().waitFor();
    await page.waitForTimeout(500);
    const found = await tooltips(page);
    await screenshot(page, 'map-text-route');
    expectLiteral(found);
    expect(fetched).toEqual([]);
    await context.close();
  });
});
