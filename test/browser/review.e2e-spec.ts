/// <reference lib="dom" />
// page.addInitScript() callbacks run in the browser and use its globals.
import { randomUUID } from 'node:crypto';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { describeWithBrowser, Product, screenshot, useBrowserRig } from '../support/browser';
import { TestApp } from '../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer } from '../support/factories';
import { assignRoute, RouteFixture, routeFixture, sync } from '../support/field';
import { waitFor } from '../support/processes';

type Member = Awaited<ReturnType<typeof addMember>>;

interface Stop {
  doorId: string;
  number: string;
  street: string;
  unit: string | null;
}

interface Visit {
  id: string;
  status: 'accepted' | 'quarantined' | 'discarded';
  quarantineReason: string | null;
  clockFlag: string | null;
}

interface SyncResult {
  id: string;
  status: string;
  flags?: string[];
}

const address = (s: Stop) => `${s.number} ${s.street}`;

describeWithBrowser('visits held for review and doubted phone clocks on the dashboard (built app, real Chromium)', () => {
  let product: Product;
  let browser: Browser;
  let t: TestApp;
  let organizer: OrganizerSession;
  let coordinator: Member;
  let volunteer: Member;
  let f: RouteFixture;
  /** The route taken off the volunteer, and the one they keep. */
  let released: { id: string; name: string; houses: Stop[] };
  let kept: { id: string; name: string; houses: Stop[] };

  useBrowserRig((rig) => ({ t, product, browser } = rig));

  const visit = (turfId: string, door: Stop, outcome: string, recordedAt: string, extra: Record<string, unknown> = {}) => ({
    kind: 'visit',
    id: randomUUID(),
    turfId,
    doorId: door.doorId,
    outcome,
    recordedAt,
    materials: [],
    ...extra,
  });

  const synced = async (items: ReturnType<typeof visit>[]) => (await sync(t, volunteer, items).expect(200)).body.results as SyncResult[];

  const visits = async (query: string) =>
    (await t.http().get(`/campaigns/${f.campaignId}/visits?${query}`).set(bearer(organizer)).expect(200)).body as {
      items: Visit[];
      total: number;
    };

  beforeAll(async () => {
    organizer = await signupOrganizer(t);
    coordinator = await addMember(t, organizer, 'coordinator');
    volunteer = await addMember(t, organizer, 'volunteer');
    // Two routes of a six-unit building and four houses, imported and cut by the product's worker.
    f = await routeFixture(t, organizer, 2, 4);
    const route = async (turfId: string) => {
      const body = (await t.http().get(`/turfs/${turfId}`).set(bearer(organizer)).expect(200)).body as { name: string; stops: Stop[] };
      return { id: turfId, name: body.name, houses: body.stops.filter((s) => s.unit === null) };
    };
    released = await route(f.turfIds[0]);
    kept = await route(f.turfIds[1]);
    await assignRoute(t, organizer, released.id, [volunteer.userId]);
    await assignRoute(t, organizer, kept.id, [volunteer.userId]);
  }, 120_000);

  async function openDashboard(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${product.url}/login`);
    await page.getByLabel('E-mail').fill(coordinator.email);
    await page.getByLabel('Password').fill(coordinator.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/app/console**');
    await page.goto(`${product.url}/app/console/campaigns/${f.campaignId}/coverage`);
    return page;
  }

  it('lists the visits held for review and the doubted clock; a coordinator accepts one and discards the other', async () => {
    // Every phone time comes after the assignment: only the clock three hours ahead is in doubt.
    const [normal] = await synced([visit(released.id, released.houses[0], 'talked', new Date().toISOString())]);
    expect(normal.status).toBe('created');
    const aheadVisit = visit(kept.id, kept.houses[0], 'not_home', new Date(Date.now() + 3 * 3600_000).toISOString());
    const [ahead] = await synced([aheadVisit]);
    expect(ahead).toMatchObject({ status: 'created', flags: ['ahead'] });

    // Two more doors walked offline; the organizer releases the route before the phone syncs them.
    const walkedAt = new Date().toISOString();
    const accept = visit(released.id, released.houses[1], 'talked', walkedAt, { followUp: true, language: 'es' });
    const discard = visit(released.id, released.houses[2], 'refused', walkedAt);
    await t.http().delete(`/turfs/${released.id}/assignment`).set(bearer(organizer)).expect(200);
    expect((await synced([accept, discard])).map((r) => r.status)).toEqual(['quarantined', 'quarantined']);

    // The worker's rollup has counted the two accepted visits before the dashboard opens.
    await waitFor(
      async () => (await t.http().get(`/campaigns/${f.campaignId}/coverage`).set(bearer(organizer)).expect(200)).body.visits === 2,
      30_000,
      'the rollup of the synced visits',
    );

    // The coordinator reads the console in English (their own language is Spanish: see the next test).
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 900 } });
    await context.addInitScript(() => localStorage.setItem('porchlight.language', 'en'));
    const page = await openDashboard(context);

    const held = page.getByRole('table', { name: 'Visits held for review' });
    await held.waitFor();
    expect(await held.locator('tbody tr').count()).toBe(2);
    const acceptRow = held.getByRole('row', { name: new RegExp(`^${address(released.houses[1])} `) });
    for (const text of [released.name, 'A volunteer', 'talked', 'Route released while the phone was offline']) {
      expect(await acceptRow.textContent()).toContain(text);
    }
    expect(await held.getByRole('row', { name: new RegExp(`^${address(released.houses[2])} `) }).textContent()).toContain('refused');

    const clocks = page.getByRole('table', { name: 'Phone clocks in doubt' });
    await clocks.waitFor();
    expect(await clocks.locator('tbody tr').count()).toBe(1);
    const aheadRow = clocks.getByRole('row', { name: new RegExp(`^${address(kept.houses[0])} `) });
    for (const text of [kept.name, 'A volunteer', 'not home', 'Phone clock ahead of the server']) {
      expect(await aheadRow.textContent()).toContain(text);
    }
    // Held visits do not count yet: the visit before the release and the one with the doubted clock do.
    const visitsFigure = page.getByTestId('figure-visits-value');
    await visitsFigure.filter({ hasText: /^2$/ }).waitFor();
    await screenshot(page, 'dashboard-review-before');

    // Accepting makes the visit count, with its follow-up.
    await page.getByRole('button', { name: `Accept the visit to ${address(released.houses[1])}`, exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Visit to ${address(released.houses[1])} accepted: it now counts.` })
      .waitFor();
    expect(await held.locator('tbody tr').count()).toBe(1);
    await visitsFigure.filter({ hasText: /^3$/ }).waitFor();
    await page.getByTestId('figure-followUpsOpen-value').filter({ hasText: /^1$/ }).waitFor();

    // Discarding asks first.
    const dialogs: string[] = [];
    page.once('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.accept();
    });
    await page.getByRole('button', { name: `Discard the visit to ${address(released.houses[2])}`, exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Visit to ${address(released.houses[2])} discarded.` })
      .waitFor();
    expect(dialogs).toEqual([`confirm: Discard the visit to ${address(released.houses[2])}? It stays on record but will never count.`]);
    await page.getByText('Nothing is waiting for review.').waitFor();
    expect(await held.count()).toBe(0);
    // The doubted clock is still listed: it is only there to be read.
    expect(await clocks.locator('tbody tr').count()).toBe(1);
    await screenshot(page, 'dashboard-review-after');
    await context.close();

    expect((await visits('status=quarantined')).total).toBe(0);
    const all = new Map((await visits('limit=100')).items.map((v) => [v.id, v]));
    expect(all.get(accept.id)).toMatchObject({ status: 'accepted', quarantineReason: 'assignment_released' });
    expect(all.get(discard.id)).toMatchObject({ status: 'discarded', quarantineReason: 'assignment_released' });
    expect(all.get(aheadVisit.id)).toMatchObject({ status: 'accepted', clockFlag: 'ahead' });
    expect(all.get(normal.id)).toMatchObject({ status: 'accepted', clockFlag: null });
  }, 90_000);

  it('says so, in Spanish, when someone else reviewed the visit first, and shows the list as it is now', async () => {
    const late = visit(released.id, released.houses[3], 'not_home', new Date().toISOString());
    expect((await synced([late]))[0].status).toBe('quarantined');

    // The coordinator reads it in Spanish, chosen in the header once signed in (the login page's
    // English would otherwise stay).
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 900 } });
    const page = await openDashboard(context);
    await page.getByTestId('language-switch').selectOption('es');
    const held = page.getByRole('table', { name: 'Visitas pendientes de revisión' });
    await held.getByRole('row', { name: new RegExp(`^${address(released.houses[3])} `) }).waitFor();
    expect(await held.textContent()).toContain('Ruta liberada mientras el teléfono estaba sin conexión');
    const clocks = page.getByRole('table', { name: 'Teléfonos con la hora dudosa' });
    await clocks.waitFor();
    expect(await clocks.textContent()).toContain('Reloj del teléfono adelantado respecto al servidor');

    // The organizer accepts it while the coordinator's discard is on its way.
    await page.route('**/visits/*/review', async (route) => {
      await t.http().post(`/visits/${late.id}/review`).set(bearer(organizer)).send({ decision: 'accept' }).expect(200);
      await route.continue();
    });
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: `Descartar la visita a ${address(released.houses[3])}`, exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Otra persona ya revisó la visita a ${address(released.houses[3])}. La lista ya está al día.` })
      .waitFor();
    await held.getByRole('row', { name: new RegExp(`^${address(released.houses[3])} `) }).waitFor({ state: 'detached' });
    await page.getByText('No hay nada pendiente de revisión.').waitFor();
    await screenshot(page, 'dashboard-review-conflict-es');
    await context.close();

    expect((await visits('limit=100')).items.find((v) => v.id === late.id)).toMatchObject({ status: 'accepted' });
  }, 90_000);
});
