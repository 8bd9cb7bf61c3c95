import { INestApplicationContext } from '@nestjs/common';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer } from '../../support/factories';
import { waitFor } from '../../support/processes';
import { describeWithSharedData, sharedFile } from '../../support/shared-data';
import { startWorker } from '../../support/worker';

describe('address imports, processed by the real worker', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let organizer: OrganizerSession;

  const newCampaign = async (name = 'Know your rights') =>
    (await t.http().post('/campaigns').set(bearer(organizer)).send({ name }).expect(201)).body.id as string;

  const upload = (campaignId: string, content: Buffer | string, type = 'text/csv', fileName = 'addresses.csv') =>
    t
      .http()
      .post(`/campaigns/${campaignId}/imports?fileName=${encodeURIComponent(fileName)}`)
      .set(bearer(organizer))
      .set('Content-Type', type)
      // Send GeoJSON as a string: superagent JSON-encodes a Buffer when the content type says JSON.
      .send(content);

  /** Uploads and waits until the worker has finished the import. */
  const importFile = async (campaignId: string, content: Buffer | string, type = 'text/csv') => {
    const res = await upload(campaignId, content, type).expect(202);
    expect(res.body.status).toBe('queued');
    let body = res.body as { id: string; status: string; [k: string]: unknown } & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    await waitFor(
      async () => {
        body = (await t.http().get(`/imports/${res.body.id}`).set(bearer(organizer)).expect(200)).body;
        return body.status === 'completed' || body.status === 'failed';
      },
      60_000,
      'the import to finish',
    );
    return body;
  };

  const doorCount = async (campaignId: string) =>
    (await t.http().get(`/campaigns/${campaignId}`).set(bearer(organizer)).expect(200)).body.doorCount as number;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await startWorker();
    organizer = await signupOrganizer(t);
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('reports each kind of bad row with its line, a stable code and the reason in English, as JSON and as CSV', async () => {
    const campaignId = await newCampaign();
    const csv = [
      'STREET,NUMBER,LON,LAT,UNIT,CITY,POSTCODE,ID',
      'Wylie St SE,101,-84.3481,33.7467,,Atlanta,30316,a1',
      'Wylie St SE,103,,,,Atlanta,30316,a2',
      'Wylie St SE,105,west,33.7467,,Atlanta,30316,a3',
      'Wylie St SE,107,37.7721,-122.4238,,Atlanta,30316,a4',
      ',109,-84.3481,33.7467,,Atlanta,30316,a5',
      'Wylie St SE,,-84.3481,33.7467,,Atlanta,30316,a6',
      'Wylie St SE,111,0,0,,Atlanta,30316,a7',
      `Wylie St SE,113,-84.3481,33.7467,${'U'.repeat(41)},Atlanta,30316,a10`,
      'Wylie Street Southeast,101,-84.3481,33.7467,,Atlanta,30316,a8',
      '"Kirkwood Ave SE, rear",12,-84.3470,33.7480,"Apt 2",Atlanta,30316,a9',
    ].join('\r\n');
    const report = await importFile(campaignId, csv);
    expect(report).toMatchObject({
      status: 'completed',
      progress: { rowsRead: 10, rowsTotal: 10, percent: 100 },
      report: { rowsImported: 2, duplicatesMerged: 1, rowsRejected: 7 },
    });
    const rejections = await t.http().get(`/imports/${report.id}/rejections`).set(bearer(organizer)).expect(200);
    expect(rejections.body.items).toEqual([
      { line: 3, code: 'missing_coordinate', reason: 'missing coordinate' },
      { line: 4, code: 'longitude_not_number', reason: 'longitude is not a number' },
      { line: 5, code: 'coordinates_swapped', reason: 'longitude and latitude appear swapped' },
      { line: 6, code: 'empty_street', reason: 'empty street' },
      { line: 7, code: 'missing_number', reason: 'missing house number' },
      { line: 8, code: 'null_island', reason: expect.stringMatching(/0,0/) },
      { line: 9, code: 'field_too_long', params: { field: 'UNIT', max: 40 }, reason: 'UNIT longer than 40 characters' },
    ]);
    const asCsv = await t.http().get(`/imports/${report.id}/rejections.csv`).set(bearer(organizer)).expect(200);
    expect(asCsv.headers['content-type']).toMatch(/text\/csv/);
    expect(asCsv.headers['content-disposition']).toBe(`attachment; filename="import-${report.id.slice(0, 8)}-rejected-rows.csv"`);
    expect(asCsv.text.split('\r\n').slice(0, 3)).toEqual([
      'line,code,reason',
      '3,missing_coordinate,missing coordinate',
      '4,longitude_not_number,longitude is not a number',
    ]);
    expect(await doorCount(campaignId)).toBe(2);
  });

  it('rejects a file with the wrong header at once, and keeps nothing of it', async () => {
    const campaignId = await newCampaign();
    const [{ n: before }] = await t.db.query('SELECT count(*)::int AS n FROM address_imports');
    const res = await upload(campaignId, 'x,y,house\n1,2,3\n').expect(400);
    expect(res.body).toMatchObject({
      code: 'UNREADABLE_FILE',
      message: expect.stringContaining('Missing: LON, LAT, NUMBER, STREET'),
      details: {
        reason: 'csv_missing_columns',
        params: { required: 'LON, LAT, NUMBER, STREET', missing: 'LON, LAT, NUMBER, STREET', found: 'X, Y, HOUSE' },
      },
    });
    expect((await upload(campaignId, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0])).expect(400)).body).toMatchObject({
      code: 'UNREADABLE_FILE',
      details: { reason: 'file_not_text', params: { format: 'csv' } },
    });
    const [{ n: after }] = await t.db.query('SELECT count(*)::int AS n FROM address_imports');
    expect(after).toBe(before);
  });

  it('fails a file that breaks halfway, leaving no doors and no rejections behind', async () => {
    const campaignId = await newCampaign();
    const rows = ['LON,LAT,NUMBER,STREET'];
    for (let i = 0; i < 1500; i++) rows.push(`-84.34${i % 10},33.74${i % 10},${i + 1},Pearl St SE`);
    rows.push('-84.3,33.7,9999,"Unclosed quote', '-84.3,33.7,10000,Pearl St SE');
    const report = await importFile(campaignId, rows.join('\n'));
    expect(report.status).toBe('failed');
    expect(report.error).toEqual({
      code: 'UNREADABLE_FILE',
      message: expect.stringContaining('cannot be read'),
      details: { reason: 'csv_unreadable', params: { line: expect.any(Number) } },
    });
    expect(await doorCount(campaignId)).toBe(0);
    expect((await t.db.query('SELECT count(*)::int AS n FROM address_import_rejections WHERE import_id = $1', [report.id]))[0].n).toBe(0);
    expect((await t.db.query('SELECT count(*)::int AS n FROM address_import_files WHERE import_id = $1', [report.id]))[0].n).toBe(0);
  });

  it('imports GeoJSON points, and flags features that are not points', async () => {
    const campaignId = await newCampaign();
    const doc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [-84.3481, 33.7467] },
          properties: { NUMBER: '101', STREET: 'Wylie St SE' },
        },
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [-84.3482, 33.7468] },
          properties: { number: '103', street: 'Wylie St SE', unit: '1' },
        },
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [] }, properties: { NUMBER: '105', STREET: 'Wylie St SE' } },
      ],
    };
    const report = await importFile(campaignId, JSON.stringify(doc), 'application/geo+json');
    expect(report).toMatchObject({ status: 'completed', report: { rowsImported: 2, rowsRejected: 1 } });
    const rejections = await t.http().get(`/imports/${report.id}/rejections`).set(bearer(organizer)).expect(200);
    expect(rejections.body.items).toEqual([{ line: 3, code: 'feature_not_point', reason: 'feature is not a Point' }]);
  });

  it('reads GeoJSON with one feature per line, with or without the RFC 8142 separator, as osmium export writes it', async () => {
    const feature = (n: number, lon: number, lat: number) =>
      JSON.stringify({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [lon, lat] },
        properties: { '@id': `n${n}`, number: String(n), street: 'Wylie St SE' },
      });
    const features = [feature(101, -84.3481, 33.7467), feature(103, -84.3483, 33.7467), feature(105, -84.3485, 33.7467)];
    const withSeparator = await importFile(await newCampaign(), features.map((f) => `\u001e${f}\n`).join(''), 'application/geo+json-seq');
    expect(withSeparator).toMatchObject({ status: 'completed', report: { rowsImported: 3, rowsRejected: 0 } });
    const lines = await importFile(await newCampaign(), [...features, '{"type":"Feature" oops'].join('\n'), 'application/geo+json');
    expect(lines).toMatchObject({ status: 'completed', progress: { rowsRead: 4 }, report: { rowsImported: 3, rowsRejected: 1 } });
    const rejections = await t.http().get(`/imports/${lines.id}/rejections`).set(bearer(organizer)).expect(200);
    expect(rejections.body.items).toEqual([{ line: 4, code: 'feature_not_json', reason: 'feature is not valid JSON' }]);
  });

  describe('the same address at several places', () => {
    // Kodiak, Alaska: two "1929 Mission Road" about 15.8 km apart, as in the OpenAddresses file of the borough.
    const HERE = { lon: -152.3939, lat: 57.7931 };
    const THERE = { lon: -152.3939, lat: 57.7931 + 0.1419 };
    const metresNorth = (p: { lon: number; lat: number }, m: number) => ({ lon: p.lon, lat: p.lat + m / 111_320 });
    const row = (p: { lon: number; lat: number }, number: string, street: string, unit = '') =>
      `${p.lon},${p.lat},${number},${street},${unit}`;
    const csv = (...rows: string[]) => ['LON,LAT,NUMBER,STREET,UNIT', ...rows].join('\n') + '\n';
    const buildingsOf = async (campaignId: string) =>
      (await t.db.query('SELECT count(*)::int AS n FROM buildings WHERE campaign_id = $1', [campaignId]))[0].n as number;

    it('keeps the same address far apart as two doors, merges near ones, and reports both kinds', async () => {
      const campaignId = await newCampaign('Kodiak');
      const file = csv(
        row(HERE, '1929', 'Mission Road'),
        row(THERE, '1929', 'Mission Rd'),
        row(metresNorth(HERE, 40), '1929', 'MISSION ROAD'),
        row(metresNorth(HERE, 500), '12', 'Rezanof Dr'),
        row(metresNorth(HERE, 500), '12', 'Rezanof Drive'),
      );
      const first = await importFile(campaignId, file);
      expect(first.report).toEqual({
        rowsImported: 3,
        duplicatesMerged: 2,
        rowsRejected: 0,
        addressesKeptApart: 1,
        keptApart: [{ street: 'Mission Road', number: '1929', unit: null, places: 2, farthestMetres: expect.any(Number) }],
        mergeWithinMetres: 150,
      });
      expect(first.report.keptApart[0].farthestMetres).toBeGreaterThan(15_700);
      expect(first.report.keptApart[0].farthestMetres).toBeLessThan(15_900);
      expect(await doorCount(campaignId)).toBe(3);
      expect(await buildingsOf(campaignId)).toBe(3);

      // The same file again: every row finds its door, near or far.
      const again = await importFile(campaignId, file);
      expect(again.report).toMatchObject({ rowsImported: 0, duplicatesMerged: 5, rowsRejected: 0, addressesKeptApart: 1 });
      expect(await doorCount(campaignId)).toBe(3);

      // Another file into the campaign that has these doors: near the second place merges, a third place is a door of its own.
      const more = await importFile(
        campaignId,
        csv(row(metresNorth(THERE, -120), '1929', 'Mission Road'), row(metresNorth(THERE, 3000), '1929', 'Mission Road')),
      );
      expect(more.report).toMatchObject({ rowsImported: 1, duplicatesMerged: 1, addressesKeptApart: 1, keptApart: [{ places: 3 }] });
      expect(await doorCount(campaignId)).toBe(4);
    });

    it('merges a row only within 150 m of the door it joins: points 100 m apart in a line are not all one door', async () => {
      const campaignId = await newCampaign('Chain');
      const chain = [0, 100, 200, 300].map((m) => row(metresNorth(HERE, m), '7', 'Mill Bay Rd'));
      const report = await importFile(campaignId, csv(...chain));
      expect(report.report).toMatchObject({ rowsImported: 2, duplicatesMerged: 2, addressesKeptApart: 1 });
      const [{ farthest }] = await t.db.query(
        `SELECT max(ST_Distance(b.location, ST_SetSRID(ST_MakePoint($2::float8, $3::float8 + m / 111320.0), 4326)::geography))::int AS farthest
           FROM unnest(ARRAY[0, 100, 200, 300]) m
           CROSS JOIN LATERAL (SELECT location FROM buildings WHERE campaign_id = $1
                                ORDER BY location <-> ST_SetSRID(ST_MakePoint($2::float8, $3::float8 + m / 111320.0), 4326)::geography LIMIT 1) b`,
        [campaignId, HERE.lon, HERE.lat],
      );
      expect(farthest).toBeLessThanOrEqual(150);
      const again = await importFile(campaignId, csv(...chain));
      expect(again.report).toMatchObject({ rowsImported: 0, duplicatesMerged: 4 });
    });

    it('keeps units of one building together, and one unit at two far places as two doors', async () => {
      const campaignId = await newCampaign('Units');
      const report = await importFile(
        campaignId,
        csv(
          row(HERE, '300', 'Marine Way', 'Apt 1'),
          row(HERE, '300', 'Marine Way', '#2'),
          row(metresNorth(HERE, 30), '300', 'Marine Way', '1'),
          row(THERE, '300', 'Marine Way', 'Apt 1'),
        ),
      );
      expect(report.report).toMatchObject({
        rowsImported: 3,
        duplicatesMerged: 1,
        addressesKeptApart: 1,
        keptApart: [{ unit: 'Apt 1', places: 2 }],
      });
      expect(await buildingsOf(campaignId)).toBe(2);
    });
  });

  it('stamps finishedAt when the import ends, not when its transaction began', async () => {
    const campaignId = await newCampaign();
    const rows = ['LON,LAT,NUMBER,STREET'];
    for (let i = 0; i < 50; i++) rows.push(`-84.34${i % 10},33.74${i % 10},${i + 1},Pearl St SE`);
    // Hold the buildings table so that the import waits, inside its transaction, before it can add any.
    const holder = t.db.createQueryRunner();
    await holder.connect();
    let released: Date;
    try {
      await holder.startTransaction();
      await holder.query('LOCK TABLE buildings IN SHARE MODE');
      const res = await upload(campaignId, rows.join('\n')).expect(202);
      await waitFor(
        async () =>
          (await t.db.query(`SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'buildings'::regclass AND NOT granted`))[0].n > 0,
        30_000,
        'the import to wait for the buildings table',
      );
      await new Promise((r) => setTimeout(r, 1000));
      [{ at: released }] = await holder.query('SELECT clock_timestamp() AS at');
      await holder.commitTransaction();
      let body: Record<string, any> = {}; // eslint-disable-line @typescript-eslint/no-explicit-any
      await waitFor(
        async () => {
          body = (await t.http().get(`/imports/${res.body.id}`).set(bearer(organizer)).expect(200)).body;
          return body.status === 'completed';
        },
        30_000,
        'the import to finish',
      );
      expect(new Date(body.finishedAt).getTime()).toBeGreaterThanOrEqual(released.getTime());
      expect(new Date(body.finishedAt).getTime() - new Date(body.createdAt).getTime()).toBeGreaterThanOrEqual(1000);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
  });

  it('accepts only address files on the import route, and address files only there', async () => {
    const campaignId = await newCampaign();
    const json = await t.http().post(`/campaigns/${campaignId}/imports`).set(bearer(organizer)).send({ some: 'json' }).expect(415);
    expect(json.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const elsewhere = await t.http().post('/auth/login').set('Content-Type', 'text/csv').send('LON,LAT\n').expect(415);
    expect(elsewhere.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('keeps other organizations and other roles out', async () => {
    const campaignId = await newCampaign();
    const other = await signupOrganizer(t);
    const foreign = await t
      .http()
      .post(`/campaigns/${campaignId}/imports`)
      .set(bearer(other))
      .set('Content-Type', 'text/csv')
      .send('LON,LAT,NUMBER,STREET\n');
    expect(foreign.status).toBe(404);
    await t.http().get(`/campaigns/${campaignId}`).set(bearer(other)).expect(404);
    await t.http().get(`/campaigns/${campaignId}/doors`).set(bearer(other)).expect(404);
    const volunteer = await addMember(t, organizer, 'volunteer');
    await upload(campaignId, 'LON,LAT,NUMBER,STREET\n').set(bearer(volunteer)).expect(403);
    const coordinator = await addMember(t, organizer, 'coordinator');
    await t.http().get(`/campaigns/${campaignId}/doors`).set(bearer(coordinator)).expect(403);
  });

  it('marks a door "do not knock" and clears the mark', async () => {
    const campaignId = await newCampaign();
    await importFile(campaignId, 'LON,LAT,NUMBER,STREET\n-84.3481,33.7467,101,Wylie St SE\n');
    const doors = await t.http().get(`/campaigns/${campaignId}/doors`).set(bearer(organizer)).expect(200);
    const doorId = doors.body.items[0].id;
    expect((await t.http().put(`/doors/${doorId}/do-not-knock`).set(bearer(organizer)).expect(200)).body.doNotKnock).toBe(true);
    expect((await t.http().delete(`/doors/${doorId}/do-not-knock`).set(bearer(organizer)).expect(200)).body.doNotKnock).toBe(false);
    const other = await signupOrganizer(t);
    await t.http().put(`/doors/${doorId}/do-not-knock`).set(bearer(other)).expect(404);
  });

  describeWithSharedData('the real address files', () => {
    it('imports Reynoldstown (1,134 houses) and changes nothing when the same file comes again', async () => {
      const campaignId = await newCampaign('Reynoldstown');
      const file = sharedFile('addresses/us-ga-atlanta-reynoldstown.csv');
      const first = await importFile(campaignId, file);
      expect(first.status).toBe('completed');
      expect(first.progress).toEqual({ rowsRead: 1134, rowsTotal: 1134, percent: 100 });
      const { rowsImported, duplicatesMerged, rowsRejected } = first.report;
      expect(rowsImported + duplicatesMerged + rowsRejected).toBe(1134);
      expect(rowsImported).toBeGreaterThan(1000);
      expect(await doorCount(campaignId)).toBe(rowsImported);

      const again = await importFile(campaignId, file);
      expect(again.report).toEqual({ ...first.report, rowsImported: 0, duplicatesMerged: rowsImported + duplicatesMerged, rowsRejected });
      // Its duplicates all lie within 150 m of each other (the farthest pair 129 m apart): none is kept apart.
      expect(first.report.addressesKeptApart).toBe(0);
      expect(await doorCount(campaignId)).toBe(rowsImported);
    });

    it('imports San Francisco (7,284 points) with apartment units as doors of one building', async () => {
      const campaignId = await newCampaign('Civic Center');
      const report = await importFile(campaignId, sharedFile('addresses/us-ca-san-francisco-civic-center.csv'));
      expect(report.status).toBe('completed');
      expect(report.progress.rowsRead).toBe(7284);
      // Three placeholder addresses ("0 Unknown", "7000 Unknown", "0P Unknown") stand at points up to 1.7 km apart.
      expect(report.report.addressesKeptApart).toBe(3);
      expect(report.report.keptApart.map((a: { number: string }) => a.number).sort()).toEqual(['0', '0P', '7000']);
      const [{ doors, buildings, multi }] = await t.db.query(
        `SELECT count(*)::int AS doors, count(DISTINCT building_id)::int AS buildings,
                (SELECT count(*)::int FROM (SELECT building_id FROM doors WHERE campaign_id = $1 GROUP BY building_id HAVING count(*) > 1) x) AS multi
           FROM doors WHERE campaign_id = $1`,
        [campaignId],
      );
      expect(doors).toBe(report.report.rowsImported);
      expect(buildings).toBeLessThan(doors);
      expect(multi).toBeGreaterThan(50);
      const page = await t.http().get(`/campaigns/${campaignId}/doors?limit=100&offset=0`).set(bearer(organizer)).expect(200);
      expect(page.body.total).toBe(doors);
      expect(page.body.items).toHaveLength(100);
    });
  });
});
