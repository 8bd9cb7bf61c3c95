/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// page.evaluate() callbacks run in the browser and use its globals.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { describeWithBrowser, Product, screenshot, useBrowserRig } from '../support/browser';
import { TestApp } from '../support/create-test-app';
import { addMember, bearer, signupOrganizer, STRONG_PASSWORD, uniqueEmail } from '../support/factories';
import { waitFor } from '../support/processes';
import { assignRoute, routeFixture, sync } from '../support/field';

const LOCALES = join(__dirname, '..', '..', 'apps', 'web', 'src', 'i18n', 'locales');
type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

function locale(lang: string, file: string, prefix = ''): Map<string, string> {
  return flatten(JSON.parse(readFileSync(join(LOCALES, lang, file), 'utf8')) as Tree, prefix);
}

/** The record count the field app shows, read from the counter's data attribute. */
async function waitForOutbox(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="outbox-count"]')?.getAttribute('data-count') === String(n),
    count,
    {
      timeout: 20_000,
    },
  );
}

async function chooseDoor(page: Page, doorId: string): Promise<void> {
  const item = page.getByTestId(`door-${doorId}`);
  const choose = item.getByRole('button');
  await choose.click();
  await page.waitForFunction((id) => document.querySelector('[data-testid="current-door"]')?.getAttribute('data-door-id') === id, doorId);
}

describeWithBrowser('volunteer field app (built app served by the API, real Chromium)', () => {
  let product: Product;
  let browser: Browser;
  let t: TestApp;

  useBrowserRig((rig) => ({ t, product, browser } = rig));

  it('joins by invite, walks a route online and offline, survives a reload offline, and the server ends with exactly those visits', async () => {
    const organizer = await signupOrganizer(t);
    const fx = await routeFixture(t, organizer);
    const turfId = fx.turfIds[0];
    const doors = fx.doors.get(turfId)!;
    const houses = doors.filter((d) => d.unit === null);
    expect(doors.length).toBeGreaterThanOrEqual(8);
    expect(fx.apartmentDoorIds.length).toBeGreaterThan(1);

    // The invite comes from the running product, so its link carries the product's address.
    const invite = (await (
      await fetch(`${product.url}/invites`, {
        method: 'POST',
        headers: { ...bearer(organizer), 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'volunteer' }),
      })
    ).json()) as { url: string };
    expect(invite.url.startsWith(`${product.url}/join#`)).toBe(true);

    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const email = uniqueEmail('walker');
    await page.goto(invite.url);
    await page.getByTestId('invite-summary').waitFor();
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Your name as your team sees it').fill('Walker');
    await page.getByLabel('Choose a password').fill(STRONG_PASSWORD);
    await page.getByRole('button', { name: 'Join' }).click();
    await page.waitForURL('**/app/field**');
    await page.getByRole('heading', { name: 'My routes' }).waitFor();
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));

    const members = (await t.http().get('/members?limit=100').set(bearer(organizer)).expect(200)).body.items as {
      userId: string;
      email?: string;
    }[];
    const volunteerId = members.find((m) => m.email === email)!.userId;
    await assignRoute(t, organizer, turfId, [volunteerId]);

    // A reload lets the service worker control the page, and fetches the new route on open.
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const card = page.getByTestId(`route-${turfId}`);
    await card.waitFor();
    expect(await card.textContent()).toContain(`0 of ${doors.length} doors visited`);
    await screenshot(page, 'field-routes');
    await card.getByRole('link').click();
    await page.getByTestId('current-door').waitFor();
    expect(await page.getByTestId('current-door').getAttribute('data-door-id')).toBe(doors[0].id);
    // The route's map opens on demand, from the phone's own copy, with the next door labelled in words.
    await page.getByText('Map of this route').click();
    await page.getByRole('region', { name: /Map of the route/ }).waitFor();
    // Nothing visited yet: the start is the next door.
    expect(await page.locator('.map-label').allTextContents()).toEqual(['Next']);

    const expected = new Map<string, string>();
    // Online: three doors.
    await chooseDoor(page, houses[0].id);
    await page.getByRole('button', { name: 'Not home', exact: true }).click();
    expected.set(houses[0].id, 'not_home');
    await waitForOutbox(page, 0);

    await chooseDoor(page, houses[1].id);
    await page
      .getByRole('button', { name: / · ES$/ })
      .first()
      .click();
    await page.getByTestId('conversation-language').selectOption('es');
    await page.getByLabel('Asked for legal follow-up').check();
    await screenshot(page, 'field-walk');
    await page.getByRole('button', { name: 'Talked', exact: true }).click();
    expected.set(houses[1].id, 'talked');
    await chooseDoor(page, houses[2].id);
    await page.getByRole('button', { name: 'Refused', exact: true }).click();
    expected.set(houses[2].id, 'refused');
    // The outbox may read 0 before the last record is even stored: wait for the server to hold all three.
    await waitFor(
      async () => (await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM visits WHERE user_id = $1', [volunteerId]))[0].n === 3,
      20_000,
      'the three online visits on the server',
    );
    await waitForOutbox(page, 0);
    expect(await page.getByTestId('outbox-count').textContent()).toBe('Everything is sent');

    // Offline: four doors, "nobody home" for the whole building, and one record taken back.
    await context.setOffline(true);
    await page.getByText('Offline: records are kept on this phone').waitFor();
    const offline: [string, string][] = [
      [houses[3].id, 'Talked'],
      [houses[4].id, 'Moved away'],
      [houses[5].id, 'Come back later'],
      [houses[6].id, 'No access'],
    ];
    const outcomeCode: Record<string, string> = {
      Talked: 'talked',
      'Moved away': 'moved',
      'Come back later': 'come_back_later',
      'No access': 'no_access',
    };
    for (const [doorId, name] of offline) {
      await chooseDoor(page, doorId);
      await page.getByRole('button', { name, exact: true }).click();
      await page.getByTestId('undo').waitFor();
      expected.set(doorId, outcomeCode[name]);
    }
    await chooseDoor(page, fx.apartmentDoorIds[0]);
    const building = page.getByTestId('nobody-home-building');
    expect(await building.textContent()).toContain(`all ${fx.apartmentDoorIds.length} units`);
    await building.click();
    for (const id of fx.apartmentDoorIds) expected.set(id, 'not_home');
    await waitForOutbox(page, 5);

    await chooseDoor(page, houses[7].id);
    await page.getByRole('button', { name: 'Refused', exact: true }).click();
    await waitForOutbox(page, 6);
    await page.getByTestId('undo').click();
    await page.getByText('Taken back. Nothing was sent.').waitFor();
    await waitForOutbox(page, 5);
    expect(await page.getByTestId('outbox-count').textContent()).toBe('5 records waiting to be sent');
    expect(await page.getByTestId('route-progress').textContent()).toBe(
      `${3 + 4 + fx.apartmentDoorIds.length} of ${doors.length} doors visited`,
    );
    await screenshot(page, 'field-walk-offline');

    // A reload with no connection: the page comes from the service worker, the data from IndexedDB.
    await page.reload();
    await page.getByTestId('current-door').waitFor();
    await waitForOutbox(page, 5);
    expect(await page.getByTestId(`door-${houses[4].id}`).textContent()).toContain('Moved away (waiting to be sent)');
    await page.getByRole('link', { name: 'Outbox', exact: true }).click();
    expect(await page.getByTestId('outbox-entry').count()).toBe(5);
    await screenshot(page, 'field-outbox-offline');

    await context.setOffline(false);
    await waitForOutbox(page, 0);
    await screenshot(page, 'field-outbox-sent');

    const rows = await t.db.query<
      { id: string; door_id: string; outcome: string; language: string | null; follow_up: boolean; status: string }[]
    >('SELECT id, door_id, outcome, language, follow_up, status FROM visits WHERE user_id = $1', [volunteerId]);
    expect(rows).toHaveLength(expected.size);
    expect(new Set(rows.map((r) => r.door_id)).size).toBe(expected.size);
    expect(Object.fromEntries(rows.map((r) => [r.door_id, r.outcome]))).toEqual(Object.fromEntries(expected));
    expect(rows.every((r) => r.status === 'accepted')).toBe(true);
    const talked = rows.find((r) => r.door_id === houses[1].id)!;
    expect(talked).toMatchObject({ language: 'es', follow_up: true });
    const left = await t.db.query<{ material_id: string }[]>('SELECT material_id FROM visit_materials WHERE visit_id = $1', [talked.id]);
    expect(left).toHaveLength(1);

    // A synced visit cannot be taken back; the app says so.
    await page.getByRole('link', { name: 'Routes', exact: true }).click();
    await page.getByTestId(`route-${turfId}`).getByRole('link').click();
    await chooseDoor(page, houses[7].id);
    await page.getByRole('button', { name: 'Talked', exact: true }).click();
    await waitForOutbox(page, 0);
    await page.getByTestId('undo').click();
    await page.getByText(/Already sent: a visit on the server cannot be changed/).waitFor();
    const [{ n }] = await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM visits WHERE user_id = $1', [volunteerId]);
    expect(n).toBe(expected.size + 1);
    await context.close();
  }, 180_000);

  it('shows the volunteer screens in Spanish with no English left', async () => {
    const organizer = await signupOrganizer(t);
    const fx = await routeFixture(t, organizer);
    const turfId = fx.turfIds[0];
    const doors = fx.doors.get(turfId)!;
    const partner = await addMember(t, organizer, 'volunteer');
    const volunteer = await addMember(t, organizer, 'volunteer');
    await assignRoute(t, organizer, turfId, [partner.userId, volunteer.userId]);
    const answer = await sync(t, partner, [
      { kind: 'visit', id: crypto.randomUUID(), turfId, doorId: doors[0].id, outcome: 'talked', recordedAt: new Date().toISOString() },
    ]).expect(200);
    expect(answer.body.counts.created).toBe(1);
    const start = new Date(Date.now() + 3 * 86_400_000);
    await t
      .http()
      .post('/events')
      .set(bearer(organizer))
      .send({
        title: { en: 'Monday demonstration at the ICE office', es: 'Manifestación del lunes en la oficina de ICE' },
        kind: 'action',
        address: '180 Ted Turner Dr SW, Atlanta, GA 30303',
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 2 * 3_600_000).toISOString(),
        timeZone: 'America/New_York',
      })
      .expect(201);

    // Every English text that Spanish words differently, as a pattern: placeholders match anything.
    const english = new Map([...locale('en', 'common.json'), ...locale('en', 'field.json', 'field')]);
    const spanish = new Map([...locale('es', 'common.json'), ...locale('es', 'field.json', 'field')]);
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const patterns = [...english]
      .filter(([key, text]) => spanish.get(key) !== text)
      .map(([key, text]) => ({
        key,
        re: new RegExp(
          `^${text
            .split(/\{\{\s*\w+\s*\}\}/)
            .map(escape)
            .join('.+')}$`,
        ),
      }));

    const context = await browser.newContext({ locale: 'es-ES', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    // Each text node is one translated string (or data); labels read aloud count too.
    const englishLeft = async (screen: string) => {
      const texts = await page.evaluate(() => {
        const out: string[] = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const v = n.textContent?.trim();
          if (v) out.push(v);
        }
        for (const el of document.querySelectorAll('[aria-label],[placeholder],[title]'))
          for (const a of ['aria-label', 'placeholder', 'title']) {
            const v = el.getAttribute(a)?.trim();
            if (v) out.push(v);
          }
        return out;
      });
      const found = texts.flatMap((text) => patterns.filter((p) => p.re.test(text)).map((p) => `${p.key}: ${text}`));
      return { screen, found };
    };

    await page.goto(`${product.url}/login`);
    await page.getByLabel('Correo electrónico').fill(volunteer.email);
    await page.getByLabel('Contraseña').fill(volunteer.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForURL('**/app/field**');
    const card = page.getByTestId(`route-${turfId}`);
    await card.waitFor();
    expect(await card.textContent()).toContain(`1 de ${doors.length} puertas visitadas`);
    expect(await englishLeft('routes')).toEqual({ screen: 'routes', found: [] });
    await screenshot(page, 'field-es-routes');

    await card.getByRole('link').click();
    await page.getByTestId('current-door').waitFor();
    expect(await page.getByTestId(`door-${doors[0].id}`).textContent()).toContain('Hablamos (por su compañero/a)');
    await page.getByRole('button', { name: 'No hay nadie', exact: true }).click();
    await page.getByTestId('undo').waitFor();
    expect(await englishLeft('walk')).toEqual({ screen: 'walk', found: [] });
    await screenshot(page, 'field-es-walk');

    await page.getByRole('link', { name: 'Turno', exact: true }).click();
    await page.getByRole('button', { name: 'Registrar entrada' }).click();
    await page
      .getByTestId('shift-state')
      .getByText(/En turno en/)
      .waitFor();
    expect(await englishLeft('shift')).toEqual({ screen: 'shift', found: [] });
    await screenshot(page, 'field-es-shift');

    await page.getByRole('link', { name: 'Pendientes', exact: true }).click();
    await page.getByRole('button', { name: 'Borrar los datos de este teléfono…' }).click();
    await page.getByRole('alertdialog').waitFor();
    expect(await englishLeft('outbox')).toEqual({ screen: 'outbox', found: [] });
    await screenshot(page, 'field-es-outbox');
    await page.getByRole('button', { name: 'Cancelar' }).click();

    await page.getByRole('link', { name: 'Eventos', exact: true }).click();
    const event = page.getByTestId('event');
    await event.waitFor();
    expect(await event.textContent()).toContain('Manifestación del lunes');
    await event.getByRole('button', { name: 'Voy', exact: true }).click();
    await page.getByText(/Guardado: Voy para/).waitFor();
    expect(await event.getByRole('button', { name: /Voy/ }).first().getAttribute('aria-pressed')).toBe('true');
    expect(await englishLeft('events')).toEqual({ screen: 'events', found: [] });
    await screenshot(page, 'field-es-events');

    await waitForOutbox(page, 0);
    const [{ n }] = await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM shifts WHERE user_id = $1', [volunteer.userId]);
    expect(n).toBe(1);
    await context.close();
  }, 180_000);
});
