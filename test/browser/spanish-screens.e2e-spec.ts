/// <reference lib="dom" />
// page.evaluate() callbacks run in the browser and use its globals.
import { DateTime } from 'luxon';
import { Browser, Page } from 'playwright-core';
import { describeWithBrowser, Product, screenshot, useBrowserRig } from '../support/browser';
import { TestApp } from '../support/create-test-app';
import { addMember, bearer, Session, signupOrganizer } from '../support/factories';
import { assignRoute } from '../support/field';
import { ENGLISH_ONLY, englishOn as englishWordsOn, tokens } from '../support/english-words';
import { waitFor } from '../support/processes';

describeWithBrowser('Spanish screens show no English (built app, real Chromium)', () => {
  let product: Product;
  let browser: Browser;
  let t: TestApp;
  useBrowserRig((rig) => ({ t, product, browser } = rig));

  /** Words of the test's own data (street names, people, campaign): shown as they were typed. */
  const dataWords = new Set<string>();
  const data = (...texts: string[]) => texts.forEach((x) => tokens(x).forEach((w) => dataWords.add(w)));

  const englishOn = (page: Page) => englishWordsOn(page, dataWords);

  const seen: string[] = [];
  async function expectSpanish(page: Page, screen: string, ready: () => Promise<unknown>) {
    await ready();
    // Let late requests (counts, maps, lists) settle before reading the screen; live pages keep a stream open.
    await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => undefined);
    await screenshot(page, `spanish-${screen}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    expect({ screen, english: await englishOn(page) }).toEqual({ screen, english: [] });
    seen.push(screen);
  }

  async function signIn(page: Page, who: Session, landing: string) {
    await page.goto(`${product.url}/login`);
    await expectSpanish(page, 'login', () => page.getByRole('button', { name: 'Entrar' }).waitFor());
    await page.getByLabel('Correo electrónico').fill(who.email);
    await page.getByLabel('Contraseña').fill(who.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForURL(`**${landing}**`);
  }

  it('has a list of English-only words to look for', () => {
    for (const w of ['the', 'and', 'your', 'turf', 'sign', 'door', 'route']) expect(ENGLISH_ONLY.has(w)).toBe(true);
    for (const w of ['zona', 'puerta', 'english', 'porchlight']) expect(ENGLISH_ONLY.has(w)).toBe(false);
  });

  it('the console and the field app in Spanish, with data made through the API', async () => {
    // An organizer and a volunteer who read Spanish, a campaign with an import (one row refused),
    // turfs cut and one handed out, materials named in both languages, and an event.
    const organizer = await signupOrganizer(t, 'Comité Kirkwood');
    const volunteer = await addMember(t, organizer, 'volunteer');
    await t.http().patch('/me').set(bearer(organizer)).send({ language: 'es', displayName: 'Olivia' }).expect(200);
    await t.http().patch('/me').set(bearer(volunteer)).send({ language: 'es', displayName: 'Marisol' }).expect(200);
    const campaignId = (await t.http().post('/campaigns').set(bearer(organizer)).send({ name: 'Reynoldstown' }).expect(201)).body
      .id as string;
    const rows = ['LON,LAT,NUMBER,STREET,UNIT'];
    for (let u = 1; u <= 4; u++) rows.push(`-84.3500,33.74000,100,Wylie St SE,${u}`);
    for (let h = 1; h <= 16; h++) rows.push(`${(-84.35 + h * 0.0002).toFixed(5)},33.74000,${100 + 2 * h},Wylie St SE,`);
    rows.push('-84.3400,33.74000,300,,');
    data('Comité Kirkwood', 'Olivia', 'Marisol', 'Reynoldstown', 'Wylie St SE');
    const started = await t
      .http()
      .post(`/campaigns/${campaignId}/imports?fileName=reynoldstown.csv`)
      .set(bearer(organizer))
      .set('Content-Type', 'text/csv')
      .send(rows.join('\n'))
      .expect(202);
    await waitFor(
      async () => (await t.http().get(`/imports/${started.body.id}`).set(bearer(organizer))).body.status === 'completed',
      60_000,
      'the import',
    );
    const cut = await t.http().post(`/campaigns/${campaignId}/turfs/cut`).set(bearer(organizer)).send({ doorsPerTurf: 10, save: true });
    expect(cut.status).toBe(201);
    const turfIds = (cut.body.turfs as { id: string }[]).map((x) => x.id);
    const material = async (names: { en: string; es: string }, kind: string, language: string) =>
      (await t.http().post('/materials').set(bearer(organizer)).send({ names, kind, language, stock: 200 }).expect(201)).body.id as string;
    const materialIds = [
      await material({ en: 'Know your rights card (Spanish)', es: 'Tarjeta conozca sus derechos (español)' }, 'kyr_card', 'es'),
      await material({ en: 'Hotline card (Spanish)', es: 'Tarjeta de la línea de ayuda (español)' }, 'hotline_card', 'es'),
    ];
    await t.http().put(`/campaigns/${campaignId}/materials`).set(bearer(organizer)).send({ materialIds }).expect(200);
    await assignRoute(t, organizer, turfIds[0], [volunteer.userId]);
    const zone = 'America/New_York';
    const start = DateTime.now().setZone(zone).plus({ days: 10 }).set({ hour: 18, minute: 0, second: 0, millisecond: 0 });
    const eventId = (
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
        .expect(201)
    ).body.id as string;
    data('180 Ted Turner Dr SW, Atlanta, GA 30303', zone);
    await t.http().put(`/events/${eventId}/rsvp`).set(bearer(volunteer)).send({ response: 'going' }).expect(200);

    const console_ = await browser.newContext({ locale: 'es-US', viewport: { width: 1366, height: 900 } });
    const page = await console_.newPage();
    page.setDefaultTimeout(15_000);
    await signIn(page, organizer, '/app/console');
    await expectSpanish(page, 'console-campaigns', () => page.getByRole('link', { name: 'Reynoldstown' }).waitFor());

    // The import's report: the refused row's reason comes as a code, worded here.
    await page.goto(`${product.url}/app/console/campaigns/${campaignId}`);
    await expectSpanish(page, 'console-campaign-import', () => page.getByText('calle vacía').waitFor());

    // Turfs, made up by the cutter, and one of them with its route.
    await page.goto(`${product.url}/app/console/campaigns/${campaignId}/turfs`);
    await page.getByRole('button', { name: 'Zona 1', exact: true }).click();
    await expectSpanish(page, 'console-turf', () => page.getByRole('heading', { name: 'Ruta Zona 1' }).waitFor());
    // Nothing left to cut: the server's reason, worded in Spanish.
    await page.getByRole('button', { name: 'Vista previa' }).click();
    await expectSpanish(page, 'console-nothing-to-cut', () => page.getByText('No quedan puertas por dividir').waitFor());

    await page.goto(`${product.url}/app/console/campaigns/${campaignId}/coverage`);
    await expectSpanish(page, 'console-coverage', () =>
      page
        .getByRole('heading', { name: /Cobertura/ })
        .first()
        .waitFor(),
    );

    await page.goto(`${product.url}/app/console/events`);
    await expectSpanish(page, 'console-events', () => page.getByText('Taller conozca sus derechos').first().waitFor());
    await page.goto(`${product.url}/app/console/events/${eventId}`);
    await expectSpanish(page, 'console-event', () => page.getByText('Taller conozca sus derechos').first().waitFor());

    await page.goto(`${product.url}/app/console/members`);
    await expectSpanish(page, 'console-members', () => page.getByText('Marisol').first().waitFor());

    await page.goto(`${product.url}/app/console/settings`);
    await expectSpanish(page, 'console-settings', () => page.getByRole('heading', { name: 'Ajustes de la organización' }).waitFor());
    await console_.close();

    // The field app on a phone.
    const phone = await browser.newContext({ locale: 'es-US', viewport: { width: 390, height: 844 } });
    const field = await phone.newPage();
    field.setDefaultTimeout(15_000);
    await signIn(field, volunteer, '/app/field');
    const card = field.getByTestId(`route-${turfIds[0]}`);
    await expectSpanish(field, 'field-routes', () => card.waitFor());
    expect(await card.getByRole('heading').first().textContent()).toContain('Zona 1');

    await card.getByRole('link').first().click();
    await expectSpanish(field, 'field-door', () => field.getByTestId('current-door').waitFor());

    await field.getByRole('link', { name: 'Turno' }).click();
    await expectSpanish(field, 'field-check-in', () => field.getByRole('button', { name: 'Registrar entrada' }).waitFor());
    await field.getByRole('button', { name: 'Registrar entrada' }).click();
    await expectSpanish(field, 'field-on-shift', () => field.getByRole('button', { name: 'Registrar salida' }).waitFor());
    await phone.close();

    expect(seen).toHaveLength(15);
  });
});
