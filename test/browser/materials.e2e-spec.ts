/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// page.addInitScript() callbacks run in the browser and use its globals.
import { randomUUID } from 'node:crypto';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { describeWithBrowser, Product, screenshot, useBrowserRig } from '../support/browser';
import { TestApp } from '../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer } from '../support/factories';
import { assignRoute, RouteFixture, routeFixture, sync } from '../support/field';
import { waitFor } from '../support/processes';

type Member = Awaited<ReturnType<typeof addMember>>;
/** Seconds before now: after the route was handed out, so that no phone clock is in doubt. */
const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();

describeWithBrowser(
  'materials in the console: a coordinator keeps the catalogue, the dashboard warns of low stock (built app, Chromium)',
  () => {
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
      f = await routeFixture(t, organizer, 1, 6);
      await assignRoute(t, organizer, f.turfIds[0], [volunteer.userId]);
    }, 120_000);

    async function open(language: 'en' | 'es'): Promise<{ context: BrowserContext; page: Page }> {
      const context = await browser.newContext({ locale: language === 'es' ? 'es-US' : 'en-US', viewport: { width: 1280, height: 900 } });
      await context.addInitScript((lang) => localStorage.setItem('porchlight.language', lang), language);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(`${product.url}/login`);
      await page.getByLabel(language === 'es' ? 'Correo electrónico' : 'E-mail').fill(coordinator.email);
      await page.getByLabel(language === 'es' ? 'Contraseña' : 'Password').fill(coordinator.password);
      await page.getByRole('button', { name: language === 'es' ? 'Entrar' : 'Sign in', exact: true }).click();
      await page.waitForURL('**/app/console**');
      return { context, page };
    }

    it('adds, changes and retires materials, chooses the campaign’s, and shows the stock left and the low-stock warning in both languages', async () => {
      const { context, page } = await open('en');
      await page.getByRole('link', { name: 'Materials', exact: true }).click();
      await page.getByRole('heading', { name: 'Materials', level: 1 }).waitFor();

      // A Spanish card, named in both languages of the app, with a stock and a warning level.
      const suffix = randomUUID().slice(0, 4);
      const nameEn = `Know your rights card (Spanish) ${suffix}`;
      const nameEs = `Tarjeta conozca sus derechos ${suffix}`;
      await page.getByRole('button', { name: 'Add a material' }).click();
      const form = page.getByTestId('material-form');
      await form.getByLabel('Name in English').fill(nameEn);
      await form.getByLabel('Name in Spanish').fill(nameEs);
      await form.getByLabel('Kind').selectOption('kyr_card');
      await form.getByLabel('Language of the material').selectOption('es');
      await form.getByLabel('In stock').fill('100');
      await form.getByLabel('Warn when the stock is at or below (optional)').fill('50');
      await screenshot(page, 'materials-new');
      await form.getByRole('button', { name: 'Add material' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `${nameEn} was added.` })
        .waitFor();
      const [card] = await t.db.query<
        { id: string; name: string; names: object; language: string; stock: number; low_stock_threshold: number }[]
      >('SELECT id, name, names, language, stock, low_stock_threshold FROM materials WHERE organization_id = $1 AND name = $2', [
        organizer.organizationId,
        nameEn,
      ]);
      expect(card).toMatchObject({ names: { en: nameEn, es: nameEs }, language: 'es', stock: 100, low_stock_threshold: 50 });

      // The same name in the same language again: the server's refusal is worded by the app, on the field.
      await page.getByRole('button', { name: 'Add a material' }).click();
      await form.getByLabel('Name in English').fill(nameEn);
      await form.getByLabel('Name in Spanish').fill(`${nameEs} bis`);
      await form.getByLabel('Language of the material').selectOption('es');
      await form.getByRole('button', { name: 'Add material' }).click();
      await form.getByRole('alert').filter({ hasText: 'There is already a material with this name in this language.' }).waitFor();
      expect(await form.getByLabel('Name in English').getAttribute('aria-invalid')).toBe('true');
      await form.getByRole('button', { name: 'Cancel' }).click();

      // Change the stock and the warning level: 80 counted on the shelf, warn at 80.
      await page.getByRole('button', { name: `Change ${nameEn}` }).click();
      await form.getByLabel('In stock').fill('80');
      await form.getByLabel('Warn when the stock is at or below (optional)').fill('80');
      await form.getByRole('button', { name: 'Save changes' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `${nameEn} was saved.` })
        .waitFor();
      const row = page.getByTestId(`material-${card.id}`);
      // Low is said in words, not by colour alone.
      await row.getByText('Low stock').waitFor();

      // Retire the hotline card: it asks first, and the card leaves the list of materials in use.
      const hotline = (await t.db.query<{ name: string }[]>('SELECT name FROM materials WHERE id = $1', [f.materials.hotlineEs]))[0].name;
      page.once('dialog', (d) => void d.accept());
      await page.getByRole('button', { name: `Retire ${hotline}` }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `${hotline} was retired.` })
        .waitFor();
      await page.getByTestId(`material-${f.materials.hotlineEs}`).waitFor({ state: 'detached' });
      await page.getByLabel('Show').selectOption('retired');
      await page.getByTestId(`material-${f.materials.hotlineEs}`).waitFor();
      await screenshot(page, 'materials-list');

      // The campaign hands out the new card too.
      await page.goto(`${product.url}/app/console/campaigns/${f.campaignId}/materials`);
      const choice = page.getByTestId('campaign-materials-form');
      await choice.getByRole('checkbox', { name: new RegExp(`^${nameEn.replace(/[()]/g, '\\$&')}`) }).check();
      await choice.getByRole('button', { name: "Save the campaign's materials" }).click();
      await page.getByRole('status').filter({ hasText: "The campaign's materials were saved." }).waitFor();
      const chosen = await t.db.query<{ material_id: string }[]>('SELECT material_id FROM campaign_materials WHERE campaign_id = $1', [
        f.campaignId,
      ]);
      expect(chosen.map((c) => c.material_id).sort()).toEqual([f.materials.kyrEs, f.materials.kyrEn, card.id].sort());
      await context.close();

      // The volunteer's phone: takes 20 at check-in, leaves one at a door, brings 19 back.
      const turfId = f.turfIds[0];
      const door = f.doors.get(turfId)!.find((d) => d.unit === null)!.id;
      const shiftId = randomUUID();
      const phone = await sync(t, volunteer, [
        { kind: 'check_in', id: shiftId, turfId, startedAt: ago(3), materialsTaken: [{ materialId: card.id, quantity: 20 }] },
        {
          kind: 'visit',
          id: randomUUID(),
          turfId,
          doorId: door,
          shiftId,
          outcome: 'talked',
          language: 'es',
          recordedAt: ago(2),
          materials: [{ materialId: card.id, quantity: 1 }],
        },
        { kind: 'check_out', id: randomUUID(), shiftId, endedAt: ago(1), materialsReturned: [{ materialId: card.id, quantity: 19 }] },
      ]).expect(200);
      expect(phone.body.counts).toMatchObject({ created: 3 });
      expect((await t.db.query<{ stock: number }[]>('SELECT stock FROM materials WHERE id = $1', [card.id]))[0].stock).toBe(79);
      await waitFor(
        async () =>
          (
            (await t.http().get(`/campaigns/${f.campaignId}/coverage`).set(bearer(coordinator)).expect(200)).body.materials as {
              materialId: string;
            }[]
          ).some((m) => m.materialId === card.id),
        30_000,
        'the rollup of the visit',
      );

      // The dashboard in Spanish: the card under its Spanish name, 1 left at a door, 79 in stock, and the warning in words.
      const es = await open('es');
      await es.page.goto(`${product.url}/app/console/campaigns/${f.campaignId}/coverage`);
      const alert = es.page.getByTestId('low-stock');
      await alert.getByRole('heading', { name: 'Materiales con existencias bajas' }).waitFor();
      await alert.getByText(`${nameEs} (Español): quedan 79, aviso en 80`).waitFor();
      const tableRow = es.page.getByTestId(`material-row-${card.id}`);
      await tableRow.getByRole('rowheader', { name: nameEs }).waitFor();
      const cells = await tableRow.locator('td').allTextContents();
      expect(cells).toEqual(['Tarjeta «conozca sus derechos»', 'Español', '1', '0', expect.stringMatching(/^79\s*⚠ Existencias bajas$/)]);
      await screenshot(es.page, 'materials-dashboard-es');
      await es.context.close();
    });
  },
);
