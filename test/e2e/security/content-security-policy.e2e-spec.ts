import { createTestApp, TestApp } from '../../support/create-test-app';
import { bearer, signupOrganizer } from '../../support/factories';

const imgSrc = (csp: string | undefined) =>
  (csp ?? '')
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .find(([name]) => name === 'img-src')
    ?.slice(1) ?? [];

/** Images come from the app itself and the tile servers organizations configured, nowhere else. */
describe('Content-Security-Policy img-src', () => {
  let t: TestApp;
  const tiles = `https://tiles-${Date.now()}.example.org:8443`;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('allows the app and the configured tile servers only', async () => {
    const before = imgSrc((await t.http().get('/health')).headers['content-security-policy']);
    expect(before).toEqual(expect.arrayContaining([`'self'`, 'data:', 'blob:']));
    expect(before).not.toContain('https:');
    expect(before).not.toContain(tiles);

    const organizer = await signupOrganizer(t);
    await t
      .http()
      .patch('/organizations/current')
      .set(bearer(organizer))
      .send({ mapTileUrl: `${tiles}/osm/{z}/{x}/{y}.png` })
      .expect(200);
    // Tile servers are read at startup (and every minute): a restarted API allows this one.
    const restarted = await createTestApp();
    try {
      const after = imgSrc((await restarted.http().get('/login')).headers['content-security-policy']);
      expect(after).toContain(tiles);
      expect(after).not.toContain('https:');
      expect(after.every((s) => [`'self'`, 'data:', 'blob:'].includes(s) || s.startsWith('https://'))).toBe(true);
    } finally {
      await restarted.close();
    }
  });
});
