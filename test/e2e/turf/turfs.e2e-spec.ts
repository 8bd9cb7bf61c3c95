import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import { INestApplicationContext } from '@nestjs/common';
import { Queue, QueueEvents } from 'bullmq';
import { JobProducer, QUEUE } from '@app/queue';
import type { Response } from 'superagent';
import { VISIT_OUTCOMES } from '@app/canvassing';
import { generateNeighbourhood } from '@app/geo';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer } from '../../support/factories';
import { pdfText } from '../../support/pdf-text';
import { waitFor } from '../../support/processes';
import { describeWithSharedData, sharedFile } from '../../support/shared-data';
import { startWorker } from '../../support/worker';
import { assignRoute, routeFixture, sync } from '../../support/field';

/** Collects a binary answer into a Buffer (supertest would try to read it as text). */
const binary = (res: Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

const neighbourhoodCsv = (seed: number) =>
  ['LON,LAT,NUMBER,STREET,UNIT']
    .concat(generateNeighbourhood({ seed, apartmentShare: 0.08 }).map((r) => [r.lon, r.lat, r.number, r.street, r.unit ?? ''].join(',')))
    .join('\n');

describe('turfs and walking routes', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let organizer: OrganizerSession;

  const campaignWith = async (csv: string | Buffer) => {
    const campaignId = (await t.http().post('/campaigns').set(bearer(organizer)).send({ name: 'Turf test' }).expect(201)).body.id as string;
    const started = await t
      .http()
      .post(`/campaigns/${campaignId}/imports`)
      .set(bearer(organizer))
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(202);
    await waitFor(
      async () => (await t.http().get(`/imports/${started.body.id}`).set(bearer(organizer))).body.status === 'completed',
      60_000,
      'the import',
    );
    return campaignId;
  };

  /** POST /campaigns/:id/turfs/cut as the organizer, expecting `status`. */
  const cutTurfs = (campaignId: string, body: object, status: number) =>
    t.http().post(`/campaigns/${campaignId}/turfs/cut`).set(bearer(organizer)).send(body).expect(status);

  const doorsOf = async (campaignId: string) =>
    t.db.query<{ id: string; building_id: string }[]>('SELECT id, building_id FROM doors WHERE campaign_id = $1', [campaignId]);

  beforeAll(async () => {
    t = await createTestApp();
    worker = await startWorker();
    organizer = await signupOrganizer(t);
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('previews a cut without saving it, then saves turfs whose routes cover every door once, buildings whole', async () => {
    const campaignId = await campaignWith(neighbourhoodCsv(11));
    const doors = await doorsOf(campaignId);

    const preview = await cutTurfs(campaignId, { doorsPerTurf: 50 }, 200);
    expect(preview.body.saved).toBe(false);
    expect(preview.body.summary.doorCount).toBe(doors.length);
    expect((await t.http().get(`/campaigns/${campaignId}/turfs`).set(bearer(organizer)).expect(200)).body.total).toBe(0);

    const saved = await cutTurfs(campaignId, { doorsPerTurf: 50, save: true }, 201);
    const { turfs, summary } = saved.body as {
      turfs: { id: string; doorIds: string[]; meetingDoorId: string }[];
      summary: Record<string, number>;
    };
    expect(turfs.length).toBe(Math.round(doors.length / 50));
    expect(summary.maxDoors / summary.minDoors).toBeLessThanOrEqual(1.25);

    // Every door in exactly one turf; no building split across turfs.
    const inTurfs = turfs.flatMap((x) => x.doorIds);
    expect(new Set(inTurfs).size).toBe(inTurfs.length);
    expect([...inTurfs].sort()).toEqual(doors.map((d) => d.id).sort());
    const turfOfBuilding = new Map<string, string>();
    const buildingOf = new Map(doors.map((d) => [d.id, d.building_id]));
    for (const turf of turfs) {
      for (const doorId of turf.doorIds) {
        const building = buildingOf.get(doorId)!;
        expect(turfOfBuilding.get(building) ?? turf.id).toBe(turf.id);
        turfOfBuilding.set(building, turf.id);
      }
    }

    // Each route starts at its meeting point and visits each of its doors once.
    for (const turf of turfs) {
      const route = await t.http().get(`/turfs/${turf.id}`).set(bearer(organizer)).expect(200);
      expect(route.body.stops[0].doorId).toBe(turf.meetingDoorId);
      expect(route.body.stops.map((s: { doorId: string }) => s.doorId)).toEqual(turf.doorIds);
      expect(route.body.stops.map((s: { position: number }) => s.position)).toEqual(turf.doorIds.map((_, i) => i));
      expect(route.body.outline).toMatchObject({ type: 'Polygon' });
      expect(route.body.code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    }

    // Nothing left to cut until turfs are replaced.
    const again = await cutTurfs(campaignId, { doorsPerTurf: 50 }, 400);
    expect(again.body.code).toBe('NOTHING_TO_CUT');
  });

  it('hands a route to a pair: both see it, a third volunteer gets 404, and release takes it back', async () => {
    const campaignId = await campaignWith(neighbourhoodCsv(12));
    const cut = await cutTurfs(campaignId, { doorsPerTurf: 40, save: true }, 201);
    const turfId = cut.body.turfs[0].id as string;
    const [ana, ben, cleo] = [
      await addMember(t, organizer, 'volunteer'),
      await addMember(t, organizer, 'volunteer'),
      await addMember(t, organizer, 'volunteer'),
    ];

    await t.http().get(`/turfs/${turfId}`).set(bearer(ana)).expect(404);
    const assigned = await t
      .http()
      .put(`/turfs/${turfId}/assignment`)
      .set(bearer(organizer))
      .send({ volunteerIds: [ana.userId, ben.userId] })
      .expect(200);
    expect(assigned.body.assignment).toMatchObject({ status: 'assigned', volunteerIds: [ana.userId, ben.userId] });

    for (const v of [ana, ben]) {
      const mine = await t.http().get('/me/routes').set(bearer(v)).expect(200);
      expect(mine.body.items.map((r: { id: string }) => r.id)).toEqual([turfId]);
      const route = await t.http().get(`/turfs/${turfId}`).set(bearer(v)).expect(200);
      expect(route.body.stops.length).toBe(cut.body.turfs[0].doorCount);
    }
    const walkList = await t.http().get(`/turfs/${turfId}/walk-list.csv`).set(bearer(ana)).expect(200);
    expect(walkList.headers['content-type']).toMatch(/text\/csv/);
    expect(walkList.headers['content-disposition']).toMatch(/attachment; filename="walk-list-[2-9A-Z]{8}\.csv"/);
    const lines = walkList.text.trim().split('\r\n');
    expect(lines[0]).toBe('order,number,street,unit,outcome,materials,language,follow_up');
    expect(lines).toHaveLength(cut.body.turfs[0].doorCount + 1);
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(cut.body.turfs[0].doorIds.map((_: string, i: number) => i + 1));
    await t.http().get(`/turfs/${turfId}/walk-list.csv`).set(bearer(cleo)).expect(404);

    // The paper walk list opens as a PDF and lists every door of the route, with the legend in both languages.
    const pdf = await t.http().get(`/turfs/${turfId}/walk-list.pdf`).set(bearer(ben)).buffer(true).parse(binary).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const bytes = pdf.body as Buffer;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.subarray(-8).toString()).toContain('%%EOF');
    const text = pdfText(bytes);
    const route = await t.http().get(`/turfs/${turfId}`).set(bearer(ben)).expect(200);
    for (const stop of route.body.stops as { number: string; street: string }[]) {
      expect(text).toContain(`${stop.number} ${stop.street}`);
    }
    expect(text).toContain('N = not home / no hay nadie');
    await t.http().get(`/turfs/${turfId}/walk-list.pdf`).set(bearer(cleo)).expect(404);
    const third = await t.http().get(`/turfs/${turfId}`).set(bearer(cleo)).expect(404);
    expect(third.body).toEqual((await t.http().get('/turfs/00000000-0000-4000-8000-000000000000').set(bearer(cleo)).expect(404)).body);
    expect((await t.http().get('/me/routes').set(bearer(cleo)).expect(200)).body.total).toBe(0);
    await t.http().get(`/campaigns/${campaignId}/turfs`).set(bearer(ana)).expect(403);
    await t
      .http()
      .put(`/turfs/${turfId}/assignment`)
      .set(bearer(ana))
      .send({ volunteerIds: [ana.userId] })
      .expect(403);

    // Replacing keeps the assigned turf and re-cuts only the others.
    const recut = await cutTurfs(campaignId, { doorsPerTurf: 40, save: true, replace: true }, 201);
    expect(recut.body.turfs.flatMap((x: { doorIds: string[] }) => x.doorIds)).not.toContain(cut.body.turfs[0].doorIds[0]);
    await t.http().get(`/turfs/${turfId}`).set(bearer(ana)).expect(200);

    const released = await t.http().delete(`/turfs/${turfId}/assignment`).set(bearer(organizer)).expect(200);
    expect(released.body.assignment).toBeNull();
    await t.http().get(`/turfs/${turfId}`).set(bearer(ana)).expect(404);
  });

  it('prints the walk list in both languages: bilingual headers, a legend for every box, follow-up, who and when, page numbers', async () => {
    const campaignId = await campaignWith(neighbourhoodCsv(13));
    const cut = await cutTurfs(campaignId, { doorsPerTurf: 40, save: true }, 201);
    const turf = cut.body.turfs[0] as { id: string; code: string; name: string; doorCount: number };
    const tag = randomUUID().slice(0, 6);
    const material = async (body: object) =>
      (await t.http().post('/materials').set(bearer(organizer)).send(body).expect(201)).body.id as string;
    const card = await material({
      kind: 'kyr_card',
      language: 'es',
      stock: 100,
      names: { en: `Know your rights card (Spanish) ${tag}`, es: `Tarjeta conozca sus derechos (español) ${tag}` },
    });
    const retired = await material({ kind: 'flyer', language: 'en', stock: 10, names: { en: `Old flyer ${tag}` } });
    await t
      .http()
      .put(`/campaigns/${campaignId}/materials`)
      .set(bearer(organizer))
      .send({ materialIds: [card, retired] })
      .expect(200);
    await t.http().post(`/materials/${retired}/retire`).set(bearer(organizer)).expect(200);

    const pdf = await t.http().get(`/turfs/${turf.id}/walk-list.pdf`).set(bearer(organizer)).buffer(true).parse(binary).expect(200);
    const bytes = pdf.body as Buffer;
    const text = pdfText(bytes);
    const lines = text.split('\n').map((l) => l.trim());
    // Headers wrap inside narrow columns: read the text as one line.
    const flat = text.replace(/\s+/g, ' ');
    // The cutter numbers its turfs; the sheet names the number in both languages.
    expect(turf.name).toMatch(/^\d+$/);
    expect(flat).toMatch(new RegExp(`^Turf / Zona ${turf.name} · code / código [2-9A-Z]{8} `));

    // Every column header in English and Spanish, with a legal follow-up column.
    for (const heading of [
      'Address / Dirección',
      'Unit / Unidad',
      'Outcome / Resultado',
      'Left / Dejamos',
      'Lang. / Idioma',
      'Legal follow-up / Seguimiento legal',
    ]) {
      expect(flat).toContain(heading);
    }
    expect(lines).not.toContain('Unit');
    expect(lines).not.toContain('Lang');

    // A 40-door route takes more than one page, each numbered "Page n of N / Página n de N".
    const pages = bytes.toString('latin1').match(/\/Type \/Page(?!s)/g)?.length ?? 0;
    expect(pages).toBeGreaterThan(1);
    for (let n = 1; n <= pages; n++) expect(flat).toContain(`Page ${n} of ${pages} / Página ${n} de ${pages}`);
    expect(flat).not.toContain(`Page ${pages + 1} of`);

    // Blanks for who walked the list and when, on every page (the paper entry screen asks for both).
    const count = (needle: string) => flat.split(needle).length - 1;
    expect(count('Walked by / Recorrido por: ___')).toBe(pages);
    expect(count('Date / Fecha:')).toBe(pages);
    expect(count('Time started / Hora de inicio: ___')).toBe(pages);

    // The instruction says what the boxes are for: one box per outcome, each explained, each explanation with its box.
    expect(flat).toContain('mark ONE outcome box with an X');
    expect(flat).toContain('marque con una X UNA casilla de resultado');
    expect(flat).not.toMatch(/Write the outcome code/i);
    const legend = lines.filter((l) => /^[A-Z] = [^/]+ \/ .+$/.test(l)).map((l) => l[0]);
    expect(legend).toHaveLength(VISIT_OUTCOMES.length);
    expect(new Set(legend).size).toBe(legend.length);
    const boxes: string[][] = [];
    lines.forEach((l, i) => {
      if (l !== 'Outcome / Resultado') return;
      const letters: string[] = [];
      for (let j = i + 1; /^[A-Z]$/.test(lines[j] ?? ''); j++) letters.push(lines[j]);
      boxes.push(letters);
    });
    expect(boxes).toHaveLength(pages);
    for (const letters of boxes) expect(letters).toEqual(legend);
    expect(flat).toContain('N = not home / no hay nadie');
    expect(flat).toContain('Legal follow-up / Seguimiento legal: X if the person asked for legal follow-up / X si la persona pidió');
    expect(flat).toContain('Lang. / Idioma: language of the conversation, EN or ES');
    expect(flat).toContain('Left / Dejamos: the number of each material left');

    // The campaign's materials by number, named in both languages; a retired one is not offered.
    expect(flat).toContain(`1 = Know your rights card (Spanish) ${tag} / Tarjeta conozca sus derechos (español) ${tag} (ES)`);
    expect(flat).not.toContain(`Old flyer ${tag}`);

    // Doors only: every door of the route, and a reminder to write no names.
    const route = await t.http().get(`/turfs/${turf.id}`).set(bearer(organizer)).expect(200);
    expect(route.body.stops).toHaveLength(turf.doorCount);
    for (const stop of route.body.stops as { number: string; street: string }[]) expect(text).toContain(`${stop.number} ${stop.street}`);
    expect(flat).toContain('No escriba nombres ni datos personales en esta hoja');
  });

  it('cuts only inside an area, and makes a drawn polygon one turf of its free doors', async () => {
    const campaignId = await campaignWith(neighbourhoodCsv(15));
    const [box] = await t.db.query(
      `SELECT min(ST_X(location::geometry)) AS w, max(ST_X(location::geometry)) AS e, min(ST_Y(location::geometry)) AS s, max(ST_Y(location::geometry)) AS n
         FROM buildings WHERE campaign_id = $1`,
      [campaignId],
    );
    const mid = (box.w + box.e) / 2;
    const rect = (w: number, e: number) => ({
      type: 'Polygon',
      coordinates: [
        [
          [w, box.s - 0.001],
          [e, box.s - 0.001],
          [e, box.n + 0.001],
          [w, box.n + 0.001],
          [w, box.s - 0.001],
        ],
      ],
    });
    const west = rect(box.w - 0.001, mid);
    const east = rect(mid + 0.00001, box.e + 0.001);
    const inside = async (area: object) =>
      (
        await t.db.query(
          `SELECT d.id FROM doors d JOIN buildings b ON b.id = d.building_id WHERE d.campaign_id = $1 AND ST_Covers(ST_GeomFromGeoJSON($2)::geography, b.location)`,
          [campaignId, JSON.stringify(area)],
        )
      )
        .map((r: { id: string }) => r.id)
        .sort();

    const cut = await cutTurfs(campaignId, { area: west, doorsPerTurf: 40, save: true }, 201);
    expect(cut.body.turfs.flatMap((x: { doorIds: string[] }) => x.doorIds).sort()).toEqual(await inside(west));

    const drawn = await t.http().post(`/campaigns/${campaignId}/turfs`).set(bearer(organizer)).send({ area: east }).expect(201);
    expect(drawn.body.turfs).toHaveLength(1);
    expect([...drawn.body.turfs[0].doorIds].sort()).toEqual(await inside(east));
    const route = await t.http().get(`/turfs/${drawn.body.turfs[0].id}`).set(bearer(organizer)).expect(200);
    expect(route.body.stops[0].doorId).toBe(drawn.body.turfs[0].meetingDoorId);

    const again = await t.http().post(`/campaigns/${campaignId}/turfs`).set(bearer(organizer)).send({ area: east }).expect(400);
    expect(again.body).toMatchObject({
      code: 'NOTHING_TO_CUT',
      message: expect.stringMatching(/inside this area/),
      details: { reason: 'no_free_doors_in_area', params: {} },
    });
    const bowtie = {
      type: 'Polygon',
      coordinates: [
        [
          [box.w, box.s],
          [box.e, box.n],
          [box.e, box.s],
          [box.w, box.n],
          [box.w, box.s],
        ],
      ],
    };
    const invalid = await t.http().post(`/campaigns/${campaignId}/turfs`).set(bearer(organizer)).send({ area: bowtie }).expect(400);
    expect(invalid.body).toMatchObject({ code: 'INVALID_GEOMETRY', message: expect.stringMatching(/Self-intersection/) });
    await t
      .http()
      .post(`/campaigns/${campaignId}/turfs`)
      .set(bearer(organizer))
      .send({ area: { type: 'Point', coordinates: [0, 0] } })
      .expect(400);
  });

  it('stops counting an assignment at its expiry, and the worker records it as expired', async () => {
    const campaignId = await campaignWith(neighbourhoodCsv(16));
    const cut = await cutTurfs(campaignId, { doorsPerTurf: 100, save: true }, 201);
    const turfId = cut.body.turfs[0].id as string;
    const volunteer = await addMember(t, organizer, 'volunteer');
    await t
      .http()
      .put(`/turfs/${turfId}/assignment`)
      .set(bearer(organizer))
      .send({ volunteerIds: [volunteer.userId], expiresInDays: 1 })
      .expect(200);
    await t.http().get(`/turfs/${turfId}`).set(bearer(volunteer)).expect(200);
    await t.db.query(`UPDATE route_assignments SET expires_at = now() - interval '1 minute' WHERE turf_id = $1`, [turfId]);
    await t.http().get(`/turfs/${turfId}`).set(bearer(volunteer)).expect(404);
    expect((await t.http().get('/me/routes').set(bearer(volunteer)).expect(200)).body.total).toBe(0);

    const queue = worker.get<Queue>(getQueueToken(QUEUE.maintenance));
    const events = new QueueEvents(QUEUE.maintenance, { connection: queue.opts.connection, prefix: queue.opts.prefix });
    try {
      await events.waitUntilReady();
      const job = await worker.get(JobProducer).enqueue('assignments-expire', { requestedAt: new Date().toISOString() });
      expect(await job.waitUntilFinished(events, 15_000)).toEqual({ expired: expect.any(Number) });
    } finally {
      await events.close();
    }
    const [{ status }] = await t.db.query('SELECT status FROM route_assignments WHERE turf_id = $1', [turfId]);
    expect(status).toBe('expired');
  });

  it('lets volunteers take a route by its code when the campaign allows it, alone or as a pair', async () => {
    const campaignId = await campaignWith(neighbourhoodCsv(17));
    const cut = await cutTurfs(campaignId, { doorsPerTurf: 100, save: true }, 201);
    const turf = (await t.http().get(`/turfs/${cut.body.turfs[0].id}`).set(bearer(organizer)).expect(200)).body;
    const [v1, v2, v3] = [
      await addMember(t, organizer, 'volunteer'),
      await addMember(t, organizer, 'volunteer'),
      await addMember(t, organizer, 'volunteer'),
    ];

    const off = await t.http().post('/routes/claim').set(bearer(v1)).send({ code: turf.code }).expect(403);
    expect(off.body.message).toMatch(/handed out by its organizers/);
    await t.http().patch(`/campaigns/${campaignId}`).set(bearer(organizer)).send({ allowSelfAssignment: true }).expect(200);

    const first = await t.http().post('/routes/claim').set(bearer(v1)).send({ code: turf.code.toLowerCase() }).expect(200);
    expect(first.body.assignment.volunteerIds).toEqual([v1.userId]);
    const pair = await t.http().post('/routes/claim').set(bearer(v2)).send({ code: turf.code }).expect(200);
    expect(pair.body.assignment.volunteerIds).toEqual([v1.userId, v2.userId]);
    await t.http().get(`/turfs/${turf.id}`).set(bearer(v2)).expect(200);
    const full = await t.http().post('/routes/claim').set(bearer(v3)).send({ code: turf.code }).expect(409);
    expect(full.body.code).toBe('ROUTE_TAKEN');
    await t.http().post('/routes/claim').set(bearer(v3)).send({ code: 'ZZZZZZZZ' }).expect(404);
    await t.http().post('/routes/claim').set(bearer(v3)).send({ code: 'short' }).expect(400);
    const stranger = await signupOrganizer(t);
    await t.http().post('/routes/claim').set(bearer(stranger)).send({ code: turf.code }).expect(404);

    const qr = await t.http().get(`/turfs/${turf.id}/qr.svg`).set(bearer(organizer)).buffer(true).parse(binary).expect(200);
    expect(qr.headers['content-type']).toMatch(/image\/svg\+xml/);
    expect((qr.body as Buffer).toString('utf8')).toMatch(/^<svg/);
    await t.http().get(`/turfs/${turf.id}/qr.svg`).set(bearer(v1)).expect(403);
  });

  it('lets the organizer reorder a route by hand, every door once and buildings whole', async () => {
    const campaignId = await campaignWith(neighbourhoodCsv(18));
    const cut = await cutTurfs(campaignId, { doorsPerTurf: 60, save: true }, 201);
    // A turf holding an apartment building, so that splitting its units can be tried.
    const [{ turf_id: turfId }] = await t.db.query(
      `SELECT td.turf_id FROM turf_doors td JOIN doors d ON d.id = td.door_id
        WHERE td.campaign_id = $1 GROUP BY td.turf_id, d.building_id HAVING count(*) > 1 LIMIT 1`,
      [campaignId],
    );
    const before = (await t.http().get(`/turfs/${turfId}`).set(bearer(organizer)).expect(200)).body;
    const ids = before.stops.map((x: { doorId: string }) => x.doorId) as string[];

    const reversed = [...ids].reverse();
    const after = await t.http().put(`/turfs/${turfId}/route`).set(bearer(organizer)).send({ doorIds: reversed }).expect(200);
    expect(after.body.stops.map((x: { doorId: string }) => x.doorId)).toEqual(reversed);
    expect(after.body.meetingDoorId).toBe(reversed[0]);
    expect(Math.abs(after.body.walkMetres - before.walkMetres)).toBeLessThanOrEqual(2);

    const missing = await t
      .http()
      .put(`/turfs/${turfId}/route`)
      .set(bearer(organizer))
      .send({ doorIds: ids.slice(1) })
      .expect(400);
    expect(missing.body.details.fields.doorIds[0]).toMatch(/1 missing/);
    await t
      .http()
      .put(`/turfs/${turfId}/route`)
      .set(bearer(organizer))
      .send({ doorIds: [...ids.slice(1), ids[1]] })
      .expect(400);
    const stops = before.stops as { doorId: string; buildingId: string }[];
    const building = stops.find((x, i) => i > 0 && stops[i - 1].buildingId === x.buildingId)!.buildingId;
    const unit = stops.findIndex((x) => x.buildingId === building);
    // Move one unit to the far end of the route, away from the rest of its building.
    const rest = [...ids.slice(0, unit), ...ids.slice(unit + 1)];
    const split = unit < ids.length / 2 ? [...rest, ids[unit]] : [ids[unit], ...rest];
    const splitRes = await t.http().put(`/turfs/${turfId}/route`).set(bearer(organizer)).send({ doorIds: split }).expect(400);
    expect(splitRes.body.message).toMatch(/units of a building must stay together/);
    const other = await signupOrganizer(t);
    await t.http().put(`/turfs/${turfId}/route`).set(bearer(other)).send({ doorIds: ids }).expect(404);
    expect(cut.body.saved).toBe(true);
  });

  it('splits a turf into balanced parts and merges turfs back into one, keeping every door once', async () => {
    const campaignId = await campaignWith(neighbourhoodCsv(19));
    const cut = await cutTurfs(campaignId, { doorsPerTurf: 80, save: true }, 201);
    const doorsInTurfs = async () =>
      (await t.db.query('SELECT door_id FROM turf_doors WHERE campaign_id = $1', [campaignId]))
        .map((r: { door_id: string }) => r.door_id)
        .sort();
    const before = await doorsInTurfs();
    const big = cut.body.turfs[0];

    const split = await t.http().post(`/turfs/${big.id}/split`).set(bearer(organizer)).send({ parts: 2 }).expect(201);
    expect(split.body.turfs).toHaveLength(2);
    expect(split.body.turfs.flatMap((x: { doorIds: string[] }) => x.doorIds).sort()).toEqual([...big.doorIds].sort());
    expect(Math.abs(split.body.turfs[0].doorCount - split.body.turfs[1].doorCount)).toBeLessThanOrEqual(Math.ceil(big.doorCount * 0.1) + 4);
    await t.http().get(`/turfs/${big.id}`).set(bearer(organizer)).expect(404);

    const merged = await t
      .http()
      .post('/turfs/merge')
      .set(bearer(organizer))
      .send({ turfIds: split.body.turfs.map((x: { id: string }) => x.id) })
      .expect(201);
    expect(merged.body.turfs).toHaveLength(1);
    expect([...merged.body.turfs[0].doorIds].sort()).toEqual([...big.doorIds].sort());
    expect(await doorsInTurfs()).toEqual(before);
    // New turfs are numbered after the highest left, never reusing a name still in use.
    const [{ names, distinct }] = await t.db.query<{ names: number; distinct: number }[]>(
      'SELECT count(*)::int AS names, count(DISTINCT name)::int AS distinct FROM turfs WHERE campaign_id = $1',
      [campaignId],
    );
    expect(distinct).toBe(names);

    // A turf someone walks can be neither split nor merged; other campaigns' turfs are not found.
    const walked = cut.body.turfs[1].id;
    const volunteer = await addMember(t, organizer, 'volunteer');
    await t
      .http()
      .put(`/turfs/${walked}/assignment`)
      .set(bearer(organizer))
      .send({ volunteerIds: [volunteer.userId] })
      .expect(200);
    expect((await t.http().post(`/turfs/${walked}/split`).set(bearer(organizer)).send({ parts: 2 }).expect(409)).body.code).toBe(
      'TURF_ASSIGNED',
    );
    const busy = await t
      .http()
      .post('/turfs/merge')
      .set(bearer(organizer))
      .send({ turfIds: [merged.body.turfs[0].id, walked] })
      .expect(409);
    expect(busy.body.code).toBe('TURF_ASSIGNED');
    const otherCampaign = await campaignWith(neighbourhoodCsv(20));
    const otherCut = await cutTurfs(otherCampaign, { doorsPerTurf: 200, save: true }, 201);
    await t
      .http()
      .post('/turfs/merge')
      .set(bearer(organizer))
      .send({ turfIds: [merged.body.turfs[0].id, otherCut.body.turfs[0].id] })
      .expect(404);
    await t.http().post(`/turfs/${merged.body.turfs[0].id}/split`).set(bearer(organizer)).send({ parts: 11 }).expect(400);
    expect(await doorsInTurfs()).toEqual(before);
  });

  it('moves doors between turfs a building at a time, with new routes and the coverage figures following them', async () => {
    const f = await routeFixture(t, organizer, 2);
    const [from, to] = f.turfIds;
    const volunteer = await addMember(t, organizer, 'volunteer');
    await assignRoute(t, organizer, from, [volunteer.userId]);
    const visited = f.apartmentDoorIds[2];
    const synced = await sync(t, volunteer, [
      {
        kind: 'visit',
        id: randomUUID(),
        turfId: from,
        doorId: visited,
        outcome: 'talked',
        recordedAt: new Date().toISOString(),
        materials: [],
      },
    ]).expect(200);
    expect(synced.body.results[0].status).toBe('created');
    const figures = async () =>
      (await t.http().get(`/campaigns/${f.campaignId}/coverage/turfs`).set(bearer(organizer)).expect(200)).body as {
        turfId: string;
        doors: number;
        attempted: number;
        reached: number;
      }[];
    await waitFor(async () => (await figures()).find((x) => x.turfId === from)?.attempted === 1, 30_000, 'the visit in the figures');

    // Someone walks the turf the doors would leave: nothing moves.
    const busy = await t
      .http()
      .post(`/turfs/${to}/doors`)
      .set(bearer(organizer))
      .send({ doorIds: [visited] })
      .expect(409);
    expect(busy.body.code).toBe('TURF_ASSIGNED');
    await t.http().delete(`/turfs/${from}/assignment`).set(bearer(organizer)).expect(200);

    const sizes = { from: f.doors.get(from)!.length, to: f.doors.get(to)!.length };
    // One unit named; the whole six-unit building moves.
    const moved = await t
      .http()
      .post(`/turfs/${to}/doors`)
      .set(bearer(organizer))
      .send({ doorIds: [visited] })
      .expect(201);
    expect(moved.body.saved).toBe(true);
    expect(moved.body.turfs.map((x: { id: string }) => x.id).sort()).toEqual([from, to].sort());
    const route = async (turfId: string) =>
      (
        (await t.http().get(`/turfs/${turfId}`).set(bearer(organizer)).expect(200)).body.stops as { doorId: string; buildingId: string }[]
      ).map((x) => x.doorId);
    const toRoute = await route(to);
    const fromRoute = await route(from);
    expect(toRoute).toHaveLength(sizes.to + 6);
    expect(fromRoute).toHaveLength(sizes.from - 6);
    for (const id of f.apartmentDoorIds) expect(toRoute).toContain(id);
    // The building's units stay together in the new route.
    const at = f.apartmentDoorIds.map((id) => toRoute.indexOf(id)).sort((a, b) => a - b);
    expect(at[at.length - 1] - at[0]).toBe(5);
    const [{ n, distinct }] = await t.db.query(
      'SELECT count(*)::int AS n, count(DISTINCT door_id)::int AS distinct FROM turf_doors WHERE campaign_id = $1',
      [f.campaignId],
    );
    expect([n, distinct]).toEqual([sizes.from + sizes.to, sizes.from + sizes.to]);
    const turfs = await t.db.query<{ id: string; door_count: number; meeting_door_id: string }[]>(
      'SELECT id, door_count, meeting_door_id FROM turfs WHERE id = ANY($1::uuid[])',
      [[from, to]],
    );
    expect(turfs.find((x) => x.id === to)).toMatchObject({ door_count: sizes.to + 6, meeting_door_id: toRoute[0] });
    expect(turfs.find((x) => x.id === from)).toMatchObject({ door_count: sizes.from - 6, meeting_door_id: fromRoute[0] });
    // The visited door took its figures with it, at once.
    const after = await figures();
    expect(after.find((x) => x.turfId === to)).toMatchObject({ doors: sizes.to + 6, attempted: 1, reached: 1 });
    expect(after.find((x) => x.turfId === from)).toMatchObject({ doors: sizes.from - 6, attempted: 0, reached: 0 });
    const [audit] = await t.db.query(`SELECT metadata FROM audit_log WHERE action = 'turf.doors_moved' AND target_id = $1`, [to]);
    expect(audit.metadata).toMatchObject({ doors: 6 });

    // Bad moves change nothing.
    const again = await t
      .http()
      .post(`/turfs/${to}/doors`)
      .set(bearer(organizer))
      .send({ doorIds: [visited] })
      .expect(400);
    expect(again.body.details.fields.doorIds[0]).toMatch(/in this turf already/);
    const other = await routeFixture(t, organizer, 1);
    const stranger = await t
      .http()
      .post(`/turfs/${to}/doors`)
      .set(bearer(organizer))
      .send({ doorIds: [other.apartmentDoorIds[0], fromRoute[0]] })
      .expect(400);
    expect(stranger.body.details.fields.doorIds[0]).toMatch(/1 of the doors are not in this turf's campaign/);
    await t
      .http()
      .post(`/turfs/${to}/doors`)
      .set(bearer(await signupOrganizer(t)))
      .send({ doorIds: [fromRoute[0]] })
      .expect(404);
    await t
      .http()
      .post(`/turfs/${to}/doors`)
      .set(bearer(volunteer))
      .send({ doorIds: [fromRoute[0]] })
      .expect(403);
    await t.http().post(`/turfs/${to}/doors`).set(bearer(organizer)).send({ doorIds: [] }).expect(400);
    expect(await route(to)).toEqual(toRoute);
    expect(await route(from)).toEqual(fromRoute);

    // Emptied, the turf it leaves is removed.
    await t.http().post(`/turfs/${to}/doors`).set(bearer(organizer)).send({ doorIds: fromRoute }).expect(201);
    await t.http().get(`/turfs/${from}`).set(bearer(organizer)).expect(404);
    expect(await route(to)).toHaveLength(sizes.from + sizes.to);
  });

  it('moves doors both ways between two turfs at the same moment without either move failing', async () => {
    const f = await routeFixture(t, organizer, 2);
    const [a, b] = f.turfIds;
    const houseOf = (turfId: string) => f.doors.get(turfId)!.find((d) => d.unit === null)!.id;
    // A second worker, so that the two moves are planned at once, each locking the other's turf.
    const second = await startWorker();
    try {
      const [toB, toA] = await Promise.all([
        t
          .http()
          .post(`/turfs/${b}/doors`)
          .set(bearer(organizer))
          .send({ doorIds: [houseOf(a)] }),
        t
          .http()
          .post(`/turfs/${a}/doors`)
          .set(bearer(organizer))
          .send({ doorIds: [houseOf(b)] }),
      ]);
      expect([toB.status, toA.status]).toEqual([201, 201]);
    } finally {
      await second.close();
    }
    const held = await t.db.query<{ turf_id: string; door_id: string }[]>(
      'SELECT turf_id, door_id FROM turf_doors WHERE door_id = ANY($1::uuid[])',
      [[houseOf(a), houseOf(b)]],
    );
    expect(new Map(held.map((r) => [r.door_id, r.turf_id]))).toEqual(
      new Map([
        [houseOf(a), b],
        [houseOf(b), a],
      ]),
    );
  });

  it('leaves "do not knock" doors out of cuts and routes', async () => {
    const campaignId = await campaignWith(neighbourhoodCsv(13));
    const [first] = await doorsOf(campaignId);
    await t.http().put(`/doors/${first.id}/do-not-knock`).set(bearer(organizer)).expect(200);
    const cut = await cutTurfs(campaignId, { doorsPerTurf: 60, save: true }, 201);
    expect(cut.body.turfs.flatMap((x: { doorIds: string[] }) => x.doorIds)).not.toContain(first.id);
    // Marked after the cut: it drops out of the route at once.
    const turf = cut.body.turfs[0];
    await t.http().put(`/doors/${turf.doorIds[1]}/do-not-knock`).set(bearer(organizer)).expect(200);
    const route = await t.http().get(`/turfs/${turf.id}`).set(bearer(organizer)).expect(200);
    expect(route.body.stops.map((s: { doorId: string }) => s.doorId)).not.toContain(turf.doorIds[1]);
  });

  it('answers bad cuts and assignments with clear 4xx', async () => {
    const empty = (await t.http().post('/campaigns').set(bearer(organizer)).send({ name: 'Empty' }).expect(201)).body.id;
    const none = await cutTurfs(empty, { doorsPerTurf: 50 }, 400);
    expect(none.body).toMatchObject({
      code: 'NOTHING_TO_CUT',
      message: expect.stringMatching(/import addresses first/),
      details: { reason: 'no_doors_left' },
    });
    for (const doorsPerTurf of [4, 501, 'fifty']) {
      const res = await cutTurfs(empty, { doorsPerTurf }, 400);
      expect(res.body.details.fields).toHaveProperty('doorsPerTurf');
    }
    const other = await signupOrganizer(t);
    await t.http().post(`/campaigns/${empty}/turfs/cut`).set(bearer(other)).send({ doorsPerTurf: 50 }).expect(404);

    const campaignId = await campaignWith(neighbourhoodCsv(14));
    const cut = await cutTurfs(campaignId, { doorsPerTurf: 100, save: true }, 201);
    const turfId = cut.body.turfs[0].id;
    const otherId = (await t.http().get('/me').set(bearer(other)).expect(200)).body.id as string;
    const stranger = await t
      .http()
      .put(`/turfs/${turfId}/assignment`)
      .set(bearer(organizer))
      .send({ volunteerIds: [otherId] })
      .expect(400);
    expect(stranger.body.details.fields.volunteerIds[0]).toMatch(/not an active member/);
    const nobody = await t.http().put(`/turfs/${turfId}/assignment`).set(bearer(organizer)).send({ volunteerIds: [] }).expect(400);
    expect(nobody.body.details.fields).toHaveProperty('volunteerIds');
    await t.http().put(`/turfs/${turfId}/assignment`).set(bearer(other)).send({ volunteerIds: [] }).expect(400);
  });

  describeWithSharedData('Reynoldstown', () => {
    it('cuts the real neighbourhood into balanced ~50-door turfs covering every door', async () => {
      const campaignId = await campaignWith(sharedFile('addresses/us-ga-atlanta-reynoldstown.csv'));
      const doors = await doorsOf(campaignId);
      const cut = await cutTurfs(campaignId, { doorsPerTurf: 50, save: true }, 201);
      expect(cut.body.summary.turfCount).toBe(Math.round(doors.length / 50));
      expect(cut.body.summary.maxDoors / cut.body.summary.minDoors).toBeLessThanOrEqual(1.1);
      const [{ n, distinct }] = await t.db.query(
        'SELECT count(*)::int AS n, count(DISTINCT door_id)::int AS distinct FROM turf_doors WHERE campaign_id = $1',
        [campaignId],
      );
      expect([n, distinct]).toEqual([doors.length, doors.length]);
    });
  });
});
