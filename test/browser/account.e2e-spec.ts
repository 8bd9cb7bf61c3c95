import { Browser, Page } from 'playwright-core';
import { appConfig, messagingConfig } from '@app/config';
import { describeWithBrowser, launchBrowser, screenshot } from '../support/browser';
import { createTestApp, TestApp } from '../support/create-test-app';
import { addMember, signupOrganizer, STRONG_PASSWORD } from '../support/factories';
import { startSmtpSink, SmtpSink } from '../support/messaging';
import { freePort, waitFor } from '../support/processes';

/**
 * A forgotten password, reset through the e-mailed link, then changed again from the account
 * page, in English (an organizer, in the console) and in Spanish (a volunteer, in the field app).
 * The API runs in the test process, serving the built web app, and mails through a local SMTP sink.
 */
describeWithBrowser('account: a forgotten password reset by e-mail, and a password changed in the app (real Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let sink: SmtpSink;
  let url: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    t = await createTestApp((b) =>
      b
        .overrideProvider(messagingConfig.KEY)
        .useValue({ ...messagingConfig(), smtpUrl: sink.url, publicUrl: url })
        .overrideProvider(appConfig.KEY)
        .useValue({ ...appConfig(), publicUrl: url }),
    );
    await t.app.listen(port, '127.0.0.1');
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sink?.close();
  });

  const linkMailedTo = async (email: string) => {
    await waitFor(
      () => sink.messages.some((m) => m.text?.includes('/reset-password#') && JSON.stringify(m.to).includes(email)),
      10_000,
      'the mail',
    );
    const mail = sink.messages.filter((m) => JSON.stringify(m.to).includes(email)).pop()!;
    return { subject: mail.subject, link: /(http:\/\/\S+\/reset-password#pr_[A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1] };
  };
  const newPasswordFields = (page: Page) => page.locator('input[autocomplete="new-password"]');

  it('in English: forgot, reset from the link, sign in, then change the password in the console', async () => {
    const organizer = await signupOrganizer(t);
    const page = await browser.newPage({ locale: 'en-US' });
    await page.goto(`${url}/login`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('E-mail').fill(organizer.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByTestId('reset-sent').waitFor();

    const { subject, link } = await linkMailedTo(organizer.email);
    expect(subject).toBe('Reset your Porchlight password');
    await page.goto(link);
    await newPasswordFields(page).nth(0).fill('lantern porch clipboard sunrise 7');
    await newPasswordFields(page).nth(1).fill('lantern porch clipboard sunrise 7');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await page.getByTestId('reset-done').waitFor();
    await screenshot(page, 'account-reset-done-en');

    // The link worked once.
    await page.goto(`${url}/login`);
    await page.goto(link);
    await newPasswordFields(page).nth(0).fill('another fine passphrase 99');
    await newPasswordFields(page).nth(1).fill('another fine passphrase 99');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await page.getByText('This link was already used.').waitFor();

    await page.goto(`${url}/login`);
    await page.getByLabel('E-mail').fill(organizer.email);
    await page.getByLabel('Password').fill('lantern porch clipboard sunrise 7');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/app\/console/);

    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByLabel('Current password').fill('not my password');
    await newPasswordFields(page).nth(0).fill('quiet street morning canvass 12');
    await newPasswordFields(page).nth(1).fill('quiet street morning canvass 12');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your current password is not right.').waitFor();
    await page.getByLabel('Current password').fill('lantern porch clipboard sunrise 7');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your password is changed.').waitFor();
    await screenshot(page, 'account-changed-en');
    await page.close();
  }, 60_000);

  it('in Spanish: a volunteer resets the password and changes it from the field app', async () => {
    const organizer = await signupOrganizer(t);
    const volunteer = await addMember(t, organizer, 'volunteer');
    const page = await browser.newPage({ locale: 'es-US', viewport: { width: 390, height: 844 } });
    await page.goto(`${url}/login`);
    await page.getByRole('link', { name: '¿Olvidó su contraseña?' }).click();
    await page.getByLabel('Correo electrónico').fill(volunteer.email);
    await page.getByRole('button', { name: 'Enviar el enlace' }).click();
    await page.getByTestId('reset-sent').waitFor();

    const { subject, link } = await linkMailedTo(volunteer.email);
    expect(subject).toBe('Restablezca su contraseña de Porchlight');
    await page.goto(link);
    await newPasswordFields(page).nth(0).fill('corto');
    await newPasswordFields(page).nth(1).fill('otra cosa');
    await page.getByRole('button', { name: 'Guardar la contraseña nueva' }).click();
    // The browser holds the form while the fields are too short; longer ones that differ are caught by the page.
    await newPasswordFields(page).nth(0).fill('faroles del barrio por la tarde 3');
    await newPasswordFields(page).nth(1).fill('faroles del barrio por la noche 3');
    await page.getByRole('button', { name: 'Guardar la contraseña nueva' }).click();
    await page.getByText('Las dos contraseñas nuevas no coinciden.').waitFor();
    await newPasswordFields(page).nth(1).fill('faroles del barrio por la tarde 3');
    await page.getByRole('button', { name: 'Guardar la contraseña nueva' }).click();
    await page.getByTestId('reset-done').waitFor();

    await page.getByRole('link', { name: 'Entrar' }).click();
    await page.getByLabel('Correo electrónico').fill(volunteer.email);
    await page.getByLabel('Contraseña').fill('faroles del barrio por la tarde 3');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForURL(/\/app\/field/);

    await page.getByTestId('who').click();
    await page.waitForURL(/\/app\/field\/account/);
    await page.getByLabel('Contraseña actual').fill(STRONG_PASSWORD);
    await newPasswordFields(page).nth(0).fill('faroles del barrio por la mañana 4');
    await newPasswordFields(page).nth(1).fill('faroles del barrio por la mañana 4');
    await page.getByRole('button', { name: 'Cambiar la contraseña' }).click();
    await page.getByText('Su contraseña actual no es correcta.').waitFor();
    await page.getByLabel('Contraseña actual').fill('faroles del barrio por la tarde 3');
    await page.getByRole('button', { name: 'Cambiar la contraseña' }).click();
    await page.getByText('Su contraseña cambió.').waitFor();
    await screenshot(page, 'account-changed-es');
    await page.close();
  }, 60_000);
});
