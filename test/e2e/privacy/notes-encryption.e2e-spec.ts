import { INestApplicationContext } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { DEVELOPMENT_NOTES_KEYS } from '@app/config';
import { runRotateNotesKey } from '../../../apps/cli/src/rotate-notes-key.command';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer } from '../../support/factories';
import { assignRoute, routeFixture, sync } from '../../support/field';
import { startWorker } from '../../support/worker';

type Member = Awaited<ReturnType<typeof addMember>>;

/** Visit notes are sealed in the database and plain text only on their way to an organizer. */
describe('visit notes are encrypted at rest', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let organizer: OrganizerSession;
  let coordinator: Member;
  let ana: Member;
  let campaignId: string;
  let turfId: string;
  let houses: string[];
  const notes = new Map<string, string>();

  const stored = async (id: string) => (await t.db.query<{ note: string }[]>('SELECT note FROM visits WHERE id = $1', [id]))[0].note;
  const setStored = (id: string, note: string) => t.db.query('UPDATE visits SET note = $2 WHERE id = $1', [id, note]);
  const visitsAs = (app: TestApp, who: { accessToken: string }) =>
    app.http().get(`/campaigns/${campaignId}/visits?limit=100`).set(bearer(who));
  const noteOf = (body: { items: { id: string; note?: string | null }[] }, id: string) => body.items.find((v) => v.id === id)?.note;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await startWorker();
    organizer = await signupOrganizer(t);
    coordinator = await addMember(t, organizer, 'coordinator');
    ana = await addMember(t, organizer, 'volunteer');
    const f = await routeFixture(t, organizer, 1);
    campaignId = f.campaignId;
    turfId = f.turfIds[0];
    houses = f.doors.get(turfId)!.map((d) => d.id);
    await assignRoute(t, organizer, turfId, [ana.userId]);
    await t.http().patch('/organizations/current').set(bearer(organizer)).send({ notesEnabled: true }).expect(200);
    const texts = [
      'Dog in the yard; the grandmother asked for the hotline card in Spanish',
      '  Pidió un taller el martes  ',
      // 500 characters of four bytes each: the longest note, and the largest sealed value.
      '😀'.repeat(500),
      'Come back after 6 pm',
    ];
    const items = texts.map((note, i) => ({
      kind: 'visit',
      id: randomUUID(),
      turfId,
      doorId: houses[i],
      outcome: 'talked',
      recordedAt: new Date(Date.now() - 60_000).toISOString(),
      note,
    }));
    const results = (await sync(t, ana, items).expect(200)).body.results as { status: string }[];
    expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created', 'created']);
    items.forEach((item) => notes.set(item.id, item.note.trim()));
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('stores no plain text, and gives organizers (only) the note as it was written', async () => {
    for (const [id, note] of notes) {
      const value = await stored(id);
      expect(value).toMatch(/^v1:dev:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]+={0,2}:[A-Za-z0-9+/]{22}==$/);
      expect(value).not.toContain(note);
      expect(value).not.toContain(note.slice(0, 8));
      expect(value).not.toContain(Buffer.from(note).toString('base64').slice(0, 12));
    }
    const asOrganizer = (await visitsAs(t, organizer).expect(200)).body;
    for (const [id, note] of notes) expect(noteOf(asOrganizer, id)).toBe(note);
    const asCoordinator = (await visitsAs(t, coordinator).expect(200)).body;
    for (const id of notes.keys()) expect(asCoordinator.items.find((v: { id: string }) => v.id === id)).not.toHaveProperty('note');
    // Nothing in the whole visits table reads as the plain text.
    const [{ n }] = await t.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM visits WHERE note ILIKE '%grandmother%'`);
    expect(n).toBe(0);
    const lengths = await Promise.all([...notes.keys()].map(async (id) => (await stored(id)).length));
    console.log(`notes: ${notes.size} sealed; stored lengths ${lengths.join(', ')} characters (the check allows 2800)`);
  });

  it('refuses plain text in the column: the check asks for the sealed form', async () => {
    const [id] = notes.keys();
    await expect(setStored(id, 'Dog in the yard')).rejects.toThrow(/ck_visits_note_sealed/);
  });

  it('fails with a clear error, never garbage, when a note was altered or moved to another visit', async () => {
    const [first, second] = [...notes.keys()];
    const [originalFirst, originalSecond] = [await stored(first), await stored(second)];
    const parts = originalFirst.split(':');
    parts[3] = (parts[3][0] === 'A' ? 'B' : 'A') + parts[3].slice(1);
    try {
      await setStored(first, parts.join(':'));
      const altered = await visitsAs(t, organizer).expect(500);
      expect(altered.body).toMatchObject({
        statusCode: 500,
        code: 'NOTE_UNREADABLE',
        details: { visitId: first, reason: 'not_authentic' },
      });
      expect(altered.body.message).toContain(first);
      expect(JSON.stringify(altered.body)).not.toContain(notes.get(first)!.slice(0, 8));

      // A sealed note copied onto another visit is well-formed, but does not open there.
      await setStored(first, originalFirst);
      await setStored(second, originalFirst);
      const moved = await visitsAs(t, organizer).expect(500);
      expect(moved.body).toMatchObject({ code: 'NOTE_UNREADABLE', details: { visitId: second, reason: 'not_authentic' } });
    } finally {
      await setStored(first, originalFirst);
      await setStored(second, originalSecond);
    }
    const after = (await visitsAs(t, organizer).expect(200)).body;
    expect(noteOf(after, first)).toBe(notes.get(first));
    expect(noteOf(after, second)).toBe(notes.get(second));
  });

  it('rotates: a new key first, the command re-seals every note, and the old key can then go', async () => {
    const newKey = `k2026:${randomBytes(32).toString('base64')}`;
    const saved = process.env.NOTES_ENCRYPTION_KEYS;
    const apps: TestApp[] = [];
    const withKeys = async (keys: string) => {
      process.env.NOTES_ENCRYPTION_KEYS = keys;
      const app = await createTestApp();
      apps.push(app);
      return app;
    };
    try {
      // Before the rotation, a process with only the new key cannot open the notes (and says so).
      const tooEarly = await withKeys(newKey);
      const refused = await visitsAs(tooEarly, organizer).expect(500);
      expect(refused.body).toMatchObject({ code: 'NOTE_UNREADABLE', details: { reason: 'unknown_key' } });
      expect(refused.body.message).toMatch(/key "dev", which is not configured/);

      // Step 1: the new key first, the old one kept. New notes are sealed with the new key at once.
      const both = await withKeys(`${newKey},${DEVELOPMENT_NOTES_KEYS}`);
      const late = {
        kind: 'visit',
        id: randomUUID(),
        turfId,
        doorId: houses[6],
        outcome: 'talked',
        recordedAt: new Date().toISOString(),
        note: 'Sealed under the new key',
      };
      expect((await sync(both, ana, [late]).expect(200)).body.results[0].status).toBe('created');
      notes.set(late.id, late.note);
      expect(await stored(late.id)).toMatch(/^v1:k2026:/);
      const beforeRotation = (await visitsAs(both, organizer).expect(200)).body;
      for (const [id, note] of notes) expect(noteOf(beforeRotation, id)).toBe(note);

      // Step 2: the command, in small batches so that several run. It re-seals every note of the
      // database (other test files' too): all those not yet under the new key.
      const byKey = () =>
        t.db.query<{ key: string; n: number }[]>(
          `SELECT split_part(note, ':', 2) AS key, count(*)::int AS n FROM visits WHERE note IS NOT NULL GROUP BY 1 ORDER BY 1`,
        );
      const before = await byKey();
      const total = before.reduce((sum, k) => sum + k.n, 0);
      const pending = total - (before.find((k) => k.key === 'k2026')?.n ?? 0);
      expect(pending).toBeGreaterThanOrEqual(notes.size - 1);
      const lines: string[] = [];
      const report = await runRotateNotesKey(['--batch-size=2'], (line) => lines.push(line));
      expect(report).toEqual({ keyId: 'k2026', resealed: pending, unreadable: [] });
      expect(lines.filter((l) => l.includes('re-sealed so far')).length).toBeGreaterThanOrEqual(2);
      expect(await byKey()).toEqual([{ key: 'k2026', n: total }]);
      expect((await runRotateNotesKey([], () => undefined)).resealed).toBe(0);

      // Step 3: the old key removed; every note still opens.
      const onlyNew = await withKeys(newKey);
      const afterRotation = (await visitsAs(onlyNew, organizer).expect(200)).body;
      for (const [id, note] of notes) expect(noteOf(afterRotation, id)).toBe(note);
      console.log(
        `rotation: ${report.resealed} notes re-sealed in batches of 2 (${lines.length} lines of progress), ${notes.size} of this file open with the new key alone`,
      );

      // The run's database goes back to the development key, for the test files that come after.
      process.env.NOTES_ENCRYPTION_KEYS = `${DEVELOPMENT_NOTES_KEYS},${newKey}`;
      expect((await runRotateNotesKey([], () => undefined)).resealed).toBe(total);
      expect(await byKey()).toEqual([{ key: 'dev', n: total }]);
    } finally {
      if (saved === undefined) delete process.env.NOTES_ENCRYPTION_KEYS;
      else process.env.NOTES_ENCRYPTION_KEYS = saved;
      for (const app of apps) await app.close();
    }
  });
});
