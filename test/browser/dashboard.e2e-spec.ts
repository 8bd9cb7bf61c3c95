/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// page.evaluate() callbacks run in the browser and use its globals.
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { Browser, Page } from 'playwright-core';
import { describeWithBrowser, Product, screenshot, useBrowserRig } from '../support/browser';
import { TestApp } from '../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer } from '../support/factories';
import { assignRoute, RouteFixture, routeFixture } from '../support/field';

type Member = Awaited<ReturnType<typeof addMember>>;

/** The figure the API gives, formatted as the English dashboard writes it. */
const pctText = (part: number, whole: number) => `${Math.round((1000 * part) / whole) / 10}%`;

describeWithBrowser('coverage dashboard and events (built app, real Chromium)', () => {
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
    // The import and the cut run on the product's worker, like every job of this run.
    f = await routeFixture(t, organizer, 2, 6);
    await assignRoute(t, organizer, f.turfIds[0], [volunteer.userId]);
  }, 120_000);

  async function signIn(page: Page) {
    await page.goto(`${product.url}/login`);
    await page.getByLabel('E-mail').fill(organizer.email);
    await page.getByLabel('Password').fill(organizer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/app/console**');
  }

  it('shows the figures and updates them live as visits are synced, without a reload', async () => {
    // A browser in another zone than the campaign's: nothing on the dashboard may depend on it.
    const context = await browser.newContext({
      locale: 'en-US',
      timezoneId: 'America/Los_Angeles',
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await signIn(page);

    await page.goto(`${product.url}/app/console/campaigns/${f.campaignId}/coverage`);
    const { doorsInScope: doors } = (await t.http().get(`/campaigns/${f.campaignId}/coverage`).set(bearer(organizer)).expect(200)).body;
    expect(doors).toBe([...f.doors.values()].reduce((n, d) => n + d.length, 0));
    const attempted = page.getByTestId('figure-attempted-value');
    await page
      .getByTestId('figure-doorsInScope-value')
      .filter({ hasText: String(doors) })
      .waitFor();
    expect(await attempted.textContent()).toBe('0');
    await page.getByTestId('live-state').filter({ hasText: 'Live' }).waitFor();
    await page.locator('.map-label').first().waitFor();
    await screenshot(page, 'dashboard-before');

    // Visits go through the running API (POST /sync as the volunteer) and the worker's rollups.
    const turfId = f.turfIds[0];
    const route = f.doors.get(turfId)!;
    const plan = [
      { door: route[0], outcome: 'talked', followUp: true, materials: [{ materialId: f.materials.kyrEs, quantity: 1 }] },
      { door: route[1], outcome: 'not_home', followUp: false, materials: [] },
      { door: route[2], outcome: 'talked', followUp: false, materials: [{ materialId: f.materials.hotlineEs, quantity: 1 }] },
      // A second visit to the first door: still one door attempted.
      { door: route[0], outcome: 'talked', followUp: false, materials: [] },
    ];
    const items = plan.map((p, i) => ({
      kind: 'visit',
      id: randomUUID(),
      turfId,
      doorId: p.door.id,
      outcome: p.outcome,
      recordedAt: new Date(Date.now() - (plan.length - i) * 60_000).toISOString(),
      materials: p.materials,
      followUp: p.followUp,
      language: 'es',
    }));
    const res = await fetch(`${product.url}/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(volunteer) },
      body: JSON.stringify({ items }),
    });
    expect(res.status).toBe(200);
    const expectedAttempted = new Set(plan.map((p) => p.door.id)).size;
    const expectedReached = new Set(plan.filter((p) => p.outcome === 'talked').map((p) => p.door.id)).size;

    // The stream brings the new figures; the page is never reloaded.
    const navigations: string[] = [];
    page.on('framenavigated', (fr) => fr === page.mainFrame() && navigations.push(fr.url()));
    await attempted.filter({ hasText: new RegExp(`^${expectedAttempted}$`) }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('figure-reached-value').textContent()).toBe(String(expectedReached));
    await page.getByTestId('figure-followUpsOpen-value').filter({ hasText: /^1$/ }).waitFor();

    // The turf's label on the map shows its new percentage, as the API computes it.
    const turfs = (await t.http().get(`/campaigns/${f.campaignId}/coverage/turfs`).set(bearer(organizer)).expect(200)).body as {
      turfId: string;
      name: string;
      doors: number;
    }[];
    const turf = turfs.find((x) => x.turfId === turfId)!;
    // The cutter names turfs by number; the app words it ("Turf 1").
    const label = `Turf ${turf.name}: ${pctText(expectedAttempted, turf.doors)}`;
    await page.locator('.map-label', { hasText: label }).waitFor({ timeout: 10_000 });
    // The same figure is in the turf table, in words.
    await page
      .getByRole('row', { name: new RegExp(`Turf ${turf.name}`) })
      .filter({ hasText: pctText(expectedAttempted, turf.doors) })
      .first()
      .waitFor();
    // The volunteer's own figures follow as well.
    await page
      .getByRole('region', { name: 'Volunteers' })
      .getByRole('row', { name: /A volunteer/ })
      .filter({ hasText: String(expectedAttempted) })
      .waitFor({ timeout: 10_000 });
    expect(navigations).toEqual([]);
    await screenshot(page, 'dashboard-after-sync');

    // The follow-ups with their addresses leave only with the password again and a reason, asked in a dialog.
    const exportButton = page.getByRole('button', { name: 'Download follow-ups (CSV)' });
    await exportButton.click();
    const dialog = page.getByRole('dialog', { name: 'Download the follow-ups with their addresses' });
    await dialog.waitFor();
    await dialog.getByLabel('Your password').fill('not the password');
    await dialog.getByLabel('Why do you need this file?').fill('short');
    await dialog.getByRole('button', { name: 'Download' }).click();
    await dialog.getByText('Write a reason of at least 10 characters.').waitFor();
    await dialog.getByLabel('Why do you need this file?').fill('Hand the follow-ups to the legal clinic');
    await dialog.getByRole('button', { name: 'Download' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'That is not your password. Try again.' }).waitFor();
    await screenshot(page, 'dashboard-export-dialog');
    // The password field is emptied and focused: the keyboard alone finishes the job.
    expect(await dialog.getByLabel('Your password').inputValue()).toBe('');
    await page.keyboard.type(organizer.password);
    const [file] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(file.suggestedFilename()).toBe(`follow-ups-${f.campaignId}.csv`);
    await dialog.waitFor({ state: 'detached' });
    // Escape closes it, and focus goes back to the button that opened it.
    await exportButton.click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Download follow-ups (CSV)');

    // The follow-up is listed and can be closed; the figures follow.
    await page.getByRole('button', { name: /^Close the follow-up for / }).click();
    await page.getByTestId('figure-followUpsClosed-value').filter({ hasText: /^1$/ }).waitFor();
    await page.getByText('No follow-ups waiting.').waitFor();

    // The chart has its table alternative, and the dashboard talks only to its own origin.
    await page.getByText('Show the data as a table').click();
    await page.getByRole('columnheader', { name: 'Visits' }).first().waitFor();
    await screenshot(page, 'dashboard-followup-closed');
    expect(requests.filter((u) => !u.startsWith(product.url) && !u.startsWith('data:'))).toEqual([]);
    await context.close();
  }, 90_000);

  it('creates an event in America/New_York, stores its start in UTC, and shows RSVPs and reminders', async () => {
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Europe/Madrid', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page);

    const day = DateTime.now().setZone('America/New_York').plus({ days: 10 }).startOf('day');
    const start = day.set({ hour: 17, minute: 0 });
    const end = day.set({ hour: 19, minute: 30 });
    const local = (d: DateTime) => d.toFormat("yyyy-MM-dd'T'HH:mm");

    await page.goto(`${product.url}/app/console/events`);
    await page.getByRole('button', { name: 'New event' }).click();
    await page.getByLabel('Title (English)').fill('Monday action at the ICE office');
    await page.getByLabel('Title (Spanish)').fill('Acción del lunes en la oficina de ICE');
    await page.getByLabel('Description (English)').fill('Bring water.');
    await page.getByLabel('Kind').selectOption('action');
    await page.getByLabel('Address').fill('180 Ted Turner Dr SW, Atlanta, GA 30303');
    await page.getByLabel('Time zone').selectOption('America/New_York');
    await page.getByLabel('Starts (local date and time)').fill(local(start));
    await page.getByLabel('Ends (local date and time)').fill(local(end));
    await page.getByLabel('Capacity (optional)').fill('50');
    await page.getByLabel('Who can see it').selectOption('public');
    await screenshot(page, 'events-form');
    await page.getByRole('button', { name: 'Create event' }).click();
    await page.waitForURL(/\/app\/console\/events\/[0-9a-f-]{36}$/);
    const eventId = page.url().split('/').pop()!;

    const event = (await t.http().get(`/events/${eventId}`).set(bearer(organizer)).expect(200)).body;
    expect(event).toMatchObject({
      timeZone: 'America/New_York',
      startsAt: start.toUTC().toISO(),
      endsAt: end.toUTC().toISO(),
      capacity: 50,
      visibility: 'public',
      title: { en: 'Monday action at the ICE office', es: 'Acción del lunes en la oficina de ICE' },
    });
    expect(event.signupUrl).toEqual(expect.any(String));
    // The page shows the running server's link (the test's own app has another public address).
    await page
      .getByTestId('signup-link')
      .filter({ hasText: new URL(event.signupUrl).pathname })
      .waitFor();
    expect(await page.getByTestId('event-starts').textContent()).toContain('5:00');

    await t.http().put(`/events/${eventId}/rsvp`).set(bearer(volunteer)).send({ response: 'going' }).expect(200);
    await page.reload();
    const rsvps = page.getByTestId('rsvps');
    await rsvps
      .getByRole('row', { name: /A volunteer/ })
      .filter({ hasText: 'Confirmed' })
      .waitFor();
    const reminders = page.getByTestId('reminders');
    await reminders
      .getByRole('row', { name: /A volunteer/ })
      .filter({ hasText: 'Confirmation' })
      .first()
      .waitFor();
    // Each reminder's delivery status is written in words. This server has neither SMTP nor SMS:
    // the page says so, and the reminders still to go say they cannot be sent, with the reason.
    const statuses = await reminders.locator('tbody .badge').allTextContents();
    expect(statuses.length).toBeGreaterThan(1);
    for (const s of statuses) expect(['Pending', 'Sending', 'Sent', 'Failed', 'Skipped', 'Cancelled', 'Cannot be sent']).toContain(s);
    expect(statuses).toContain('Cannot be sent');
    await page.getByTestId('channels-notice').getByText('neither e-mail nor SMS is set up on this server').waitFor();
    await reminders.getByText('No channel reaches this person: e-mail is not set up on this server').first().waitFor();
    expect((await page.getByTestId('schedule').locator('li').count()) > 0).toBe(true);
    await screenshot(page, 'events-page');
    await context.close();
  }, 90_000);
});
