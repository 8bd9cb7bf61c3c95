/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// page.evaluate() callbacks run in the browser and use its globals.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { describeWithBrowser, Product, screenshot, useBrowserRig } from '../support/browser';
import { TestApp } from '../support/create-test-app';
import { addMember, bearer, Session, signupOrganizer, STRONG_PASSWORD, uniqueEmail } from '../support/factories';
import { ENGLISH_ONLY, englishOn as englishWordsOn, tokens } from '../support/english-words';
import { waitFor } from '../support/processes';

type Lang = 'en' | 'es';
type Tree = { [k: string]: string | Tree };
type Params = Record<string, string | number>;

const LOCALES = join(__dirname, '..', '..', 'apps', 'web', 'src', 'i18n', 'locales');
const localeFile = (lang: Lang, file: string) => JSON.parse(readFileSync(join(LOCALES, lang, `${file}.json`), 'utf8')) as Tree;

/**
 * The app's own wording in one language: `words('console:route.assignButton')`, with the
 * placeholders filled in and `count` choosing the plural form, as i18next does.
 */
function wording(lang: Lang) {
  const files = new Map<string, Tree>();
  const lookup = (file: string, path: string): string | undefined => {
    if (!files.has(file)) files.set(file, localeFile(lang, file));
    let node: string | Tree | undefined = files.get(file);
    for (const part of path.split('.')) node = typeof node === 'object' ? node[part] : undefined;
    return typeof node === 'string' ? node : undefined;
  };
  return (key: string, params: Params = {}): string => {
    const [file, path] = key.split(':');
    const plural = typeof params.count === 'number' ? `${path}_${params.count === 1 ? 'one' : 'other'}` : undefined;
    const text = (plural && lookup(file, plural)) ?? lookup(file, path);
    if (text === undefined) throw new Error(`no ${lang} wording for ${key}`);
    return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(params[name] ?? `{{${name}}}`));
  };
}

/** The test's own data, as typed: the organization, people, campaign, streets and the materials' Spanish names. */
const ORGANIZATION = 'Vecinos de Reynoldstown';
const CAMPAIGN = 'Reynoldstown KYR';
const STREETS = ['Wylie St SE', 'Kirkwood Ave SE'];
const PEOPLE = { organizer: 'Olivia', coordinator: 'Carmen', veteran: 'Rosa', volunteer: 'Marisol' };
const DATA_WORDS = new Set(tokens([ORGANIZATION, CAMPAIGN, ...STREETS, ...Object.values(PEOPLE)].join(' ')));
const englishOn = (page: Page) => englishWordsOn(page, DATA_WORDS);

const CARDS = {
  es: { names: { en: 'Know your rights card (Spanish)', es: 'Tarjeta conozca sus derechos (español)' }, language: 'es', stock: 200 },
  en: { names: { en: 'Know your rights card (English)', es: 'Tarjeta conozca sus derechos (inglés)' }, language: 'en', stock: 150 },
};

/** Ten houses on each of two streets about a kilometre apart: two turfs of ten doors. */
function addressFile(): Buffer {
  const rows = ['LON,LAT,NUMBER,STREET,UNIT'];
  STREETS.forEach((street, s) => {
    for (let h = 1; h <= 10; h++)
      rows.push(`${(-84.35 + h * 0.0002).toFixed(5)},${(33.74 + s * 0.01).toFixed(5)},${100 + 2 * h},${street},`);
  });
  return Buffer.from(rows.join('\n'));
}

describeWithBrowser('first day: organizer, coordinator and volunteer through the console and the field app (built app, Chromium)', () => {
  let product: Product;
  let browser: Browser;
  let t: TestApp;
  useBrowserRig((rig) => ({ t, product, browser } = rig));

  it('has English-only words to look for', () => {
    for (const w of ['the', 'and', 'your', 'turf', 'sign', 'door', 'route', 'stock']) expect(ENGLISH_ONLY.has(w)).toBe(true);
    for (const w of ['zona', 'puerta', 'english', 'porchlight']) expect(ENGLISH_ONLY.has(w)).toBe(false);
  });

  /**
   * One first day, every step through the browser in `lang`, chosen on the login page (the join
   * page for the volunteer) while the browsers themselves are set to English.
   */
  async function firstDay(lang: Lang) {
    const w = wording(lang);
    const seen: string[] = [];
    /** Waits for the screen, saves a picture of it and, in Spanish, checks that it shows no English. */
    const screen = async (page: Page, name: string, ready: () => Promise<unknown>) => {
      await ready();
      // Let late requests (counts, lists) settle before reading; live pages keep a stream open.
      await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => undefined);
      await screenshot(page, `first-day-${lang}-${name}`);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      // The same look at an English screen finds English: the check cannot pass by seeing nothing.
      const english = await englishOn(page);
      if (lang === 'es') expect({ name, english }).toEqual({ name, english: [] });
      else expect({ name, found: english.length > 0 }).toEqual({ name, found: true });
      seen.push(name);
    };
    const contexts: BrowserContext[] = [];
    const open = async (viewport: { width: number; height: number }) => {
      const context = await browser.newContext({ locale: 'en-US', viewport });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    };
    const signIn = async (page: Page, who: Session, name: string) => {
      await page.goto(`${product.url}/login`);
      await page.getByTestId('language-switch').selectOption(lang);
      await screen(page, `${name}-login`, () => page.getByRole('button', { name: w('common:auth.signIn'), exact: true }).waitFor());
      await page.getByLabel(w('common:auth.email')).fill(who.email);
      await page.getByLabel(w('common:auth.password')).fill(who.password);
      await page.getByRole('button', { name: w('common:auth.signIn'), exact: true }).click();
      await page.waitForURL('**/app/console');
    };
    const turfLabel = (name: string) => w('common:turf.numbered', { number: name });
    const consoleNav = (page: Page, label: string) =>
      page.getByRole('navigation', { name: w('console:nav.label') }).getByRole('link', { name: label, exact: true });
    const campaignTab = (page: Page, label: string) =>
      page.getByRole('navigation', { name: w('console:campaign.tabs.label') }).getByRole('link', { name: label, exact: true });

    // Set-up: the organizer's account, a coordinator and a volunteer who walks already, all of them
    // with English saved on their accounts.
    const organizer = await signupOrganizer(t, ORGANIZATION);
    const coordinator = await addMember(t, organizer, 'coordinator');
    const veteran = await addMember(t, organizer, 'volunteer');
    for (const [who, displayName] of [
      [organizer, PEOPLE.organizer],
      [coordinator, PEOPLE.coordinator],
      [veteran, PEOPLE.veteran],
    ] as const)
      await t.http().patch('/me').set(bearer(who)).send({ language: 'en', displayName }).expect(200);

    // 1. The organizer: a campaign, its addresses, two materials, the campaign's choice of them,
    // turfs, and a route for the volunteer who walks already.
    const desk = await open({ width: 1366, height: 900 });
    await signIn(desk, organizer, 'organizer');
    await screen(desk, 'campaigns', () => desk.getByRole('button', { name: w('console:campaigns.new') }).waitFor());
    await desk.getByRole('button', { name: w('console:campaigns.new') }).click();
    await desk.getByLabel(w('console:campaigns.name'), { exact: true }).fill(CAMPAIGN);
    await desk.getByLabel(w('console:campaigns.timeZone')).fill('America/New_York');
    await screen(desk, 'new-campaign', () => desk.getByRole('button', { name: w('console:campaigns.create') }).waitFor());
    await desk.getByRole('button', { name: w('console:campaigns.create') }).click();
    await desk.waitForURL(/\/app\/console\/campaigns\/[0-9a-f-]{36}$/);
    const campaignId = /campaigns\/([0-9a-f-]{36})/.exec(desk.url())![1];
    const [campaign] = await t.db.query<{ name: string; organization_id: string }[]>(
      'SELECT name, organization_id FROM campaigns WHERE id = $1',
      [campaignId],
    );
    expect(campaign).toEqual({ name: CAMPAIGN, organization_id: organizer.organizationId });

    await desk
      .getByLabel(w('console:import.file'))
      .setInputFiles({ name: 'reynoldstown.csv', mimeType: 'text/csv', buffer: addressFile() });
    await desk.getByRole('button', { name: w('console:import.upload') }).click();
    await screen(desk, 'import-report', () => desk.getByTestId('import-report').waitFor({ timeout: 60_000 }));
    expect(await desk.getByTestId('rows-imported').textContent()).toBe('20');
    const countDoors = async () =>
      (await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM doors WHERE campaign_id = $1', [campaignId]))[0].n;
    expect(await countDoors()).toBe(20);

    // Two know-your-rights cards in the console's Materials page, with their stock.
    await consoleNav(desk, w('materials:nav')).click();
    await screen(desk, 'materials-empty', () => desk.getByText(w('materials:none')).waitFor());
    const form = desk.getByTestId('material-form');
    for (const card of [CARDS.es, CARDS.en]) {
      await desk.getByRole('button', { name: w('materials:new') }).click();
      await form.getByLabel(w('materials:nameEn')).fill(card.names.en);
      await form.getByLabel(w('materials:nameEs')).fill(card.names.es);
      await form.getByLabel(w('materials:kind')).selectOption('kyr_card');
      await form.getByLabel(w('materials:language')).selectOption(card.language);
      await form.getByRole('spinbutton', { name: w('materials:stock'), exact: true }).fill(String(card.stock));
      if (card === CARDS.es) await screen(desk, 'material-form', () => form.waitFor());
      await form.getByRole('button', { name: w('materials:create') }).click();
      await desk
        .getByRole('status')
        .filter({ hasText: w('materials:created', { name: card.names[lang] }) })
        .waitFor();
    }
    const materials = await t.db.query<{ id: string; language: string; names: object; kind: string; stock: number }[]>(
      'SELECT id, language, names, kind, stock FROM materials WHERE organization_id = $1 ORDER BY language DESC',
      [organizer.organizationId],
    );
    expect(materials).toEqual([
      { id: expect.any(String), language: 'es', names: CARDS.es.names, kind: 'kyr_card', stock: 200 },
      { id: expect.any(String), language: 'en', names: CARDS.en.names, kind: 'kyr_card', stock: 150 },
    ]);
    const [spanishCard, englishCard] = materials.map((m) => m.id);
    const shownStock = async () =>
      (await desk.getByTestId(`material-${spanishCard}`).getByTestId('material-stock').locator('span').first().textContent())!.trim();
    await screen(desk, 'materials', () => desk.getByTestId(`material-${englishCard}`).waitFor());
    const stockBefore = Number(await shownStock());
    expect(stockBefore).toBe(CARDS.es.stock);

    // The campaign hands out both.
    await consoleNav(desk, w('console:nav.campaigns')).click();
    await desk.getByRole('link', { name: CAMPAIGN, exact: true }).click();
    await campaignTab(desk, w('materials:campaign.tab')).click();
    const choice = desk.getByTestId('campaign-materials-form');
    for (const card of [CARDS.es, CARDS.en])
      await choice.getByRole('checkbox', { name: new RegExp(`^${card.names[lang].replace(/[()]/g, '\\$&')} \\(`) }).check();
    await screen(desk, 'campaign-materials', () => choice.waitFor());
    await choice.getByRole('button', { name: w('materials:campaign.save') }).click();
    await desk
      .getByRole('status')
      .filter({ hasText: w('materials:campaign.saved') })
      .waitFor();
    const chosen = await t.db.query<{ material_id: string }[]>('SELECT material_id FROM campaign_materials WHERE campaign_id = $1', [
      campaignId,
    ]);
    expect(chosen.map((c) => c.material_id).sort()).toEqual([spanishCard, englishCard].sort());

    // Cut into turfs of ten doors: a preview, then saved.
    await campaignTab(desk, w('console:campaign.tabs.turfs')).click();
    await screen(desk, 'turfs-none', () => desk.getByText(w('console:turfs.noneYet')).waitFor());
    await desk.getByLabel(w('console:cut.doorsPerTurf')).fill('10');
    await desk.getByRole('button', { name: w('console:cut.preview'), exact: true }).click();
    await screen(desk, 'cut-preview', () => desk.getByTestId('cut-preview').waitFor());
    await desk.getByRole('button', { name: w('console:cut.accept') }).click();
    await desk
      .getByTestId('turfs-notice')
      .getByText(w('console:cut.saved', { count: 2 }))
      .waitFor();
    const turfs = await t.db.query<{ id: string; name: string; door_count: number }[]>(
      'SELECT id, name, door_count FROM turfs WHERE campaign_id = $1 ORDER BY name',
      [campaignId],
    );
    expect(turfs.map((x) => [x.name, x.door_count])).toEqual([
      ['1', 10],
      ['2', 10],
    ]);
    const [first, second] = turfs;
    const table = desk.getByTestId('turfs-table');
    await desk.waitForFunction(() => document.querySelectorAll('[data-testid="turfs-table"] tbody tr').length === 2);

    // The second route goes to the volunteer who walks already.
    const assign = async (page: Page, turfName: string, volunteer: string) => {
      await page
        .getByTestId('turfs-table')
        .getByRole('button', { name: turfLabel(turfName), exact: true })
        .click();
      const panel = page.getByTestId('route-panel');
      await panel.getByRole('heading', { name: w('console:route.title', { name: turfLabel(turfName) }) }).waitFor();
      await panel.getByLabel(w('console:route.volunteer'), { exact: true }).selectOption({ label: volunteer });
      await panel.getByRole('button', { name: w('console:route.assignButton') }).click();
      await panel.getByText(w('console:route.assigned', { names: volunteer })).waitFor();
      return panel;
    };
    await screen(desk, 'turfs', () => table.getByRole('button', { name: turfLabel(second.name), exact: true }).waitFor());
    await assign(desk, second.name, PEOPLE.veteran);
    await screen(desk, 'route-assigned', () => desk.getByTestId('route-panel').waitFor());
    const assignees = async (turfId: string) =>
      (
        await t.db.query<{ assignee_ids: string[] }[]>(
          `SELECT assignee_ids FROM route_assignments WHERE turf_id = $1 AND status = 'assigned'`,
          [turfId],
        )
      ).flatMap((r) => r.assignee_ids);
    expect(await assignees(second.id)).toEqual([veteran.userId]);

    // 2. The coordinator invites a volunteer from the Members page.
    const office = await open({ width: 1366, height: 900 });
    await signIn(office, coordinator, 'coordinator');
    await screen(office, 'coordinator-campaigns', () => office.getByRole('link', { name: CAMPAIGN, exact: true }).waitFor());
    await consoleNav(office, w('console:nav.members')).click();
    await screen(office, 'members', () => office.getByTestId('invite-volunteers-only').waitFor());
    await office.getByRole('button', { name: w('console:invites.create') }).click();
    const inviteUrl = office.getByTestId('invite-url');
    await screen(office, 'invite-created', () => inviteUrl.waitFor());
    const link = await inviteUrl.inputValue();
    expect(link.startsWith(`${product.url}/join#`)).toBe(true);

    // 3. The volunteer opens the link on a phone, chooses the language and joins.
    const phone = await open({ width: 390, height: 844 });
    await phone.goto(link);
    await phone.getByTestId('invite-summary').waitFor();
    await phone.getByTestId('language-switch').selectOption(lang);
    const role = w('common:roles.volunteer');
    await screen(phone, 'join', () =>
      phone
        .getByTestId('invite-summary')
        .filter({ hasText: w('common:join.summary', { organization: ORGANIZATION, role }) })
        .waitFor(),
    );
    const email = uniqueEmail('marisol');
    await phone.getByLabel(w('common:auth.email')).fill(email);
    await phone.getByLabel(w('common:join.displayName')).fill(PEOPLE.volunteer);
    await phone.getByLabel(w('common:join.newPassword')).fill(STRONG_PASSWORD);
    await phone.getByRole('button', { name: w('common:join.accept'), exact: true }).click();
    await phone.waitForURL('**/app/field**');
    await screen(phone, 'field-no-routes', () => phone.getByText(w('field:routes.none')).waitFor());
    const [joined] = await t.db.query<{ id: string; language: string; display_name: string }[]>(
      'SELECT id, language, display_name FROM users WHERE email = $1',
      [email],
    );
    expect(joined).toMatchObject({ language: lang, display_name: PEOPLE.volunteer });

    // The coordinator hands the first route to the new volunteer.
    await consoleNav(office, w('console:nav.campaigns')).click();
    await office.getByRole('link', { name: CAMPAIGN, exact: true }).click();
    await campaignTab(office, w('console:campaign.tabs.turfs')).click();
    await screen(office, 'coordinator-turfs', () =>
      office
        .getByTestId('turfs-table')
        .getByRole('button', { name: turfLabel(first.name), exact: true })
        .waitFor(),
    );
    await assign(office, first.name, PEOPLE.volunteer);
    await screen(office, 'coordinator-route-assigned', () => office.getByTestId('route-panel').waitFor());
    expect(await assignees(first.id)).toEqual([joined.id]);

    // The route is on the phone once it opens again.
    await phone.reload();
    const routeCard = phone.getByTestId(`route-${first.id}`);
    await screen(phone, 'field-routes', () => routeCard.waitFor());

    // Check-in on that route with 20 Spanish cards.
    const fieldNav = (label: string) => phone.getByRole('link', { name: label, exact: true });
    const spanishLabel = `${CARDS.es.names[lang]} · ES`;
    await fieldNav(w('field:nav.shift')).click();
    await phone.getByRole('button', { name: w('field:shift.checkIn') }).waitFor();
    await phone.getByLabel(w('field:shift.route')).selectOption(first.id);
    await phone.getByLabel(spanishLabel, { exact: true }).fill('20');
    await screen(phone, 'check-in', () => phone.getByLabel(`${CARDS.en.names[lang]} · EN`, { exact: true }).waitFor());
    await phone.getByRole('button', { name: w('field:shift.checkIn') }).click();
    await screen(phone, 'on-shift', () => phone.getByRole('button', { name: w('field:shift.checkOut') }).waitFor());

    // The first door: talked, in Spanish, one Spanish card left.
    await fieldNav(w('field:nav.routes')).click();
    await routeCard.getByRole('link').first().click();
    const door = phone.getByTestId('current-door');
    await screen(phone, 'door', () => door.waitFor());
    const doorId = (await door.getAttribute('data-door-id'))!;
    await phone.getByRole('button', { name: spanishLabel, exact: true }).click();
    await phone.getByTestId('conversation-language').selectOption('es');
    await phone.getByRole('button', { name: w('field:outcomes.talked'), exact: true }).click();
    await screen(phone, 'door-recorded', () => phone.getByTestId('undo').waitFor());

    // Check-out bringing 19 back.
    await fieldNav(w('field:nav.shift')).click();
    await phone.getByLabel(w('field:shift.returnedOf', { material: spanishLabel, taken: 20 })).fill('19');
    await screen(phone, 'check-out', () => phone.getByRole('button', { name: w('field:shift.checkOut') }).waitFor());
    await phone.getByRole('button', { name: w('field:shift.checkOut') }).click();
    await phone.getByText(w('field:shift.checkedOut')).waitFor();
    await phone.waitForFunction(() => document.querySelector('[data-testid="outbox-count"]')?.getAttribute('data-count') === '0');
    await screen(phone, 'checked-out', () =>
      phone
        .getByTestId('outbox-count')
        .filter({ hasText: w('field:sync.allSent') })
        .waitFor(),
    );

    // What the server holds: one shift, 20 taken and 19 back; one visit with one card.
    await waitFor(
      async () =>
        (
          await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM shifts WHERE user_id = $1 AND ended_at IS NOT NULL', [
            joined.id,
          ])
        )[0].n === 1,
      20_000,
      'the check-out on the server',
    );
    const shiftMaterials = await t.db.query<{ material_id: string; taken: number; returned: number }[]>(
      'SELECT m.material_id, m.taken, m.returned FROM shift_materials m JOIN shifts s ON s.id = m.shift_id WHERE s.user_id = $1',
      [joined.id],
    );
    expect(shiftMaterials).toEqual([{ material_id: spanishCard, taken: 20, returned: 19 }]);
    const visits = await t.db.query<{ door_id: string; outcome: string; language: string; material_id: string; quantity: number }[]>(
      `SELECT v.door_id, v.outcome, v.language, m.material_id, m.quantity
         FROM visits v JOIN visit_materials m ON m.visit_id = v.id WHERE v.user_id = $1`,
      [joined.id],
    );
    expect(visits).toEqual([{ door_id: doorId, outcome: 'talked', language: 'es', material_id: spanishCard, quantity: 1 }]);

    // 4. The stock is one lower: in the database, and on the Materials page.
    const stockLeft = async (id: string) =>
      (await t.db.query<{ stock: number }[]>('SELECT stock FROM materials WHERE id = $1', [id]))[0].stock;
    expect(await stockLeft(spanishCard)).toBe(stockBefore - 1);
    expect(await stockLeft(englishCard)).toBe(CARDS.en.stock);
    await consoleNav(desk, w('materials:nav')).click();
    await screen(desk, 'materials-after', () => desk.getByTestId(`material-${spanishCard}`).waitFor());
    expect(Number(await shownStock())).toBe(stockBefore - 1);

    // The coordinator's dashboard: the Spanish card under materials by language, one left at a
    // door, none out with volunteers, and the stock left.
    await campaignTab(office, w('console:campaign.tabs.coverage')).click();
    const byLanguage = office.getByRole('region', { name: w('materials:dashboard.title') }).getByTestId('materials-by-language');
    const row = byLanguage.getByTestId(`material-row-${spanishCard}`);
    const spanish = new Intl.DisplayNames([lang], { type: 'language' }).of('es')!;
    const expected = [
      w('dashboard:materialKind.kyr_card'),
      spanish.charAt(0).toLocaleUpperCase(lang) + spanish.slice(1),
      '1',
      '0',
      String(stockBefore - 1),
    ];
    await screen(office, 'dashboard', () =>
      waitFor(
        async () => JSON.stringify((await row.locator('td').allTextContents()).map((c) => c.trim())) === JSON.stringify(expected),
        30_000,
        'the Spanish card with its stock on the dashboard',
      ),
    );
    expect(await row.getByRole('rowheader').textContent()).toBe(CARDS.es.names[lang]);

    for (const c of contexts) await c.close();
    return seen;
  }

  it('in English: the card leaves the stock one lower, and the dashboard shows what is left', async () => {
    expect(await firstDay('en')).toHaveLength(29);
  }, 240_000);

  it('in Spanish, chosen on the login page: the same day, and no screen shows English', async () => {
    expect(await firstDay('es')).toHaveLength(29);
  }, 240_000);
});
