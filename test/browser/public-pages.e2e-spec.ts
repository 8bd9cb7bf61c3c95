/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// page.evaluate() callbacks run in the browser and use its globals.
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { Browser, Page } from 'playwright-core';
import { describeWithBrowser, Product, screenshot, useBrowserRig } from '../support/browser';
import { TestApp } from '../support/create-test-app';
import { messagingConfig, MessagingConfig } from '@app/config';
import { rsvpLink } from '@app/events';
import { bearer, signupOrganizer, uniqueEmail } from '../support/factories';

describeWithBrowser('public event signup and RSVP pages (no account, real Chromium)', () => {
  let product: Product;
  let browser: Browser;
  let t: TestApp;

  useBrowserRig((rig) => ({ t, product, browser } = rig));

  const rsvpRow = async (id: string) =>
    (
      await t.db.query<{ status: string; language: string; consent_at: Date | null; name: string }[]>(
        'SELECT status, language, consent_at, name FROM rsvps WHERE id = $1',
        [id],
      )
    )[0];

  /** Submits the form and returns what the API answered (the links it builds for this person). */
  /** The API answers every signup alike; the RSVP it made is read from the database, with the link its messages carry. */
  const submit = async (page: Page, button: string, name: string) => {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && /\/public\/events\/[^/]+\/rsvps$/.test(r.url())),
      page.getByRole('button', { name: button }).click(),
    ]);
    expect(response.status()).toBe(202);
    expect(await response.json()).toEqual({ received: true });
    const [row] = await t.db.query<{ id: string; status: string }[]>(
      'SELECT id, status FROM rsvps WHERE name = $1 ORDER BY created_at DESC LIMIT 1',
      [name],
    );
    return { ...row, ...rsvpLink(t.app.get<MessagingConfig>(messagingConfig.KEY), row.id) };
  };

  it('signs two supporters up (one confirmed, one waiting), then the first cancels and the second moves up', async () => {
    const organizer = await signupOrganizer(t);
    // A Monday evening a few weeks ahead, in Atlanta's zone.
    const inAMonth = DateTime.now()
      .setZone('America/New_York')
      .plus({ weeks: 4 })
      .set({ weekday: 1, hour: 17, minute: 0, second: 0, millisecond: 0 });
    const event = await t
      .http()
      .post('/events')
      .set(bearer(organizer))
      .send({
        title: { en: 'Monday demonstration at the ICE office', es: 'Manifestación del lunes en la oficina de ICE' },
        description: { en: 'Bring water and your red card.', es: 'Traiga agua y su tarjeta roja.' },
        kind: 'action',
        address: '180 Ted Turner Dr SW, Atlanta, GA 30303',
        startsAt: inAMonth.toISO(),
        endsAt: inAMonth.plus({ hours: 2 }).toISO(),
        timeZone: 'America/New_York',
        visibility: 'public',
        capacity: 1,
      })
      .expect(201);
    const eventId = (event.body as { id: string }).id;
    // The test app and the product may know different public addresses; the page is the same on both.
    const signupPath = new URL((event.body as { signupUrl: string }).signupUrl).pathname;
    expect(signupPath).toMatch(/^\/e\/[\w-]+$/);

    // A Spanish speaker opens the shared link.
    const es = await browser.newContext({ locale: 'es-ES' });
    const page = await es.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${product.url}${signupPath}`);
    await page.getByRole('heading', { level: 1, name: 'Manifestación del lunes en la oficina de ICE' }).waitFor();
    expect(await page.getByTestId('event-when').textContent()).toContain('America/New_York');
    expect(await page.getByTestId('event-when').textContent()).toMatch(/17:00/);
    expect(await page.getByTestId('places').textContent()).toBe('Queda 1 plaza.');
    await screenshot(page, 'public-event-es');

    // Nothing is sent without a way to reach them and their consent; the errors say what to fix.
    const name = 'Rosa Martínez';
    await page.getByLabel('Su nombre', { exact: true }).fill(name);
    await page.getByRole('button', { name: 'Inscribirme' }).click();
    const alerts = page.getByRole('alert');
    await alerts.first().waitFor();
    const said = (await alerts.allTextContents()).join(' ');
    expect(said).toContain('Denos un correo electrónico o un teléfono');
    expect(said).toContain('Marque la casilla');
    await screenshot(page, 'public-event-es-errors');

    const email = uniqueEmail('rosa');
    await page.getByLabel('Correo electrónico', { exact: true }).fill(email);
    await page.getByLabel('Idioma de sus mensajes').selectOption('es');
    await page.getByRole('checkbox').check();
    const rosa = await submit(page, 'Inscribirme', name);
    expect(rosa.status).toBe('confirmed');
    expect(await page.getByRole('status').first().textContent()).toContain(`Gracias, ${name}`);
    await screenshot(page, 'public-event-es-confirmed');
    const stored = await rsvpRow(rosa.id);
    expect(stored).toMatchObject({ status: 'confirmed', language: 'es', name });
    expect(stored.consent_at).toBeInstanceOf(Date);

    // The same address again is answered as the first time (the link goes to Rosa's own inbox), and makes no second RSVP.
    await page.goto(`${product.url}${signupPath}`);
    await page.getByLabel('Su nombre', { exact: true }).fill('Rosa otra vez');
    await page.getByLabel('Correo electrónico', { exact: true }).fill(email.toUpperCase());
    await page.getByRole('checkbox').check();
    await submit(page, 'Inscribirme', name);
    expect(await page.getByRole('status').first().textContent()).toContain('Gracias, Rosa otra vez');
    expect((await t.db.query<unknown[]>('SELECT 1 FROM rsvps WHERE name = $1', ['Rosa otra vez'])).length).toBe(0);

    // An English speaker with a phone only finds the event full and joins the waiting list.
    const en = await browser.newContext({ locale: 'en-US' });
    const second = await en.newPage();
    second.setDefaultTimeout(10_000);
    await second.goto(`${product.url}${signupPath}`);
    await second.getByRole('heading', { level: 1, name: 'Monday demonstration at the ICE office' }).waitFor();
    expect(await second.getByTestId('places').textContent()).toContain('All places are taken');
    await second.getByLabel('Your name', { exact: true }).fill('Luis');
    await second.getByLabel('Mobile phone', { exact: true }).fill(`+1404555${String(1000 + Math.floor(Math.random() * 8999))}`);
    await second.getByLabel('Language for your messages').selectOption('en');
    await second.getByRole('checkbox', { name: /contacted/ }).check();
    const luis = await submit(second, 'Sign up', 'Luis');
    expect(luis.status).toBe('waitlisted');
    expect(await second.getByTestId('signup-result').textContent()).toContain('text message');
    await screenshot(second, 'public-event-en-waitlisted');
    expect(await rsvpRow(luis.id)).toMatchObject({ status: 'waitlisted', language: 'en' });

    // Rosa opens the link from her messages (the API builds it: /rsvp/<id>/<token>) and cancels.
    const cancelPath = new URL(rosa.cancelUrl).pathname;
    expect(cancelPath).toMatch(new RegExp(`^/rsvp/${rosa.id}/[\\w-]+$`));
    await page.goto(`${product.url}${cancelPath}`);
    await page.getByTestId('rsvp-status').waitFor();
    expect(await page.getByTestId('rsvp-status').textContent()).toBe('Confirmada');
    const calendar = await page.getByRole('link', { name: /calendario/ }).getAttribute('href');
    const ics = await fetch(`${product.url}${calendar}`);
    expect(ics.status).toBe(200);
    expect(await ics.text()).toContain('BEGIN:VCALENDAR');
    await screenshot(page, 'public-rsvp-es');

    await page.getByRole('button', { name: 'Cancelar mi inscripción' }).click();
    // The question takes focus, and "keep it" changes nothing.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Sí, cancelar mi inscripción');
    await page.getByRole('button', { name: 'No, mantenerla' }).click();
    expect((await rsvpRow(rosa.id)).status).toBe('confirmed');
    await page.getByRole('button', { name: 'Cancelar mi inscripción' }).click();
    await screenshot(page, 'public-rsvp-es-confirm');
    await page.getByRole('button', { name: 'Sí, cancelar mi inscripción' }).click();
    await page.getByTestId('rsvp-cancelled').waitFor();
    expect(await page.getByTestId('rsvp-status').getAttribute('data-status')).toBe('cancelled');
    await screenshot(page, 'public-rsvp-es-cancelled');
    expect((await rsvpRow(rosa.id)).status).toBe('cancelled');
    expect((await rsvpRow(luis.id)).status).toBe('confirmed');
    const counts = await t.db.query<{ status: string; n: number }[]>(
      'SELECT status, count(*)::int AS n FROM rsvps WHERE event_id = $1 GROUP BY status ORDER BY status',
      [eventId],
    );
    expect(counts).toEqual([
      { status: 'cancelled', n: 1 },
      { status: 'confirmed', n: 1 },
    ]);

    // A changed or made-up link says so plainly.
    await page.goto(`${product.url}${cancelPath}x`);
    await page.getByTestId('invalid-link').waitFor();
    expect(await page.getByTestId('invalid-link').textContent()).toContain('Este enlace no es válido');
    await page.goto(`${product.url}/rsvp/${randomUUID()}/not-a-token`);
    await page.getByTestId('invalid-link').waitFor();
    await screenshot(page, 'public-rsvp-invalid');
    await page.goto(`${product.url}/e/0123456789abcdef0123456789abcdef`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Este enlace no lleva a ningún evento');

    // A cancelled event says so and offers no form.
    await t.http().post(`/events/${eventId}/cancel`).set(bearer(organizer)).expect(200);
    await second.goto(`${product.url}${signupPath}`);
    await second.getByTestId('event-closed').waitFor();
    expect(await second.getByTestId('event-closed').textContent()).toContain('cancelled');
    expect(await second.getByRole('button', { name: 'Sign up' }).count()).toBe(0);
    await screenshot(second, 'public-event-cancelled');

    await es.close();
    await en.close();
  }, 90_000);
});
