/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// page.evaluate() callbacks run in the browser and use its globals.
import { randomUUID } from 'node:crypto';
import { Browser, Page } from 'playwright-core';
import { generateNeighbourhood } from '@app/geo';
import { describeWithBrowser, Product, screenshot, useBrowserRig } from '../support/browser';
import { TestApp } from '../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer } from '../support/factories';
import { assignRoute, RouteFixture, routeFixture } from '../support/field';

type Member = Awaited<ReturnType<typeof addMember>>;

const neighbourhood = () =>
  Buffer.from(
    ['LON,LAT,NUMBER,STREET,UNIT']
      .concat(
        generateNeighbourhood({ seed: 23, apartmentShare: 0.08 }).map((r) => [r.lon, r.lat, r.number, r.street, r.unit ?? ''].join(',')),
      )
      .join('\n'),
  );

/** The map's labels: how many are hidden for lack of room, and whether any two shown ones overlap. */
function labelState(page: Page) {
  return page.evaluate(() => {
    const all = [...document.querySelectorAll('.geo-map .map-label')];
    const shown = all.filter((e) => getComputedStyle(e).visibility !== 'hidden').map((e) => e.getBoundingClientRect());
    let overlaps = 0;
    for (let i = 0; i < shown.length; i++)
      for (let j = i + 1; j < shown.length; j++) {
        const [a, b] = [shown[i], shown[j]];
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps++;
      }
    return { total: all.length, shown: shown.length, overlaps };
  });
}

/** Waits (a few seconds at most) for the map to settle with no two shown labels overlapping. */
async function settled(page: Page): Promise<void> {
  await page
    .waitForFunction(
      () => {
        const shown = [...document.querySelectorAll('.geo-map .map-label')]
          .filter((e) => getComputedStyle(e).visibility !== 'hidden')
          .map((e) => e.getBoundingClientRect());
        return shown.every((a, i) =>
          shown.slice(i + 1).every((b) => !(a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)),
        );
      },
      undefined,
      { timeout: 5_000 },
    )
    .catch(() => undefined);
}

describeWithBrowser('console for organizers and coordinators (built app, real Chromium)', () => {
  let product: Product;
  let browser: Browser;
  let t: TestApp;
  let organizer: OrganizerSession;
  let coordinator: Member;
  let volunteer: Member;
  let f: RouteFixture;

  useBrowserRig((rig) => ({ t, product, browser } = rig));

  beforeAll(async () => {
    organizer = await signupOrganizer(t);
    coordinator = await addMember(t, organizer, 'coordinator');
    volunteer = await addMember(t, organizer, 'volunteer');
    // Every door in a turf, as after an automatic cut.
    f = await routeFixture(t, organizer, 14, 0, neighbourhood());
  }, 120_000);

  async function signIn(page: Page, who: { email: string; password: string }) {
    await page.goto(`${product.url}/login`);
    await page.getByLabel('E-mail').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/app/console**');
  }

  it('draws a turf over cut turfs by taking their doors, renames a turf, and never shows two labels on top of each other', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, organizer);
    await page.goto(`${product.url}/app/console/campaigns/${f.campaignId}/turfs`);
    await page.getByTestId('turfs-table').waitFor();
    await page.waitForFunction((n) => document.querySelectorAll('.geo-map .map-label').length === n, f.turfIds.length);
    // A label whose turf is under the pointer shows whatever the room: keep the pointer off the map.
    await page.mouse.move(0, 0);
    await page.waitForTimeout(300);

    // Labels: at any zoom, those shown do not overlap; zoomed out, some make room.
    await settled(page);
    expect((await labelState(page)).overlaps).toBe(0);
    await page.locator('.leaflet-control-zoom-out').click();
    await page.waitForTimeout(600);
    await page.locator('.leaflet-control-zoom-out').click();
    await page.mouse.move(0, 0);
    await page.waitForTimeout(600);
    await settled(page);
    const out = await labelState(page);
    expect(out.overlaps).toBe(0);
    expect(out.shown).toBeGreaterThan(0);
    expect(out.shown).toBeLessThan(out.total);
    await screenshot(page, 'console-turf-labels-zoomed-out');
    await page.reload();
    await page.getByTestId('turfs-table').waitFor();
    await page.waitForFunction((n) => document.querySelectorAll('.geo-map .map-label').length === n, f.turfIds.length);

    // Every door is in a turf: the panel says so before drawing, and offers to take doors from turfs.
    expect(await page.getByTestId('draw-takes').textContent()).toMatch(/only take doors from the turfs it overlaps/);
    const take = page.getByLabel('Take doors from the turfs it overlaps');
    expect(await take.isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Start drawing' }).click();
    const map = page.locator('.geo-map');
    await map.scrollIntoViewIfNeeded();
    const addCentre = page.getByRole('button', { name: "Add the point at the map's centre" });
    // A square around the map's centre, corner by corner with the arrow keys.
    for (const key of ['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp']) {
      await map.focus();
      await page.keyboard.press(key);
      await page.keyboard.press(key);
      await page.waitForTimeout(400);
      await addCentre.click();
    }
    await page.getByText('4 points. Click the map to add more (at least 3).').waitFor();
    await page.getByRole('button', { name: 'Save turf' }).click();
    const notice = await page
      .getByTestId('turfs-notice')
      .getByText(/^Saved the drawn turf \(\d+ doors, some taken from other turfs\)\.$/)
      .textContent();
    const count = Number(/\((\d+) doors/.exec(notice!)![1]);
    expect(count).toBeGreaterThan(0);
    // Still every door once.
    const [{ doors, held }] = await t.db.query<{ doors: number; held: number }[]>(
      `SELECT (SELECT count(*)::int FROM doors WHERE campaign_id = $1) AS doors, (SELECT count(*)::int FROM turf_doors WHERE campaign_id = $1) AS held`,
      [f.campaignId],
    );
    expect(held).toBe(doors);
    await screenshot(page, 'console-drawn-over-turfs');

    // The new turf is chosen: give it a name people know.
    const panel = page.getByTestId('route-panel');
    await panel.waitFor();
    await panel.getByLabel('Turf name').fill('Boulevard north');
    await panel.getByRole('button', { name: 'Rename' }).click();
    await panel.getByText('Renamed to Boulevard north.').waitFor();
    await page.getByTestId('turfs-table').getByRole('button', { name: 'Boulevard north', exact: true }).waitFor();
    await context.close();
  }, 120_000);

  it('lets a coordinator follow the dashboard without asking for a leaderboard that is off, invite a volunteer and hand out a route', async () => {
    await assignRoute(t, organizer, f.turfIds[0], [volunteer.userId]);
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const requests: string[] = [];
    const refused: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('response', (r) => r.status() === 403 && refused.push(r.url()));
    await signIn(page, coordinator);

    await page.goto(`${product.url}/app/console/campaigns/${f.campaignId}/coverage`);
    await page.getByTestId('live-state').filter({ hasText: 'Live' }).waitFor();
    const route = (await t.http().get(`/turfs/${f.turfIds[0]}`).set(bearer(organizer)).expect(200)).body.stops as { doorId: string }[];
    for (const [i, stop] of route.slice(0, 3).entries()) {
      const res = await fetch(`${product.url}/sync`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(volunteer) },
        body: JSON.stringify({
          items: [
            {
              kind: 'visit',
              id: randomUUID(),
              turfId: f.turfIds[0],
              doorId: stop.doorId,
              outcome: 'not_home',
              recordedAt: new Date(Date.now() - 60_000).toISOString(),
            },
          ],
        }),
      });
      expect(res.status).toBe(200);
      await page
        .getByTestId('figure-attempted-value')
        .filter({ hasText: new RegExp(`^${i + 1}$`) })
        .waitFor();
    }
    expect(requests.filter((u) => u.includes('/coverage/leaderboard'))).toEqual([]);
    expect(refused).toEqual([]);

    // Invites: volunteers only, and the link is there to send.
    await page.getByRole('link', { name: 'Members' }).click();
    await page.getByTestId('invite-volunteers-only').waitFor();
    await page.getByRole('button', { name: 'Create invite link' }).click();
    const url = await page.getByTestId('invite-url').inputValue();
    expect(url.startsWith(`${product.url}/join#`)).toBe(true);
    await page.getByTestId('invites-table').waitFor();

    // Routes: assign one, then release it.
    await page.goto(`${product.url}/app/console/campaigns/${f.campaignId}/turfs`);
    const table = page.getByTestId('turfs-table');
    await table.waitFor();
    const free = (await t.http().get(`/turfs/${f.turfIds[1]}`).set(bearer(organizer)).expect(200)).body as { id: string; name: string };
    await table.getByRole('button', { name: `Turf ${free.name}`, exact: true }).click();
    const panel = page.getByTestId('route-panel');
    await panel.getByLabel('Volunteer', { exact: true }).selectOption({ label: 'A volunteer' });
    await panel.getByRole('button', { name: 'Assign route' }).click();
    await panel.getByText('Route assigned to A volunteer.').waitFor();
    expect((await t.http().get(`/turfs/${free.id}`).set(bearer(organizer))).body.assignment.volunteerIds).toEqual([volunteer.userId]);
    await panel.getByRole('button', { name: 'Release route' }).click();
    await panel
      .getByRole('status')
      .filter({ hasText: /released/i })
      .waitFor();
    expect((await t.http().get(`/turfs/${free.id}`).set(bearer(organizer))).body.assignment).toBeNull();
    await screenshot(page, 'console-coordinator-routes');
    expect(refused).toEqual([]);
    await context.close();
  }, 120_000);
});
