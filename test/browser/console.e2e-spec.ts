/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// page.evaluate() callbacks run in the browser and use its globals.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Browser } from 'playwright-core';
import { describeWithBrowser, Product, screenshot, useBrowserRig } from '../support/browser';
import { TestApp } from '../support/create-test-app';
import { addMember, bearer, signupOrganizer, uniqueEmail } from '../support/factories';
import { describeWithSharedData, SHARED_DATA } from '../support/shared-data';

const REYNOLDSTOWN = join(SHARED_DATA, 'addresses', 'us-ga-atlanta-reynoldstown.csv');

describeWithSharedData('organizer console (real Reynoldstown addresses)', () => {
  describeWithBrowser('campaign, import, cut, assignment and invites through the built app in Chromium', () => {
    let product: Product;
    let browser: Browser;
    let t: TestApp;

    useBrowserRig((rig) => ({ t, product, browser } = rig));

    it('imports the neighbourhood, draws and cuts turfs, hands a route to a volunteer whose visits then count, and manages members and settings', async () => {
      const organizer = await signupOrganizer(t);
      const volunteer = await addMember(t, organizer, 'volunteer');
      const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));

      // Sign in through the form.
      await page.goto(`${product.url}/login`);
      await page.getByLabel('E-mail').fill(organizer.email);
      await page.getByLabel('Password').fill(organizer.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/app/console');

      // A new campaign.
      const name = `Reynoldstown KYR ${randomUUID().slice(0, 6)}`;
      await page.getByRole('button', { name: 'New campaign' }).click();
      await page.getByLabel('Name').fill(name);
      await page.getByLabel('Description').fill('Know-your-rights cards, English and Spanish');
      await page.getByLabel('First day').fill('2026-07-01');
      await page.getByLabel('Last day').fill('2026-07-31');
      await page.getByLabel('Time zone').fill('America/New_York');
      await screenshot(page, 'console-new-campaign');
      await page.getByRole('button', { name: 'Create campaign' }).click();
      await page.waitForURL(/\/app\/console\/campaigns\/[0-9a-f-]{36}$/);
      const campaignId = /campaigns\/([0-9a-f-]{36})/.exec(page.url())![1];
      const [row] = await t.db.query<{ name: string; starts_on: string; ends_on: string }[]>(
        `SELECT name, to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on FROM campaigns WHERE id = $1 AND organization_id = $2`,
        [campaignId, organizer.organizationId],
      );
      expect(row).toEqual({ name, starts_on: '2026-07-01', ends_on: '2026-07-31' });

      // Changed after creation: a longer run, and routes volunteers may take by their code.
      await page.getByRole('button', { name: 'Edit campaign' }).click();
      await page.getByLabel('Last day').fill('2026-08-15');
      await page.getByLabel('Volunteers may take a route by typing or scanning its code').check();
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Campaign saved.').waitFor();
      const [edited] = await t.db.query<{ ends_on: string; allow_self_assignment: boolean; time_zone: string }[]>(
        `SELECT to_char(ends_on, 'YYYY-MM-DD') AS ends_on, allow_self_assignment, time_zone FROM campaigns WHERE id = $1`,
        [campaignId],
      );
      expect(edited).toEqual({ ends_on: '2026-08-15', allow_self_assignment: true, time_zone: 'America/New_York' });
      await page
        .getByTestId('campaign-summary')
        .getByText(/Aug 15, 2026/)
        .waitFor();

      // Upload the real file through the file control; wait for the progress to end and the report.
      await page.getByLabel('Address file (.csv or .geojson)').setInputFiles(REYNOLDSTOWN);
      await page.getByRole('button', { name: 'Upload and import' }).click();
      const report = page.getByTestId('import-report');
      await report.waitFor({ timeout: 90_000 });
      const status = page.getByTestId('import-status');
      expect(await status.getByRole('status').textContent()).toMatch(/Finished · 1,134 of 1,134 rows, 100 %/);
      expect(await status.locator('progress').getAttribute('value')).toBe('100');
      const imports = await fetch(`${product.url}/campaigns/${campaignId}/imports`, { headers: bearer(organizer) });
      const imported = ((await imports.json()) as { items: { status: string; report: Record<string, number> }[] }).items[0];
      expect(imported.status).toBe('completed');
      const shown = async (id: string) => Number((await page.getByTestId(id).textContent())!.replace(/,/g, ''));
      expect(await shown('rows-imported')).toBe(imported.report.rowsImported);
      expect(await shown('duplicates-merged')).toBe(imported.report.duplicatesMerged);
      expect(await shown('rows-rejected')).toBe(imported.report.rowsRejected);
      expect(imported.report.rowsImported + imported.report.duplicatesMerged + imported.report.rowsRejected).toBe(1134);
      const [{ doors }] = await t.db.query<{ doors: number }[]>('SELECT count(*)::int AS doors FROM doors WHERE campaign_id = $1', [
        campaignId,
      ]);
      expect(doors).toBe(imported.report.rowsImported);
      await page
        .getByTestId('campaign-summary')
        .getByText(`${doors.toLocaleString('en')} doors`)
        .waitFor();
      await screenshot(page, 'console-import-report');

      // Cut automatically: a preview first (nothing saved), then accept.
      await page.getByRole('link', { name: 'Turfs and routes' }).click();

      // Draw one turf by hand first: four clicks on the map around a block in the middle of the
      // neighbourhood. With no turfs yet the map shows its starting view (zoom 12 on Atlanta).
      const map = page.locator('.geo-map');
      await map.waitFor();
      await page.getByRole('button', { name: 'Start drawing' }).click();
      await map.scrollIntoViewIfNeeded();
      // Without a mouse: the arrow keys move the map under the cross at its centre, and a button adds that point.
      await map.focus();
      await page.keyboard.press('ArrowRight');
      await page.waitForTimeout(500);
      await page.getByRole('button', { name: "Add the point at the map's centre" }).focus();
      await page.keyboard.press('Enter');
      await page.getByText('1 point. Click the map to add more (at least 3).').waitFor();
      await page.getByRole('button', { name: 'Remove last point' }).click();
      await page.getByText('0 points. Click the map to add more (at least 3).').waitFor();
      // Back to the starting view, which the clicks below are measured from.
      await map.focus();
      await page.keyboard.press('ArrowLeft');
      await page.waitForTimeout(500);
      const box = (await map.boundingBox())!;
      const world = 256 * 2 ** 12;
      const px = (lon: number, lat: number) => {
        const y = (l: number) => ((1 - Math.log(Math.tan((l * Math.PI) / 180) + 1 / Math.cos((l * Math.PI) / 180)) / Math.PI) / 2) * world;
        return {
          x: box.x + box.width / 2 + ((lon - -84.388) / 360) * world,
          y: box.y + box.height / 2 + (y(lat) - y(33.749)),
        };
      };
      for (const [lon, lat] of [
        [-84.3565, 33.7493],
        [-84.3525, 33.7493],
        [-84.3525, 33.7523],
        [-84.3565, 33.7523],
      ]) {
        const { x, y } = px(lon, lat);
        await page.mouse.click(x, y);
      }
      await page.getByText('4 points. Click the map to add more (at least 3).').waitFor();
      await page.getByRole('button', { name: 'Save turf' }).click();
      const drawnNotice = await page
        .getByTestId('turfs-notice')
        .getByText(/^Saved the drawn turf \(\d+ doors\)\.$/)
        .textContent();
      const [drawn] = await t.db.query<{ id: string; door_count: number }[]>('SELECT id, door_count FROM turfs WHERE campaign_id = $1', [
        campaignId,
      ]);
      expect(drawn.door_count).toBeGreaterThan(0);
      expect(drawnNotice).toBe(`Saved the drawn turf (${drawn.door_count} doors).`);
      await page.getByTestId('route-panel').waitFor();
      await screenshot(page, 'console-drawn-turf');

      await page.getByLabel('Doors per turf').fill('30');
      await page.getByRole('button', { name: 'Preview' }).click();
      const preview = page.getByTestId('cut-preview');
      await preview.waitFor();
      const proposal = (await preview.getByRole('status').textContent())!;
      const proposed = Number(/Proposal: (\d+) turfs/.exec(proposal)![1]);
      expect(proposed).toBeGreaterThan(20);
      // The proposed turfs are drawn with their sizes written on them.
      await page.waitForFunction((n) => {
        const labels = [...document.querySelectorAll('.map-label')].map((e) => e.textContent ?? '');
        return labels.length === n && labels.every((l) => /^#\d+ · \d+ doors$/.test(l));
      }, proposed);
      const countTurfs = async () =>
        (await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM turfs WHERE campaign_id = $1', [campaignId]))[0].n;
      expect(await countTurfs()).toBe(1);
      await screenshot(page, 'console-cut-preview');
      await page.getByRole('button', { name: 'Accept and save' }).click();
      await page.getByTestId('turfs-notice').getByText(`Saved ${proposed} turfs with their routes.`).waitFor();
      expect(await countTurfs()).toBe(proposed + 1);
      const table = page.getByTestId('turfs-table');
      await table.waitFor();
      // The list is read again after the notice: wait for it rather than count the rows of the old one.
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="turfs-table"] tbody tr').length === n, proposed + 1);
      expect(await table.locator('tbody tr').count()).toBe(proposed + 1);
      // The cut took the doors the drawn turf did not have, each door in exactly one turf.
      const [{ routed, distinct }] = await t.db.query<{ routed: number; distinct: number }[]>(
        'SELECT sum(door_count)::int AS routed, (SELECT count(*)::int FROM doors WHERE campaign_id = $1) AS distinct FROM turfs WHERE campaign_id = $1',
        [campaignId],
      );
      expect(routed).toBe(distinct);

      // Hand the first route to the volunteer.
      const [turf] = await t.db.query<{ id: string; name: string; code: string }[]>(
        'SELECT id, name, code FROM turfs WHERE campaign_id = $1 ORDER BY name LIMIT 1',
        [campaignId],
      );
      const turfRow = table.locator(`tr[data-turf="${turf.id}"]`);
      await turfRow.getByRole('button', { name: `Turf ${turf.name}`, exact: true }).click();
      const panel = page.getByTestId('route-panel');
      await panel.waitFor();
      expect(await panel.getByTestId('route-code').textContent()).toBe(turf.code);
      const qr = panel.getByRole('img', { name: `QR code to take route ${turf.code}` });
      await qr.waitFor();
      await page.waitForFunction((code) => {
        const img = document.querySelector<HTMLImageElement>(`img[alt="QR code to take route ${code}"]`);
        return !!img && img.complete && img.naturalWidth > 0;
      }, turf.code);
      await panel.getByLabel('Volunteer', { exact: true }).selectOption({ label: 'A volunteer' });
      await panel.getByLabel('Days until the assignment expires').fill('5');
      await panel.getByRole('button', { name: 'Assign route' }).click();
      await panel.getByText('Route assigned to A volunteer.').waitFor();
      expect(await turfRow.getByTestId('assignees').textContent()).toBe('A volunteer');
      expect(await turfRow.textContent()).toContain('Assigned');
      const routeRes = await fetch(`${product.url}/turfs/${turf.id}`, { headers: bearer(organizer) });
      const route = (await routeRes.json()) as { assignment: { volunteerIds: string[]; expiresAt: string }; stops: { doorId: string }[] };
      expect(route.assignment.volunteerIds).toEqual([volunteer.userId]);
      const days = (new Date(route.assignment.expiresAt).getTime() - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(4.9);
      expect(days).toBeLessThan(5.1);
      await screenshot(page, 'console-route-assigned');

      // Reorder by hand: the first building moves one place down and the meeting point changes with it.
      const stopsBefore = route.stops.map((x) => x.doorId);
      await panel.getByText(/doors? in walking order/).click();
      const order = panel.getByTestId('route-order');
      await order
        .getByRole('button', { name: /^Move down/ })
        .first()
        .click();
      await panel.getByRole('button', { name: 'Save this order' }).click();
      await panel.getByText('New walking order saved.').waitFor();
      const reordered = (await (await fetch(`${product.url}/turfs/${turf.id}`, { headers: bearer(organizer) })).json()) as {
        stops: { doorId: string; buildingId: string }[];
      };
      const after = reordered.stops.map((x) => x.doorId);
      expect([...after].sort()).toEqual([...stopsBefore].sort());
      expect(after[0]).not.toBe(stopsBefore[0]);
      expect(after).toContain(stopsBefore[0]);

      // Merge two free turfs, then split the result again.
      const free = await t.db.query<{ id: string }[]>(
        'SELECT id FROM turfs WHERE campaign_id = $1 AND id NOT IN ($2, $3) ORDER BY created_at, name LIMIT 2',
        [campaignId, turf.id, drawn.id],
      );
      for (const f of free) await table.locator(`tr[data-turf="${f.id}"]`).getByRole('checkbox').check();
      await page.getByRole('button', { name: 'Merge chosen turfs (2)' }).click();
      await page.getByTestId('turfs-notice').getByText('Merged 2 turfs into one.').waitFor();
      expect(await countTurfs()).toBe(proposed);
      await page.getByTestId('route-panel').getByRole('button', { name: 'Split this turf' }).click();
      await page.getByTestId('turfs-notice').getByText('Split into 2 turfs.').waitFor();
      expect(await countTurfs()).toBe(proposed + 1);
      await table.locator('tbody tr').nth(proposed).waitFor();

      // Move the first building of the new turf into another free turf: its doors go, and both routes are planned again.
      const panelTurf = (await page.getByTestId('route-panel').getByRole('heading', { level: 2 }).textContent())!.replace(
        /^Route Turf /,
        '',
      );
      const [target] = await t.db.query<{ id: string; name: string; door_count: number }[]>(
        `SELECT t.id, t.name, t.door_count FROM turfs t WHERE t.campaign_id = $1 AND t.id <> $2 AND t.name <> $3
            AND NOT EXISTS (SELECT 1 FROM route_assignments a WHERE a.turf_id = t.id AND a.status = 'assigned')
          ORDER BY t.created_at, t.name LIMIT 1`,
        [campaignId, turf.id, panelTurf],
      );
      const movePanel = page.getByTestId('route-panel').getByTestId('move-buildings');
      await movePanel.getByText('Move buildings to another turf').click();
      const firstBuilding = movePanel.getByRole('checkbox').first();
      const buildingLabel = (await firstBuilding.getAttribute('aria-label'))!.replace(/^Move /, '');
      await firstBuilding.check();
      await movePanel.getByLabel('Move to').selectOption({ label: `Turf ${target.name}` });
      await movePanel.getByRole('button', { name: 'Move 1 building' }).click();
      const movedNotice = (await page
        .getByTestId('turfs-notice')
        .getByText(/^Moved \d+ doors?; the routes were planned again\.$/)
        .textContent())!;
      const movedDoors = Number(/Moved (\d+)/.exec(movedNotice)![1]);
      const [{ inTarget }] = await t.db.query<{ inTarget: number }[]>(
        `SELECT count(*)::int AS "inTarget" FROM turf_doors td JOIN doors d ON d.id = td.door_id JOIN buildings b ON b.id = d.building_id
          WHERE td.turf_id = $1 AND b.number || ' ' || b.street = $2`,
        [target.id, buildingLabel.replace(/ \(\d+ units\)$|, .*$/, '')],
      );
      expect(inTarget).toBe(movedDoors);
      const [{ now }] = await t.db.query<{ now: number }[]>('SELECT door_count AS now FROM turfs WHERE id = $1', [target.id]);
      expect(now).toBe(target.door_count + movedDoors);
      await screenshot(page, 'console-doors-moved');

      // The volunteer's phone sends visits for that route.
      const items = route.stops.slice(0, 6).map((s, i) => ({
        kind: 'visit',
        id: randomUUID(),
        turfId: turf.id,
        doorId: s.doorId,
        outcome: i % 2 === 0 ? 'talked' : 'not_home',
        recordedAt: new Date(Date.now() - (10 - i) * 1000).toISOString(),
      }));
      const synced = await fetch(`${product.url}/sync`, {
        method: 'POST',
        headers: { ...bearer(volunteer), 'content-type': 'application/json' },
        body: JSON.stringify({ items }),
      });
      expect(synced.status).toBe(200);
      expect(((await synced.json()) as { counts: { created: number } }).counts.created).toBe(6);
      const [{ visits }] = await t.db.query<{ visits: number }[]>(
        "SELECT count(*)::int AS visits FROM visits WHERE turf_id = $1 AND user_id = $2 AND status = 'accepted'",
        [turf.id, volunteer.userId],
      );
      expect(visits).toBe(6);

      // The campaign's coverage page opens from the campaign.
      await page.getByTestId('coverage-link').click();
      await page.waitForURL(`**/app/console/campaigns/${campaignId}/coverage`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await page.getByText('This page does not exist.').count()).toBe(0);
      await screenshot(page, 'console-coverage');

      // Invite a coordinator; the link is shown to copy and the invite is pending.
      await page.getByRole('link', { name: 'Members' }).click();
      await page.getByTestId('members-table').getByRole('rowheader', { name: 'A volunteer' }).waitFor();
      const invitee = uniqueEmail('coordinator');
      await page.getByLabel('Role', { exact: true }).selectOption('coordinator');
      await page.getByLabel('E-mail (optional)').fill(invitee);
      await page.getByRole('button', { name: 'Create invite link' }).click();
      const link = page.getByTestId('invite-url');
      await link.waitFor();
      const url = await link.inputValue();
      expect(url).toMatch(new RegExp(`^${product.url}/join#.{10,}`));
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('invite-url');
      await page.getByTestId('invites-table').getByRole('cell', { name: invitee, exact: true }).waitFor();
      const [invite] = await t.db.query<{ role: string; accepted_at: Date | null; revoked_at: Date | null }[]>(
        'SELECT role, accepted_at, revoked_at FROM invites WHERE organization_id = $1 AND email = $2',
        [organizer.organizationId, invitee],
      );
      expect(invite).toEqual({ role: 'coordinator', accepted_at: null, revoked_at: null });
      const preview2 = await fetch(`${product.url}/invites/preview`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: decodeURIComponent(url.split('#')[1]) }),
      });
      expect(((await preview2.json()) as { role: string }).role).toBe('coordinator');
      await screenshot(page, 'console-invite');

      // Withdrawing it makes the link useless.
      await page.getByRole('button', { name: `Revoke ${invitee}` }).click();
      await page.getByText('Invite revoked: its link no longer works.').waitFor();
      const [{ revoked }] = await t.db.query<{ revoked: boolean }[]>(
        'SELECT revoked_at IS NOT NULL AS revoked FROM invites WHERE organization_id = $1 AND email = $2',
        [organizer.organizationId, invitee],
      );
      expect(revoked).toBe(true);
      await page.getByRole('cell', { name: invitee, exact: true }).waitFor({ state: 'detached' });

      // The organization's settings: a new name and visit notes switched on.
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByLabel('Organization name').fill('Reynoldstown Neighbours');
      expect(await page.getByLabel('Visit notes', { exact: true }).isChecked()).toBe(false);
      await page.getByLabel('Visit notes', { exact: true }).check();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Settings saved.').waitFor();
      const org = (await (await fetch(`${product.url}/organizations/current`, { headers: bearer(organizer) })).json()) as {
        name: string;
        notesEnabled: boolean;
        leaderboardsEnabled: boolean;
      };
      expect(org).toMatchObject({ name: 'Reynoldstown Neighbours', notesEnabled: true, leaderboardsEnabled: false });
      await screenshot(page, 'console-settings');

      // The organization's own wording of a message, then back to Porchlight's.
      type Template = { kind: string; channel: string; language: string; body: string; custom: boolean };
      const confirmationEs = async () =>
        ((await (await fetch(`${product.url}/message-templates`, { headers: bearer(organizer) })).json()) as Template[]).find(
          (x) => x.kind === 'confirmation' && x.channel === 'email' && x.language === 'es',
        )!;
      await page.getByRole('link', { name: 'Messages' }).click();
      const card = page.getByTestId('template-confirmation-email');
      expect(await card.textContent()).toContain("Porchlight's wording");
      const wording = 'Hola {{name}}: te esperamos en {{title}}, {{when}}, {{place}}. Para cancelar: {{cancelUrl}}';
      await card.getByLabel('Message').fill(wording);
      await card.getByRole('button', { name: 'Save this message' }).click();
      await card.getByText('Message saved.').waitFor();
      expect(await confirmationEs()).toMatchObject({ body: wording, custom: true });
      await screenshot(page, 'console-messages');
      await card.getByRole('button', { name: "Go back to Porchlight's wording" }).click();
      await card.getByText("Back to Porchlight's wording.").waitFor();
      expect((await confirmationEs()).custom).toBe(false);

      // A coordinator sees the turfs, routes and members, hands routes out and invites volunteers,
      // without the organizer's other tools (in Spanish, chosen on the login page: it stays).
      const coordinator = await addMember(t, organizer, 'coordinator');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL('**/login');
      await page.getByTestId('language-switch').selectOption('es');
      await page.getByLabel('Correo electrónico').fill(coordinator.email);
      await page.getByLabel('Contraseña').fill(coordinator.password);
      await page.getByRole('button', { name: 'Entrar' }).click();
      await page.waitForURL('**/app/console');
      await page.goto(`${product.url}/app/console/campaigns/${campaignId}/turfs`);
      await page.getByTestId('turfs-table').waitFor();
      await page.getByRole('link', { name: 'Zonas y rutas' }).waitFor();
      expect(await page.getByTestId('turfs-table').locator('tbody tr').count()).toBe(proposed + 1);
      expect(await page.getByRole('heading', { name: 'Dividir automáticamente' }).count()).toBe(0);
      await page
        .getByTestId('turfs-table')
        .getByRole('button', { name: `Zona ${turf.name}`, exact: true })
        .click();
      await page.getByTestId('route-panel').getByTestId('route-code').waitFor();
      expect(await page.getByRole('button', { name: 'Asignar ruta' }).count()).toBe(1);
      await page.getByRole('link', { name: 'Miembros' }).click();
      await page.getByTestId('members-table').getByRole('rowheader', { name: 'A volunteer' }).waitFor();
      await page.getByRole('heading', { name: 'Invitar a alguien' }).waitFor();
      await page.getByTestId('invite-volunteers-only').waitFor();
      expect(await page.locator('#invite-role').count()).toBe(0);
      expect(await page.getByRole('button', { name: /Desactivar/ }).count()).toBe(0);
      expect(await page.getByRole('link', { name: 'Ajustes' }).count()).toBe(0);
      await screenshot(page, 'console-coordinator-members');

      // The console talks only to its own origin (no map tiles unless an organization sets some).
      expect(requests.filter((u) => !u.startsWith(product.url) && !u.startsWith('data:') && !u.startsWith('blob:'))).toEqual([]);
      await context.close();
    }, 240_000);
  });
});
