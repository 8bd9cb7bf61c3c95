import { randomUUID } from 'node:crypto';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer } from '../../support/factories';

describe('materials catalogue and campaign materials', () => {
  let t: TestApp;
  let organizer: OrganizerSession;
  beforeAll(async () => {
    t = await createTestApp();
    organizer = await signupOrganizer(t);
  });
  afterAll(() => t.close());

  const create = (body: object, who: { accessToken: string } = organizer) => t.http().post('/materials').set(bearer(who)).send(body);

  it('keeps materials by kind and language, with stock, and lets a campaign choose what it hands out', async () => {
    const kyrEs = (
      await create({
        name: 'Know your rights card',
        kind: 'kyr_card',
        language: 'ES',
        stock: 500,
        linkUrl: 'https://example.org/kyr-es.pdf',
      }).expect(201)
    ).body;
    expect(kyrEs).toMatchObject({ kind: 'kyr_card', language: 'es', stock: 500, linkUrl: 'https://example.org/kyr-es.pdf' });
    const kyrEn = (await create({ name: 'Know your rights card', kind: 'kyr_card', language: 'en' }).expect(201)).body;
    const hotline = (await create({ name: 'Hotline card', kind: 'hotline_card', language: 'es' }).expect(201)).body;
    const dup = await create({ name: 'Know your rights card', kind: 'kyr_card', language: 'es' }).expect(409);
    expect(dup.body.details.fields).toHaveProperty('name');

    const updated = await t.http().patch(`/materials/${kyrEs.id}`).set(bearer(organizer)).send({ stock: 450 }).expect(200);
    expect(updated.body.stock).toBe(450);
    const coordinator = await addMember(t, organizer, 'coordinator');
    const list = await t.http().get('/materials').set(bearer(coordinator)).expect(200);
    expect(list.body.total).toBe(3);

    const campaign = (await t.http().post('/campaigns').set(bearer(organizer)).send({ name: 'KYR' }).expect(201)).body.id;
    const chosen = await t
      .http()
      .put(`/campaigns/${campaign}/materials`)
      .set(bearer(organizer))
      .send({ materialIds: [kyrEs.id, kyrEn.id] })
      .expect(200);
    expect(chosen.body.map((m: { id: string }) => m.id).sort()).toEqual([kyrEs.id, kyrEn.id].sort());
    const changed = await t
      .http()
      .put(`/campaigns/${campaign}/materials`)
      .set(bearer(organizer))
      .send({ materialIds: [hotline.id] })
      .expect(200);
    expect(changed.body.map((m: { id: string }) => m.id)).toEqual([hotline.id]);
    expect((await t.http().get(`/campaigns/${campaign}/materials`).set(bearer(coordinator)).expect(200)).body).toHaveLength(1);
    // Volunteers read a campaign's materials to record what they leave at doors; they cannot change them.
    const volunteer = await addMember(t, organizer, 'volunteer');
    expect((await t.http().get(`/campaigns/${campaign}/materials`).set(bearer(volunteer)).expect(200)).body[0].id).toBe(hotline.id);
    await t
      .http()
      .put(`/campaigns/${campaign}/materials`)
      .set(bearer(volunteer))
      .send({ materialIds: [kyrEs.id] })
      .expect(403);
  });

  it('refuses bad materials, other organizations and other roles', async () => {
    const bad = await create({ name: 'X', kind: 'poster', language: 'spanish', stock: -1, linkUrl: 'not a url' }).expect(400);
    expect(Object.keys(bad.body.details.fields).sort()).toEqual(['kind', 'language', 'linkUrl', 'name', 'stock']);
    const volunteer = await addMember(t, organizer, 'volunteer');
    await create({ name: 'Flyer', kind: 'flyer', language: 'en' }, volunteer).expect(403);

    const other = await signupOrganizer(t);
    const foreign = (await create({ name: 'Red card', kind: 'red_card', language: 'es' }, other).expect(201)).body;
    await t.http().patch(`/materials/${foreign.id}`).set(bearer(organizer)).send({ stock: 0 }).expect(404);
    const campaign = (await t.http().post('/campaigns').set(bearer(organizer)).send({ name: 'Mine' }).expect(201)).body.id;
    await t
      .http()
      .put(`/campaigns/${campaign}/materials`)
      .set(bearer(organizer))
      .send({ materialIds: [foreign.id] })
      .expect(404);
    await t
      .http()
      .put(`/campaigns/${campaign}/materials`)
      .set(bearer(organizer))
      .send({ materialIds: [randomUUID()] })
      .expect(404);
    await t.http().get(`/campaigns/${campaign}/materials`).set(bearer(other)).expect(404);
    expect((await t.db.query('SELECT count(*)::int AS n FROM campaign_materials WHERE campaign_id = $1', [campaign]))[0].n).toBe(0);
  });
});
