import { Browser } from 'playwright-core';
import { describeWithBrowser, Product, screenshot, useBrowserRig } from '../support/browser';
import { TestApp } from '../support/create-test-app';
import { bearer, signupOrganizer } from '../support/factories';

describeWithBrowser("the console's import report (built app, real Chromium)", () => {
  let product: Product;
  let browser: Browser;
  let t: TestApp;

  useBrowserRig((rig) => ({ t, product, browser } = rig));

  it('imports one feature per line and shows the near duplicates merged and the same address far apart, in English and Spanish', async () => {
    const organizer = await signupOrganizer(t);
    const campaignId = (await t.http().post('/campaigns').set(bearer(organizer)).send({ name: 'Kodiak' }).expect(201)).body.id as string;
    // As `osmium export -f geojsonseq` writes: RS, one feature, LF. Two "1929 Mission Road" 15.8 km apart, and one 40 m from the first.
    const feature = (lon: number, lat: number, street: string) =>
      `\u001e${JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { 'addr:housenumber': '1929', number: '1929', street } })}\n`;
    const file = [
      feature(-152.3939, 57.7931, 'Mission Road'),
      feature(-152.3939, 57.935, 'Mission Rd'),
      feature(-152.3939, 57.79346, 'Mission Road'),
    ].join('');

    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${product.url}/login`);
    await page.getByLabel('E-mail').fill(organizer.email);
    await page.getByLabel('Password').fill(organizer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/app/console**');
    await page.goto(`${product.url}/app/console/campaigns/${campaignId}`);

    await page
      .getByLabel('Address file (.csv or .geojson)')
      .setInputFiles({ name: 'kodiak.geojsonseq', mimeType: '', buffer: Buffer.from(file) });
    await page.getByRole('button', { name: 'Upload and import' }).click();
    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('rows-imported').textContent()).toBe('2');
    expect(await page.getByTestId('duplicates-merged').textContent()).toBe('1');
    expect(await page.getByTestId('addresses-kept-apart').textContent()).toBe('1');
    expect(await report.getByText('within 150 m of each other').count()).toBe(1);
    const apart = page.getByTestId('kept-apart');
    expect(await apart.getByRole('listitem').allTextContents()).toEqual(['1929 Mission Road: 2 places, up to 15.8 km apart']);
    await screenshot(page, 'console-import-kept-apart');

    await page.getByTestId('language-switch').selectOption('es');
    await apart.getByRole('heading', { name: 'Misma dirección en lugares distantes' }).waitFor();
    expect(await apart.getByRole('listitem').allTextContents()).toEqual(['1929 Mission Road: 2 lugares, hasta 15,8 km de distancia']);
    expect(await apart.textContent()).toContain('Revíselas');
    await context.close();
  });
});
