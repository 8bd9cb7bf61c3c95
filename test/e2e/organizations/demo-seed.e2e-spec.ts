import { DemoDataService } from '@app/organizations';
import { DEMO_PEOPLE, seedDemoActivity, seedDemoNeighbourhood } from '../../../apps/cli/src/seed.command';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { bearer } from '../../support/factories';

describe('demo organization', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('creates an organizer, a coordinator and two volunteers whose printed logins work', async () => {
    const demo = t.app.get(DemoDataService);
    expect(await demo.hasAccount(DEMO_PEOPLE[0].email)).toBe(false);
    const { organization, members } = await demo.createOrganization('Demo', DEMO_PEOPLE);
    expect(await demo.hasAccount(DEMO_PEOPLE[0].email)).toBe(true);
    expect(DEMO_PEOPLE.map((p) => p.role).sort()).toEqual(['coordinator', 'organizer', 'volunteer', 'volunteer']);
    for (const person of DEMO_PEOPLE) {
      const login = await t.http().post('/auth/login').send({ email: person.email, password: person.password }).expect(200);
      const me = await t.http().get('/me').set(bearer(login.body)).expect(200);
      expect(me.body).toMatchObject({ role: person.role, language: person.language, memberships: [{ organizationName: 'Demo' }] });
    }

    // The demo campaign's synthetic neighbourhood goes through the real import: houses and apartment buildings.
    const organizer = members.find((m) => m.role === 'organizer')!;
    const volunteers = members.filter((m) => m.role === 'volunteer').map((m) => m.userId);
    const actor = { ...organizer, organizationId: organization.id, role: 'organizer' as const, sessionId: 'seed' };
    const { doors, turfs } = await seedDemoNeighbourhood(t.app, actor, volunteers);
    expect(doors).toBeGreaterThan(200);
    expect(turfs).toBe(Math.round(doors / 50));
    // The demo volunteers find their route waiting.
    const volunteer = DEMO_PEOPLE.find((p) => p.role === 'volunteer')!;
    const login = await t.http().post('/auth/login').send({ email: volunteer.email, password: volunteer.password }).expect(200);
    const routes = await t.http().get('/me/routes').set(bearer(login.body)).expect(200);
    expect(routes.body.items).toHaveLength(1);
    expect(routes.body.items[0].assignment.volunteerIds).toEqual(volunteers);
    const [{ n, buildings }] = await t.db.query(
      'SELECT count(*)::int AS n, count(DISTINCT building_id)::int AS buildings FROM doors WHERE organization_id = $1',
      [organization.id],
    );
    expect(n).toBe(doors);
    expect(buildings).toBeLessThan(doors);

    // Materials to hand out, and the Monday action with both volunteers going.
    const [{ id: campaignId, time_zone: campaignZone }] = await t.db.query<{ id: string; time_zone: string }[]>(
      'SELECT id, time_zone FROM campaigns WHERE organization_id = $1',
      [organization.id],
    );
    // An Atlanta group counts its days in Atlanta, not in UTC.
    expect(campaignZone).toBe('America/New_York');
    const people = members
      .filter((m) => m.role === 'volunteer')
      .map((m) => ({ actor: { ...m, organizationId: organization.id, role: 'volunteer' as const, sessionId: 'seed' } }));
    const { materials, eventId } = await seedDemoActivity(t.app, actor, campaignId, people);
    expect(materials).toBe(3);
    // Each material has a name in each language of the app; the turfs' names are numbers the app words.
    const organizerPerson = DEMO_PEOPLE.find((p) => p.role === 'organizer')!;
    const organizerLogin = await t
      .http()
      .post('/auth/login')
      .send({ email: organizerPerson.email, password: organizerPerson.password })
      .expect(200);
    const catalogue = await t.http().get('/materials').set(bearer(organizerLogin.body)).expect(200);
    const items = (catalogue.body.items ?? catalogue.body) as { names: Record<string, string> }[];
    expect(items).toHaveLength(3);
    for (const m of items) expect(m.names).toEqual({ en: expect.stringMatching(/card/), es: expect.stringMatching(/^Tarjeta /) });
    expect(routes.body.items[0].name).toMatch(/^\d+$/);
    const event = await t.http().get(`/events/${eventId}`).set(bearer(login.body)).expect(200);
    expect(event.body).toMatchObject({ timeZone: 'America/New_York', confirmed: 2, status: 'scheduled' });
    expect(event.body.localStartsAt).toMatch(/T17:00:00\.000-0[45]:00$/);
  });
});
