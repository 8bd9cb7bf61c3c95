/**
 * Set-up shared by the coverage benchmarks (D1, D2, D3, D4): a scratch database holding one
 * organization's campaign of 200,000 doors cut into 2,000 turfs of 100, with 1,000,000 accepted
 * visits made over the last 30 days, and the coverage rollups built from them by the worker's code.
 *
 * The people who must log in go through the built API (the organizer signs up, a coordinator and
 * the volunteers who sync accept invites), so that their sessions and tokens are the product's own.
 * Everything else is written straight into PostgreSQL with set-based SQL (generate_series and
 * INSERT ... SELECT), which takes a few tens of seconds where the API would take hours:
 *
 * - 500 volunteers in all (the invited ones and the rest as users + memberships rows with an
 *   argon2id hash of a password nobody knows), each with about 40 shifts and 2,000 visits in
 *   the month;
 * - a street grid of 200,000 buildings with one door each (PostGIS points about 20 m apart),
 *   cut into 10 x 10 tiles: each tile is a turf of 100 doors in serpentine walking order, with its
 *   envelope as outline;
 * - 1,000,000 visits in 20,000 shifts of 50 over the last 30 days: in each, a volunteer walks 50
 *   doors of a turf in walking order, one every 100 s; the turfs are drawn with a skew over the
 *   first three quarters of the grid (the first much walked, the last quarter not started), so
 *   that about three doors in four have been attempted, many several times. Outcomes in realistic
 *   shares, with 0.5% "do not knock" (and the door marked); 1% of conversations with a follow-up
 *   (closed when a week old); materials left at 60% of conversations and at a quarter of the doors
 *   nobody answered;
 * - per turf walked, one route assignment, over now; a running one for each volunteer who syncs.
 *
 * The secondary indexes of the big tables are dropped during the bulk inserts and created again
 * from their own definitions (pg_indexes) afterwards, and foreign-key triggers are skipped for that
 * session (session_replication_role = replica: the generator makes only rows that satisfy them);
 * the schema the benchmarks see is the migrations' schema. Then VACUUM ANALYZE, as autovacuum
 * would leave the tables, and the rollups are built once by CoverageRepository.refresh(true), the
 * code the worker's coverage job runs (less the Redis notice), with its time reported.
 *
 * Generating takes about a minute on two cores, half of it the rollup build. The result is kept as
 * a template database, `porchlight_bench_covtpl_<hash>` (about 0.8 GB), whose name hashes the sizes,
 * this file, libs/coverage/src/coverage.repository.ts and the list of migrations, and each run
 * works on a copy of it (CREATE DATABASE ... TEMPLATE, a few seconds) that it drops at the end:
 * D1 to D4 share the data, and each stays within the runner's two minutes. A change to any of those
 * files, or a template older than three days, makes the next run generate again (and drop the old
 * template); `--fresh` (or COVERAGE_BENCH_CACHE=0) generates for the run alone and keeps nothing.
 * The people who log in do so on each run (POST /auth/login), with the run's own JWT secret.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import { join } from 'node:path';
import * as argon2 from 'argon2';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CoverageRepository } from '../libs/coverage/src/coverage.repository';
import {
  adminDatabaseUrl,
  createScratchDatabase,
  log,
  mapLimit,
  randomPassword,
  REPO_ROOT,
  ScratchDatabase,
  scratchRedisPrefix,
} from './common';
import { call, claimsOf, expectJson } from './http';
import { ensureBuilt, fixtureEnv, RunningApi, startApi } from './processes';
import { Walker } from './sync-client';

export const DEFAULTS = {
  doors: 200_000,
  turfs: 2_000,
  visits: 1_000_000,
  days: 30,
  /** Volunteers who log in through the API (the syncing clients of D3 and D4). */
  loginVolunteers: 50,
  /** Volunteers in all, the others written as rows. */
  volunteers: 500,
};

const DOORS_PER_TURF = 100;
const TILE = 10;
/** Visits in one shift: about an hour and a half of knocking. */
const SHIFT_VISITS = 50;

// ---------------------------------------------------------------------------------------------
// Fixture

interface Person {
  email: string;
  password: string;
  userId: string;
}

/** What the generator leaves in the database (table bench_fixture) for a run on a copy of it. */
interface FixtureDoc {
  builtAt: string;
  organizationId: string;
  campaignId: string;
  organizer: Person;
  coordinator: Person;
  volunteers: (Person & { turfId: string; doorIds: string[] })[];
  counts: Record<string, number>;
  /** Seconds spent in each step of the generation. */
  timings: Record<string, number>;
}

/** A volunteer logged in, with the route handed to them (a running assignment). */
export interface SyncingVolunteer extends Walker {
  userId: string;
}

export interface CoverageFixture {
  db: ScratchDatabase;
  /** The environment the API was started with; a worker or a second API gets the same. */
  env: Record<string, string>;
  api: RunningApi;
  agent: http.Agent;
  /** A connection to the scratch database, for counting and CPU readings. */
  monitor: Client;
  organizationId: string;
  campaignId: string;
  organizerToken: string;
  coordinatorToken: string;
  volunteers: SyncingVolunteer[];
  counts: Record<string, number>;
  /** How the data came to be: generated now or copied from the cache, and the generation's step times. */
  setUp: {
    source: 'generated' | 'cached copy';
    template: string | null;
    builtAt: string;
    generation: Record<string, number>;
    seconds: number;
  };
  close(): Promise<void>;
}

export interface Sizes {
  doors: number;
  turfs: number;
  visits: number;
  days: number;
  volunteers: number;
}

export interface FixtureOptions extends Sizes {
  /** How many of the volunteers with a login (50) this benchmark logs in. */
  loginVolunteers: number;
  /** Keep-alive sockets the fixture's agent may open. */
  maxSockets: number;
  /** Reuse (or leave) a template database of this data: see templateName(). */
  cache: boolean;
  /** More environment for the API (and any worker started on the fixture). */
  env?: Record<string, string>;
}

/**
 * The generator's sizes, with `--turfs` and `--visits` to run it smaller (100 doors a turf), and
 * `--fresh` to generate the data for this run only instead of copying the cached template.
 */
export function fixtureArgs(
  args: string[],
  numberArg: (args: string[], name: string, fallback: number) => number,
): Sizes & { cache: boolean } {
  const turfs = Math.round(numberArg(args, 'turfs', DEFAULTS.turfs));
  return {
    turfs,
    doors: turfs * DOORS_PER_TURF,
    visits: Math.round(numberArg(args, 'visits', DEFAULTS.visits)),
    days: DEFAULTS.days,
    volunteers: Math.round(numberArg(args, 'volunteers', DEFAULTS.volunteers)),
    cache: !args.includes('--fresh') && process.env.COVERAGE_BENCH_CACHE !== '0',
  };
}

const secondsSince = (t0: number) => Math.round((performance.now() - t0) / 10) / 100;

const timed = async <T>(timings: Record<string, number>, name: string, fn: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const out = await fn();
  timings[name] = secondsSince(t0);
  log(`${name}: ${timings[name]} s`);
  return out;
};

// ---------------------------------------------------------------------------------------------
// The cached template

const TEMPLATE_PREFIX = 'porchlight_bench_covtpl_';
/** Older data would have its "last 30 days" and the running assignments drift too far. */
const TEMPLATE_MAX_AGE_MS = 3 * 24 * 3600 * 1000;

/**
 * The template's name says what made it: the sizes, this generator, the rollup code that built
 * its rollups and the migrations. Any change makes a new name, and the old template is dropped.
 */
function templateName(sizes: Sizes): string {
  const hash = createHash('sha1');
  hash.update(JSON.stringify({ ...sizes, loginVolunteers: DEFAULTS.loginVolunteers }));
  hash.update(readFileSync(__filename));
  hash.update(readFileSync(join(REPO_ROOT, 'libs/coverage/src/coverage.repository.ts')));
  hash.update(readdirSync(join(REPO_ROOT, 'migrations')).sort().join(','));
  return `${TEMPLATE_PREFIX}${hash.digest('hex').slice(0, 12)}`;
}

// ---------------------------------------------------------------------------------------------
// Set-up

/**
 * Everything up to the first measured request: a scratch database holding the data (a copy of
 * the cached template, or generated now), the built API on it, and the people logged in. On
 * failure, what was started is stopped and the database dropped before the error is thrown on.
 */
export async function setUpCoverageFixture(benchId: string, o: FixtureOptions): Promise<CoverageFixture> {
  if (o.doors !== o.turfs * DOORS_PER_TURF)
    throw new Error(`The generator makes turfs of ${DOORS_PER_TURF} doors: doors must be turfs x 100`);
  if (o.turfs % Math.min(50, o.turfs) !== 0) throw new Error('turfs must be a multiple of 50');
  if (DEFAULTS.loginVolunteers > o.turfs || DEFAULTS.loginVolunteers > o.volunteers)
    throw new Error('Fewer turfs or volunteers than syncing volunteers');
  if (o.loginVolunteers > DEFAULTS.loginVolunteers) throw new Error(`At most ${DEFAULTS.loginVolunteers} volunteers can log in`);
  const started = performance.now();
  await ensureBuilt('api', 'worker');
  const sizes: Sizes = { doors: o.doors, turfs: o.turfs, visits: o.visits, days: o.days, volunteers: o.volunteers };
  const template = o.cache ? templateName(sizes) : null;
  const redis = scratchRedisPrefix(benchId);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.maxSockets });
  let db: ScratchDatabase | undefined;
  let api: RunningApi | undefined;
  let monitor: Client | undefined;
  const close = async () => {
    agent.destroy();
    await api?.stop();
    await monitor?.end().catch(() => undefined);
    await redis.drop().catch((err: unknown) => log(`could not delete Redis keys: ${String(err)}`));
    await db?.drop();
  };
  try {
    const env: Record<string, string> = { ...fixtureEnv(redis.prefix), ...o.env };
    const connect = async (scratch: ScratchDatabase) => {
      env.DATABASE_URL = scratch.url;
      api = await startApi(env);
      monitor = new Client({ connectionString: scratch.url, application_name: 'porchlight-bench-monitor' });
      await monitor.connect();
      return { api, monitor };
    };
    const disconnect = async () => {
      await api?.stop();
      await monitor?.end();
      api = undefined;
      monitor = undefined;
    };

    let source: 'generated' | 'cached copy' = 'generated';
    // One set-up at a time makes or copies the template (a template must have no other session).
    const admin = new Client({ connectionString: adminDatabaseUrl(), application_name: 'porchlight-bench-template' });
    await admin.connect();
    try {
      await admin.query('SELECT pg_advisory_lock(hashtext($1))', ['porchlight-bench-coverage-template']);
      let usable = false;
      if (template) {
        const { rows } = await admin.query<{ note: string | null }>(
          `SELECT shobj_description(oid, 'pg_database') AS note FROM pg_database WHERE datname = $1`,
          [template],
        );
        const builtAt = rows[0]?.note ? Date.parse((JSON.parse(rows[0].note) as { builtAt: string }).builtAt) : NaN;
        usable = Date.now() - builtAt < TEMPLATE_MAX_AGE_MS;
        if (rows.length > 0 && !usable) log(`${template} is too old or unfinished: generating the data again`);
      }
      if (template && usable) {
        db = await createScratchDatabase(benchId, template);
        source = 'cached copy';
        await connect(db);
      } else {
        db = await createScratchDatabase(benchId);
        const { api: generatingApi, monitor: generatingMonitor } = await connect(db);
        const doc = await generate(benchId, sizes, db.url, generatingApi.baseUrl, agent, generatingMonitor);
        await generatingMonitor.query('CREATE TABLE bench_fixture (doc jsonb NOT NULL)');
        await generatingMonitor.query('INSERT INTO bench_fixture (doc) VALUES ($1)', [JSON.stringify(doc)]);
        if (template) {
          const t0 = performance.now();
          await disconnect();
          const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
            `${TEMPLATE_PREFIX}%`,
          ]);
          for (const old of rows) {
            log(`dropping the old template ${old.datname}`);
            await admin.query(`DROP DATABASE IF EXISTS "${old.datname}" WITH (FORCE)`);
          }
          await admin.query(`CREATE DATABASE "${template}" TEMPLATE "${db.name}"`);
          await admin.query(`COMMENT ON DATABASE "${template}" IS '${JSON.stringify({ builtAt: doc.builtAt, ...sizes })}'`);
          log(`kept the data as ${template} for the next runs (${secondsSince(t0)} s)`);
          await connect(db);
        }
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock(hashtext($1))', ['porchlight-bench-coverage-template']).catch(() => undefined);
      await admin.end().catch(() => undefined);
    }
    if (!api || !monitor) throw new Error('The API did not start');
    const { baseUrl } = api;
    const { rows } = await monitor.query<{ doc: FixtureDoc }>('SELECT doc FROM bench_fixture');
    const doc = rows[0].doc;
    // The schema the benchmarks see is the migrations' schema.
    await monitor.query('DROP TABLE bench_fixture');

    const login = async (p: Person) =>
      (
        await expectJson<{ accessToken: string }>(
          call(agent, baseUrl, 'POST', '/auth/login', { json: { email: p.email, password: p.password } }),
          200,
          'POST /auth/login',
        )
      ).accessToken;
    const organizerToken = await login(doc.organizer);
    const coordinatorToken = await login(doc.coordinator);
    const volunteers = await mapLimit(doc.volunteers.slice(0, o.loginVolunteers), 4, async (v) => ({
      userId: v.userId,
      accessToken: await login(v),
      turfId: v.turfId,
      doorIds: v.doorIds,
      cursor: 0,
    }));
    const seconds = secondsSince(started);
    log(`set-up (${source}) done in ${seconds} s: ${JSON.stringify(doc.counts)}`);
    return {
      db,
      env,
      api,
      agent,
      monitor,
      organizationId: doc.organizationId,
      campaignId: doc.campaignId,
      organizerToken,
      coordinatorToken,
      volunteers,
      counts: doc.counts,
      setUp: { source, template, builtAt: doc.builtAt, generation: doc.timings, seconds },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// The generator

/** Fills the scratch database at `url`; `monitor` is a connection to it, `baseUrl` the API on it. */
async function generate(benchId: string, o: Sizes, url: string, baseUrl: string, agent: http.Agent, monitor: Client): Promise<FixtureDoc> {
  const started = performance.now();
  const timings: Record<string, number> = {};
  const tilesX = Math.min(50, o.turfs);
  const loginVolunteers = DEFAULTS.loginVolunteers;

  // People who log in: through the API.
  const people = await timed(timings, 'accounts', async () => {
    const prefix = benchId.toLowerCase();
    const organizer = { email: `${prefix}-organizer@bench.example.org`, password: randomPassword() };
    const signedUp = await expectJson<{ accessToken: string }>(
      call(agent, baseUrl, 'POST', '/auth/signup', {
        json: { ...organizer, displayName: 'Bench organizer', language: 'en', organizationName: `Bench ${benchId}` },
      }),
      201,
      'POST /auth/signup',
    );
    const accept = async (role: string, email: string, displayName: string): Promise<Person> => {
      const invite = await expectJson<{ token: string }>(
        call(agent, baseUrl, 'POST', '/invites', { token: signedUp.accessToken, json: { role } }),
        201,
        'POST /invites',
      );
      const password = randomPassword();
      const tokens = await expectJson<{ accessToken: string }>(
        call(agent, baseUrl, 'POST', '/invites/accept', { json: { token: invite.token, email, password, displayName, language: 'es' } }),
        201,
        'POST /invites/accept',
      );
      return { email, password, userId: claimsOf(tokens.accessToken).sub };
    };
    const coordinator = await accept('coordinator', `${prefix}-coordinator@bench.example.org`, 'Bench coordinator');
    const volunteers = await mapLimit(Array.from({ length: loginVolunteers }), 4, (_, i) =>
      accept('volunteer', `${prefix}-volunteer-${i}@bench.example.org`, `Volunteer ${i}`),
    );
    const campaign = await expectJson<{ id: string }>(
      call(agent, baseUrl, 'POST', '/campaigns', { token: signedUp.accessToken, json: { name: `Bench ${benchId}` } }),
      201,
      'POST /campaigns',
    );
    const { org, sub } = claimsOf(signedUp.accessToken);
    return { organizer: { ...organizer, userId: sub }, organizationId: org, coordinator, volunteers, campaignId: campaign.id };
  });
  const { organizationId: orgId, campaignId } = people;
  const organizerId = people.organizer.userId;

  const q = (sql: string, params: unknown[] = []) => monitor.query(sql, params);
  await q(`SET session_replication_role = replica`);
  await q(`SET maintenance_work_mem = '512MB'`);
  await q(`SET synchronous_commit = off`);

  await timed(timings, 'volunteerRows', async () => {
    // Nobody logs in as these: a real hash of a password thrown away.
    const hash = await argon2.hash(randomPassword(), { type: argon2.argon2id });
    await q(`CREATE TEMP TABLE gen_people (i int PRIMARY KEY, user_id uuid NOT NULL)`);
    await q(`INSERT INTO gen_people SELECT i - 1, u FROM unnest($1::uuid[]) WITH ORDINALITY AS x(u, i)`, [
      people.volunteers.map((v) => v.userId),
    ]);
    await q(
      `WITH u AS (
         INSERT INTO users (email, password_hash, display_name, language)
         SELECT 'cov-volunteer-' || g || '@bench.example.org', $2, 'Volunteer ' || g, CASE WHEN g % 3 = 0 THEN 'en' ELSE 'es' END
           FROM generate_series($3::int, $4::int - 1) g
         RETURNING id),
       m AS (INSERT INTO memberships (organization_id, user_id, role) SELECT $1, id, 'volunteer' FROM u)
       INSERT INTO gen_people SELECT $3::int - 1 + row_number() OVER (ORDER BY id), id FROM u`,
      [orgId, hash, loginVolunteers, o.volunteers],
    );
  });

  const materials = await timed(timings, 'materials', async () => {
    const { rows } = await q(
      `INSERT INTO materials (organization_id, name, kind, language, stock)
       VALUES ($1, 'Know your rights', 'kyr_card', 'es', 50000), ($1, 'Know your rights', 'kyr_card', 'en', 50000),
              ($1, 'Hotline', 'hotline_card', 'es', 50000), ($1, 'Canvass flyer', 'flyer', 'en', 50000)
       RETURNING id, kind, language`,
      [orgId],
    );
    await q(`INSERT INTO campaign_materials (campaign_id, material_id) SELECT $1, id FROM materials WHERE organization_id = $2`, [
      campaignId,
      orgId,
    ]);
    const find = (kind: string, language: string) =>
      (rows as { id: string; kind: string; language: string }[]).find((r) => r.kind === kind && r.language === language)!.id;
    return {
      kyrEs: find('kyr_card', 'es'),
      kyrEn: find('kyr_card', 'en'),
      hotlineEs: find('hotline_card', 'es'),
      flyerEn: find('flyer', 'en'),
    };
  });

  const cols = tilesX * TILE;
  await timed(timings, 'doorsAndTurfs', async () => {
    // Door n sits at column x = n % cols, row y = n / cols; its turf is the 10 x 10 tile around it.
    await q(
      `CREATE TEMP TABLE gen_doors AS
       SELECT g AS n, g % $1 AS x, g / $1 AS y, gen_random_uuid() AS building_id, gen_random_uuid() AS door_id,
              (g / $1) / ${TILE} * ($1 / ${TILE}) + (g % $1) / ${TILE} AS k,
              ((g / $1) % ${TILE}) * ${TILE} + CASE WHEN (g / $1) % 2 = 0 THEN (g % $1) % ${TILE} ELSE ${TILE - 1} - (g % $1) % ${TILE} END AS pos
         FROM generate_series(0, $2::int - 1) g`,
      [cols, o.doors],
    );
    await q(`CREATE UNIQUE INDEX ON gen_doors (n)`);
    await q(`CREATE TEMP TABLE gen_turfs AS SELECT k, gen_random_uuid() AS turf_id FROM generate_series(0, $1::int - 1) k`, [o.turfs]);
    await q(`CREATE UNIQUE INDEX ON gen_turfs (k)`);
    await q(`ANALYZE gen_doors; ANALYZE gen_turfs; ANALYZE gen_people`);
    await withoutIndexes(monitor, ['buildings', 'doors', 'turf_doors'], async () => {
      await q(
        `INSERT INTO buildings (id, organization_id, campaign_id, location, number, number_key, street, street_key, city, postcode)
         SELECT building_id, $1, $2, ST_SetSRID(ST_MakePoint(-87.75 + x * 0.00025, 41.80 + y * 0.00018), 4326)::geography,
                (100 + 2 * x)::text, (100 + 2 * x)::text, 'W ' || (y + 1) || ' St', 'w ' || (y + 1) || ' st', 'Chicago',
                '606' || lpad((y % 100)::text, 2, '0')
           FROM gen_doors`,
        [orgId, campaignId],
      );
      await q(`INSERT INTO doors (id, organization_id, campaign_id, building_id) SELECT door_id, $1, $2, building_id FROM gen_doors`, [
        orgId,
        campaignId,
      ]);
      await q(
        `INSERT INTO turfs (id, organization_id, campaign_id, name, code, door_count, walk_metres, walk_minutes, outline, created_at, updated_at)
         SELECT t.turf_id, $1, $2, 'Turf ' || (t.k + 1), upper(substr(md5(t.turf_id::text), 1, 8)), ${DOORS_PER_TURF},
                1400 + (t.k % 9) * 40, 24 + t.k % 5,
                ST_MakeEnvelope(-87.75 + (t.k % $3) * ${TILE} * 0.00025 - 0.0001, 41.80 + (t.k / $3) * ${TILE} * 0.00018 - 0.0001,
                                -87.75 + ((t.k % $3) * ${TILE} + ${TILE - 1}) * 0.00025 + 0.0001,
                                41.80 + ((t.k / $3) * ${TILE} + ${TILE - 1}) * 0.00018 + 0.0001, 4326)::geography,
                now() - interval '32 days', now() - interval '32 days'
           FROM gen_turfs t`,
        [orgId, campaignId, tilesX],
      );
      await q(
        `INSERT INTO turf_doors (turf_id, door_id, campaign_id, position) SELECT t.turf_id, d.door_id, $1, d.pos FROM gen_doors d JOIN gen_turfs t USING (k)`,
        [campaignId],
      );
    });
    // The turfs walked so far (the first three quarters) each had a route assignment, over now; the
    // volunteers who log in have a running one each.
    await q(
      `INSERT INTO route_assignments (organization_id, turf_id, assignee_ids, status, expires_at, assigned_by_user_id, created_at, updated_at)
       SELECT $1, t.turf_id, ARRAY[p.user_id], 'completed', now() - interval '1 day', $2, now() - interval '31 days', now() - interval '1 day'
         FROM gen_turfs t JOIN gen_people p ON p.i = t.k % $3 WHERE t.k < $4`,
      [orgId, organizerId, o.volunteers, Math.ceil(o.turfs * 0.75)],
    );
    await q(
      `INSERT INTO route_assignments (organization_id, turf_id, assignee_ids, status, expires_at, assigned_by_user_id, created_at, updated_at)
       SELECT $1, t.turf_id, ARRAY[p.user_id], 'assigned', now() + interval '30 days', $2, now() - interval '1 minute', now() - interval '1 minute'
         FROM gen_turfs t JOIN gen_people p ON p.i = t.k WHERE t.k < $3`,
      [orgId, organizerId, loginVolunteers],
    );
  });

  await timed(timings, 'visits', async () => {
    // Shifts first: a volunteer drawn at random walks 50 doors of a turf in its walking order from
    // a random door on, one every 100 s, on a day of the last 30 (starting between 9:00 and 18:00,
    // and over by now). Turfs are drawn with a density falling along the grid (power 1.5) over the
    // first three quarters of them: the first turfs walked several times over, the last quarter
    // not started.
    await q(
      `CREATE TEMP TABLE gen_shifts AS
       SELECT gen_random_uuid() AS shift_id, k, u, CASE WHEN at > now() - interval '2 hours' THEN at - interval '1 day' ELSE at END AS started_at, first
         FROM (SELECT floor($1::int * 0.75 * power(random(), 1.5))::int AS k, floor(random() * $2::int)::int AS u,
                      date_trunc('day', now()) - floor(random() * $3::int) * interval '1 day' + interval '9 hours' + random() * interval '9 hours' AS at,
                      floor(random() * ${DOORS_PER_TURF})::int AS first
                 FROM generate_series(1, $4::int)) x`,
      [o.turfs, o.volunteers, o.days, Math.ceil(o.visits / SHIFT_VISITS)],
    );
    await q(`CREATE UNIQUE INDEX ON gen_doors (k, pos)`);
    await q(`ANALYZE gen_shifts`);
    await withoutIndexes(monitor, ['visits'], () =>
      q(
        `INSERT INTO visits (id, organization_id, campaign_id, turf_id, door_id, user_id, shift_id, outcome, language, follow_up,
                             recorded_at, received_at, effective_at, txid, status)
         SELECT gen_random_uuid(), $1, $2, t.turf_id, d.door_id, p.user_id, x.shift_id,
                o.outcome, CASE WHEN o.outcome = 'talked' THEN CASE WHEN x.r2 < 0.7 THEN 'es' ELSE 'en' END END,
                o.outcome = 'talked' AND x.r2 < 0.01, x.at, x.at + x.r2 * interval '2 hours', x.at, pg_current_xact_id()::text::bigint, 'accepted'
           FROM (SELECT s.shift_id, s.k, s.u, (s.first + j) % ${DOORS_PER_TURF} AS pos, s.started_at + j * interval '100 seconds' AS at,
                        random() AS r, random() AS r2
                   FROM gen_shifts s CROSS JOIN generate_series(0, ${SHIFT_VISITS - 1}) j
                  LIMIT $3) x
           JOIN gen_doors d ON d.k = x.k AND d.pos = x.pos
           JOIN gen_turfs t ON t.k = x.k
           JOIN gen_people p ON p.i = x.u
           CROSS JOIN LATERAL (SELECT CASE WHEN x.r < 0.42 THEN 'not_home' WHEN x.r < 0.66 THEN 'talked' WHEN x.r < 0.76 THEN 'refused'
                                           WHEN x.r < 0.86 THEN 'come_back_later' WHEN x.r < 0.89 THEN 'moved' WHEN x.r < 0.995 THEN 'no_access'
                                           ELSE 'do_not_knock' END AS outcome) o`,
        [orgId, campaignId, o.visits],
      ),
    );
  });

  await timed(timings, 'visitDetails', async () => {
    await q(
      `INSERT INTO visit_materials (visit_id, material_id, quantity)
       SELECT id, CASE WHEN outcome = 'talked' THEN CASE WHEN language = 'en' THEN $1::uuid ELSE $2::uuid END ELSE $3::uuid END, 1
         FROM visits WHERE (outcome = 'talked' AND random() < 0.6) OR (outcome = 'not_home' AND random() < 0.25)
       UNION ALL
       SELECT id, $4::uuid, 1 FROM visits WHERE outcome = 'talked' AND language = 'es' AND random() < 0.3`,
      [materials.kyrEn, materials.kyrEs, materials.flyerEn, materials.hotlineEs],
    );
    await q(
      `INSERT INTO follow_ups (organization_id, campaign_id, door_id, visit_id, status, created_at, closed_at, closed_by_user_id)
       SELECT organization_id, campaign_id, door_id, id, CASE WHEN effective_at < now() - interval '7 days' THEN 'closed' ELSE 'open' END,
              received_at, CASE WHEN effective_at < now() - interval '7 days' THEN effective_at + interval '3 days' END,
              CASE WHEN effective_at < now() - interval '7 days' THEN $1::uuid END
         FROM visits WHERE follow_up`,
      [organizerId],
    );
    await q(
      `UPDATE doors d SET do_not_knock_at = x.at
         FROM (SELECT door_id, min(effective_at) AS at FROM visits WHERE outcome = 'do_not_knock' GROUP BY door_id) x WHERE d.id = x.door_id`,
    );
    await q(
      `INSERT INTO shifts (id, organization_id, campaign_id, turf_id, user_id, started_at, received_at, ended_at, ended_by, status)
       SELECT s.shift_id, $1, $2, t.turf_id, p.user_id, s.started_at - interval '5 minutes', s.started_at + interval '3 hours',
              s.started_at + ${SHIFT_VISITS} * interval '100 seconds', 'volunteer', 'accepted'
         FROM gen_shifts s JOIN gen_turfs t ON t.k = s.k JOIN gen_people p ON p.i = s.u`,
      [orgId, campaignId],
    );
  });
  await q(`SET session_replication_role = origin`);

  await timed(timings, 'vacuumAnalyze', () =>
    q(
      'VACUUM (ANALYZE) visits, visit_materials, follow_ups, shifts, doors, buildings, turfs, turf_doors, route_assignments, users, memberships',
    ),
  );

  // The rollups, built once by the worker's code path.
  await timed(timings, 'rollupFullBuild', async () => {
    const ds = new DataSource({ type: 'postgres', url, entities: [], extra: { max: 1, application_name: 'porchlight-bench-build' } });
    await ds.initialize();
    try {
      await new CoverageRepository(ds).refresh(true);
    } finally {
      await ds.destroy();
    }
  });
  await q('VACUUM (ANALYZE) door_coverage, turf_coverage, campaign_coverage, coverage_hourly, volunteer_coverage');

  const { rows: routeRows } = await q(
    `SELECT p.i, t.turf_id, array_agg(td.door_id ORDER BY td.position) AS doors
       FROM gen_people p JOIN gen_turfs t ON t.k = p.i JOIN turf_doors td ON td.turf_id = t.turf_id
      WHERE p.i < $1 GROUP BY p.i, t.turf_id ORDER BY p.i`,
    [loginVolunteers],
  );
  const { rows: countRows } = await q(
    `SELECT (SELECT count(*) FROM doors)::int AS doors, (SELECT count(*) FROM turfs)::int AS turfs, (SELECT count(*) FROM visits)::int AS visits,
            (SELECT count(*) FROM visit_materials)::int AS "visitMaterials", (SELECT count(*) FROM shifts)::int AS shifts,
            (SELECT count(*) FROM follow_ups)::int AS "followUps", (SELECT count(*) FROM memberships)::int AS members,
            (SELECT count(*) FROM door_coverage)::int AS "doorsAttempted",
            (pg_total_relation_size('visits') / 1048576)::int AS "visitsMiB", (pg_database_size(current_database()) / 1048576)::int AS "databaseMiB"`,
  );
  await q('DROP TABLE gen_doors, gen_turfs, gen_people, gen_shifts');
  timings.total = secondsSince(started);
  return {
    builtAt: new Date().toISOString(),
    organizationId: orgId,
    campaignId,
    organizer: people.organizer,
    coordinator: people.coordinator,
    volunteers: (routeRows as { i: number; turf_id: string; doors: string[] }[]).map((r) => ({
      ...people.volunteers[r.i],
      turfId: r.turf_id,
      doorIds: r.doors,
    })),
    counts: countRows[0] as Record<string, number>,
    timings,
  };
}

/**
 * Runs `fn` with the secondary indexes of `tables` dropped, then creates them again from their
 * own definitions: a bulk insert then builds each index once, sorted, instead of row by row.
 */
async function withoutIndexes(monitor: Client, tables: string[], fn: () => Promise<unknown>): Promise<void> {
  const { rows } = await monitor.query<{ indexname: string; indexdef: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [tables],
  );
  for (const ix of rows) await monitor.query(`DROP INDEX "${ix.indexname}"`);
  await fn();
  for (const ix of rows) await monitor.query(ix.indexdef);
}

// ---------------------------------------------------------------------------------------------
// Checking the rollups

/** Each rollup table, with the columns that hold figures (not updated_at). */
const ROLLUPS: Record<string, string> = {
  door_coverage: 'door_id, campaign_id, attempts, outcome, last_at, reached, materials',
  turf_coverage: 'turf_id, campaign_id, doors, attempted, reached, with_materials, do_not_knock, visits',
  campaign_coverage: 'campaign_id, doors, attempted, reached, with_materials, do_not_knock, visits, materials',
  coverage_hourly: 'campaign_id, hour, visits, talked',
  volunteer_coverage: 'campaign_id, user_id, visits, doors_attempted, doors_reached, materials_left',
};

/**
 * Brings the rollups up to date as the worker would (refresh(false)), keeps a copy, and computes
 * them again from the visits: with `since` (a transaction id from before the visits of interest
 * were written), every door, turf, campaign, hour and volunteer with visits written since then is
 * recomputed whole (the key-by-key path the repository takes without a stored snapshot); without
 * it, everything is rebuilt (refresh(true)). Then counts the rows that differ, by table: all zero
 * when what was maintained step by step is exactly what the visits give. Nothing else may write
 * visits meanwhile.
 */
export async function rollupsAgainstRecompute(
  url: string,
  since?: string,
): Promise<{ differingRows: Record<string, number>; recompute: string; seconds: number }> {
  const ds = new DataSource({ type: 'postgres', url, entities: [], extra: { max: 1, application_name: 'porchlight-bench-check' } });
  await ds.initialize();
  try {
    const repository = new CoverageRepository(ds);
    await repository.refresh(false);
    for (const [table, columns] of Object.entries(ROLLUPS)) {
      await ds.query(`CREATE TEMP TABLE "kept_${table}" AS SELECT ${columns} FROM ${table}`);
    }
    const t0 = performance.now();
    if (since === undefined) {
      await repository.refresh(true);
    } else {
      // Forget the stored snapshot and move the cursor back: the next refresh recomputes key by key.
      await ds.query(`DELETE FROM rollup_cursors WHERE name LIKE 'coverage:%'`);
      await ds.query(`UPDATE rollup_cursors SET txid = $1 WHERE name = 'coverage'`, [since]);
      await repository.refresh(false);
    }
    const seconds = secondsSince(t0);
    const differingRows: Record<string, number> = {};
    for (const [table, columns] of Object.entries(ROLLUPS)) {
      const [{ n }] = await ds.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM ((SELECT ${columns} FROM "kept_${table}" EXCEPT ALL SELECT ${columns} FROM ${table})
                                         UNION ALL (SELECT ${columns} FROM ${table} EXCEPT ALL SELECT ${columns} FROM "kept_${table}")) x`,
      );
      differingRows[table] = n;
      await ds.query(`DROP TABLE "kept_${table}"`);
    }
    return { differingRows, recompute: since === undefined ? 'full rebuild' : `every key with visits since txid ${since}`, seconds };
  } finally {
    await ds.destroy();
  }
}
