import { Browser } from 'playwright-core';
import { describeWithBrowser, Product, screenshot, useBrowserRig } from '../support/browser';
import { TestApp } from '../support/create-test-app';
import { addMember, signupOrganizer } from '../support/factories';

describeWithBrowser('web app shell (built app served by the API, real Chromium)', () => {
  let product: Product;
  let browser: Browser;
  let t: TestApp;

  useBrowserRig((rig) => ({ t, product, browser } = rig));

  it('serves the app at / with a service worker and a manifest, and leaves API paths to the API', async () => {
    const page = await fetch(`${product.url}/app/field/routes`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toContain('<div id="root">');
    expect((await fetch(`${product.url}/sw.js`)).status).toBe(200);
    const manifest = (await (await fetch(`${product.url}/manifest.webmanifest`)).json()) as { name: string; start_url: string };
    expect(manifest).toMatchObject({ name: 'Porchlight', start_url: '/app' });
    // Scripts go out compressed as built (brotli, else gzip), and cached for good since their names carry a hash.
    const script = /src="(\/assets\/index-[^"]+\.js)"/.exec(await (await fetch(`${product.url}/`)).text())![1];
    const plain = await fetch(`${product.url}${script}`, { headers: { 'accept-encoding': 'identity' } });
    const plainBytes = (await plain.arrayBuffer()).byteLength;
    for (const encoding of ['br', 'gzip']) {
      const packed = await fetch(`${product.url}${script}`, { headers: { 'accept-encoding': encoding }, decompress: false } as RequestInit);
      expect(packed.headers.get('content-encoding')).toBe(encoding);
      expect(packed.headers.get('cache-control')).toContain('immutable');
      expect(Number(packed.headers.get('content-length'))).toBeLessThan(plainBytes / 2);
    }
    const api = await fetch(`${product.url}/campaigns`);
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toContain('application/json');
  });

  it('signs an organizer in to the console and a volunteer in to the field app, in the chosen language', async () => {
    const organizer = await signupOrganizer(t);
    const volunteer = await addMember(t, organizer, 'volunteer');
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));

    await page.goto(`${product.url}/`);
    await page.waitForURL('**/login');
    await screenshot(page, 'login-en');
    await page.getByLabel('E-mail').fill(organizer.email);
    await page.getByLabel('Password').fill('wrong password entirely');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/not right/);

    await page.getByLabel('Password').fill(organizer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/app/console**');
    expect(await page.getByTestId('who').textContent()).toContain('Organizer');

    await page.getByTestId('language-switch').selectOption('es');
    expect(await page.getByTestId('who').textContent()).toContain('Organizador/a');
    await page.getByRole('button', { name: 'Salir' }).click();
    await page.waitForURL('**/login');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Entrar en Porchlight');

    await page.getByLabel('Correo electrónico').fill(volunteer.email);
    await page.getByLabel('Contraseña').fill(volunteer.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForURL('**/app/field**');
    expect(await page.getByTestId('who').textContent()).toContain('Voluntario/a');

    // The app talks only to its own origin.
    expect(requests.filter((u) => !u.startsWith(product.url) && !u.startsWith('data:'))).toEqual([]);
    await context.close();
  }, 60_000);
});
