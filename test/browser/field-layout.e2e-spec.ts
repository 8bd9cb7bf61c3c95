/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// page.evaluate() callbacks run in the browser and use its globals.
import { DateTime } from 'luxon';
import { Browser, Page } from 'playwright-core';
import { describeWithBrowser, Product, screenshot, useBrowserRig } from '../support/browser';
import { TestApp } from '../support/create-test-app';
import { addMember, bearer, signupOrganizer } from '../support/factories';
import { assignRoute, routeFixture } from '../support/field';
import { waitFor } from '../support/processes';

/** Width and height in CSS pixels of each element the selector finds (visible ones only). */
async function sizes(page: Page, selector: string): Promise<{ text: string; width: number; height: number }[]> {
  return page.$$eval(selector, (els) =>
    els
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && box.height > 0)
      .map(({ el, box }) => ({
        text: (el.textContent ?? '').trim() || el.getAttribute('aria-label') || el.tagName,
        width: box.width,
        height: box.height,
      })),
  );
}

describeWithBrowser('field app on a phone: names, language, tap targets, events (built app, real Chromium)', () => {
  let product: Product;
  let browser: Browser;
  let t: TestApp;

  useBrowserRig((rig) => ({ t, product, browser } = rig));

  it('keeps the language of the login page, names each route with its campaign, and gives every control 44 x 44 px', async () => {
    const organizer = await signupOrganizer(t);
    const south = await routeFixture(t, organizer, 1, 6);
    const north = await routeFixture(t, organizer, 1, 6);
    await t.http().patch(`/campaigns/${south.campaignId}`).set(bearer(organizer)).send({ name: 'Reynoldstown' }).expect(200);
    await t.http().patch(`/campaigns/${north.campaignId}`).set(bearer(organizer)).send({ name: 'Kirkwood' }).expect(200);
    const volunteer = await addMember(t, organizer, 'volunteer');
    // The account says English; the phone says Spanish.
    await t.http().patch('/me').set(bearer(volunteer)).send({ language: 'en' }).expect(200);
    await assignRoute(t, organizer, south.turfIds[0], [volunteer.userId]);
    await assignRoute(t, organizer, north.turfIds[0], [volunteer.userId]);
    const zone = 'America/New_York';
    const start = DateTime.now().setZone(zone).plus({ days: 20 }).set({ hour: 18, minute: 0, second: 0, millisecond: 0 });
    await t
      .http()
      .post('/events')
      .set(bearer(organizer))
      .send({
        title: { en: 'Know your rights training', es: 'Taller conozca sus derechos' },
        description: { en: 'Bring your cards.', es: 'Traiga sus tarjetas.' },
        kind: 'training',
        address: '180 Ted Turner Dr SW, Atlanta, GA 30303',
        timeZone: zone,
        startsAt: start.toISO(),
        endsAt: start.plus({ minutes: 90 }).toISO(),
        visibility: 'members',
      })
      .expect(201);

    const context = await browser.newContext({ locale: 'es-US', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${product.url}/login`);
    await page.getByLabel('Correo electrónico').fill(volunteer.email);
    await page.getByLabel('Contraseña').fill(volunteer.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForURL('**/app/field**');
    await page.getByRole('heading', { name: 'Mis rutas' }).waitFor();
    // Still Spanish once the profile is read, and saved to the account for what is sent to them.
    await page.getByTestId(`route-${south.turfIds[0]}`).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    await waitFor(async () => (await t.http().get('/me').set(bearer(volunteer))).body.language === 'es', 10_000, 'the language saved');
    await page.reload();
    await page.getByRole('heading', { name: 'Mis rutas' }).waitFor();

    // Two "Zona 1" cards, each naming its campaign; the check-in picker too.
    const south1 = page.getByTestId(`route-${south.turfIds[0]}`);
    const north1 = page.getByTestId(`route-${north.turfIds[0]}`);
    await south1.waitFor();
    await north1.waitFor();
    expect(await south1.getByTestId('route-campaign').textContent()).toBe('Reynoldstown');
    expect(await north1.getByTestId('route-campaign').textContent()).toBe('Kirkwood');
    await screenshot(page, 'field-routes-two-campaigns');
    await page.getByRole('link', { name: 'Turno' }).click();
    const options = await page.getByLabel('Ruta').locator('option').allTextContents();
    // The cutter's turf names are numbers, worded in the reader's language.
    expect(options.sort()).toEqual(['Zona 1 · Kirkwood', 'Zona 1 · Reynoldstown']);

    // The walk: a compact header, and every control at least 44 x 44 CSS pixels.
    await page.getByRole('link', { name: 'Rutas', exact: true }).click();
    await south1.getByRole('link').click();
    const card = page.getByTestId('current-door');
    await card.waitFor();
    const top = (await card.boundingBox())!.y;
    expect(top).toBeLessThanOrEqual(240);
    await screenshot(page, 'field-walk-compact');
    const targets = [
      ...(await sizes(page, '.app-header a, .app-header button, .app-header select')),
      ...(await sizes(page, '.field-nav a, .sync-bar a, .walk-head a')),
      ...(await sizes(page, '.door-card button, .door-card select, .door-card input[type="checkbox"]')),
    ];
    const labels = targets.map((x) => x.text).join(' | ');
    expect(labels).toContain('Todo está enviado');
    expect(labels).toContain('Todas mis rutas');
    expect(labels).toContain('Salir');
    expect(targets.filter((x) => x.text === 'INPUT')).toHaveLength(1); // the follow-up checkbox
    const small = targets.filter((x) => x.width < 44 || x.height < 44);
    expect(small).toEqual([]);

    // The event card: the description and when it ends.
    await page.getByRole('link', { name: 'Eventos' }).click();
    const event = page.getByTestId('event');
    await event.waitFor();
    expect(await event.getByTestId('event-description').textContent()).toBe('Traiga sus tarjetas.');
    const when = (await event.getByTestId('event-when').textContent()) ?? '';
    expect(when).toContain('18:00');
    expect(when).toContain('19:30');
    await screenshot(page, 'field-event-card');
    await context.close();
  });
});
