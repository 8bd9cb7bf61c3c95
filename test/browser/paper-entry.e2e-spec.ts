/// <reference lib="dom" />
// locator.evaluate() callbacks run in the browser and use its globals.
import { Browser } from 'playwright-core';
import { describeWithBrowser, Product, screenshot, useBrowserRig } from '../support/browser';
import { TestApp } from '../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer } from '../support/factories';
import { RouteFixture, routeFixture } from '../support/field';

type Member = Awaited<ReturnType<typeof addMember>>;

interface Stop {
  doorId: string;
  number: string;
  street: string;
  unit: string | null;
}

interface Visit {
  doorId: string;
  userId: string;
  outcome: string;
  language: string | null;
  followUp: boolean;
}

describeWithBrowser('paper walk list results typed into the console (built app, real Chromium)', () => {
  let product: Product;
  let browser: Browser;
  let t: TestApp;
  let organizer: OrganizerSession;
  let volunteer: Member;
  let f: RouteFixture;

  useBrowserRig((rig) => ({ t, product, browser } = rig));

  beforeAll(async () => {
    organizer = await signupOrganizer(t);
    volunteer = await addMember(t, organizer, 'volunteer');
    // Someone else in the list of members, so that choosing who walked the list matters.
    await addMember(t, organizer, 'coordinator');
    // One route: a six-unit building and four houses, imported and cut by the product's worker.
    f = await routeFixture(t, organizer, 1, 4);
  }, 120_000);

  it('records the outcomes of a paper sheet for the volunteer who walked it, and only the doors given an outcome', async () => {
    const turfId = f.turfIds[0];
    const route = (await t.http().get(`/turfs/${turfId}`).set(bearer(organizer)).expect(200)).body as { name: string; stops: Stop[] };
    const [talked, notHome] = route.stops.filter((s) => s.unit === null);
    const address = (s: Stop) => `${s.number} ${s.street}`;

    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/paper-visits')) posts.push(r.url());
    });

    await page.goto(`${product.url}/login`);
    await page.getByLabel('E-mail').fill(organizer.email);
    await page.getByLabel('Password').fill(organizer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/app/console**');

    // The route, from the campaign's table of turfs.
    await page.goto(`${product.url}/app/console/campaigns/${f.campaignId}/turfs`);
    await page
      .getByTestId('turfs-table')
      .getByRole('button', { name: `Turf ${route.name}`, exact: true })
      .click();
    const panel = page.getByTestId('route-panel');
    await panel.waitFor();

    // The form opens from its button, with the route's doors in walking order.
    const open = panel.getByRole('button', { name: 'Enter results from a paper list' });
    await open.click();
    expect(await open.getAttribute('aria-expanded')).toBe('true');
    const sheet = panel.getByRole('form', { name: 'Results from a paper walk list' });
    await sheet.waitFor();
    const table = sheet.getByRole('table');
    expect(await table.locator('tbody tr').count()).toBe(route.stops.length);
    expect(await table.locator('tbody tr').first().getAttribute('data-door-id')).toBe(route.stops[0].doorId);

    // Nothing chosen yet: a message, and no request.
    await sheet.getByRole('button', { name: 'Record 0 visits' }).click();
    await sheet.getByRole('alert').getByText('Choose an outcome for at least one door', { exact: false }).waitFor();
    expect(posts).toEqual([]);

    // Who walked it (nobody has the route: no one is chosen beforehand), then two doors.
    const walkedBy = sheet.getByLabel('Walked by');
    expect(await walkedBy.inputValue()).toBe('');
    await walkedBy.selectOption(volunteer.userId);
    expect(await sheet.getByLabel('Date and time walked').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    await sheet.getByLabel(`Outcome at ${address(talked)}`, { exact: true }).selectOption('talked');
    await sheet.getByLabel(`Language of the conversation at ${address(talked)}`, { exact: true }).selectOption('es');
    await sheet.getByLabel(`Legal follow-up asked for at ${address(talked)}`, { exact: true }).check();
    await sheet.getByLabel(`Outcome at ${address(notHome)}`, { exact: true }).selectOption('not_home');
    await screenshot(page, 'console-paper-entry');
    await sheet.getByRole('button', { name: 'Record 2 visits' }).click();

    await panel.getByTestId('paper-entry').getByRole('status').getByText('2 visits recorded.', { exact: true }).waitFor();
    expect(posts).toHaveLength(1);
    // The sheet is done: the form is closed, and the focus is back on its button.
    expect(await open.getAttribute('aria-expanded')).toBe('false');
    expect(await sheet.isVisible()).toBe(false);
    expect(await open.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);

    // The API has exactly those two visits, by the volunteer who walked the list.
    const visits = (await t.http().get(`/campaigns/${f.campaignId}/visits`).set(bearer(organizer)).expect(200)).body as {
      items: Visit[];
      total: number;
    };
    expect(visits.total).toBe(2);
    const byDoor = new Map(visits.items.map((v) => [v.doorId, v]));
    expect(byDoor.get(talked.doorId)).toMatchObject({ userId: volunteer.userId, outcome: 'talked', language: 'es', followUp: true });
    expect(byDoor.get(notHome.doorId)).toMatchObject({ userId: volunteer.userId, outcome: 'not_home', followUp: false });
    expect(byDoor.get(notHome.doorId)!.language).toBeNull();
    await context.close();
  }, 120_000);
});
