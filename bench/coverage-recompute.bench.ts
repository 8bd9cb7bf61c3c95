/**
 * D2: what the coverage rollups save: the campaign summary and the per-turf figures computed from
 * the raw visits, against the same figures read from the rollups the worker keeps.
 *
 * Data: bench/coverage-data.ts (200,000 doors, 2,000 turfs of 100, 1,000,000 visits over 30 days,
 * rollups built). Measured (A): the two statements the API runs for GET /campaigns/:id/coverage
 * (the campaign_coverage row) and GET /campaigns/:id/coverage/turfs (2,000 turf_coverage rows with
 * each turf's latest assignment), called through CoverageRepository.campaign() and .turfs().
 * Reference (B): the same figures (doors in scope, attempted, reached, with materials, "do not
 * knock", visits and materials by kind for the campaign; the same per turf, with its assignment)
 * computed from visits, visit_materials, doors and turf_doors by GROUP BY, as a competent person
 * would write them without rollups: the visits grouped by door once (a hash aggregate that
 * PostgreSQL may run in parallel, faster here than count(DISTINCT), which sorts), joined to the
 * turfs' doors; the schema's indexes (ix_visits_campaign*, ix_visits_door_latest, the primary key
 * of visit_materials) are there for the planner to use. Both answers are compared field by field
 * before anything is timed: the benchmark fails if the rollups disagree with the raw visits.
 *
 * Same process, same connection (a pool of one), warm caches on both sides; each round runs A
 * `--served` times (its median) then B once, and the result is the median over rounds of B / A.
 *
 *   npm run bench -- D2 [--rounds 7] [--served 5] [--turfs 2000 --visits 1000000] [--fresh]
 */
import { availableParallelism, cpus } from 'node:os';
import { DataSource } from 'typeorm';
import { CoverageRepository } from '../libs/coverage/src/coverage.repository';
import { BenchResult, log, median, numberArg, round } from './common';
import { fixtureArgs, setUpCoverageFixture } from './coverage-data';

export const id = 'D2';
export const description =
  'campaign + per-turf coverage recomputed from 1M raw visits with GROUP BY / the same figures read from the rollups, same connection';

const TARGET = 50;

const RAW_CAMPAIGN = `
  WITH per_door AS (
    SELECT v.door_id, count(*) AS visits, bool_or(v.outcome = 'talked') AS reached
      FROM visits v WHERE v.campaign_id = $1 AND v.status = 'accepted' GROUP BY v.door_id),
  left_here AS (
    SELECT w.door_id, vm.material_id, vm.quantity FROM visit_materials vm JOIN visits w ON w.id = vm.visit_id
     WHERE w.campaign_id = $1 AND w.status = 'accepted')
  SELECT (SELECT count(*)::int FROM doors d WHERE d.campaign_id = $1) AS doors,
         (SELECT count(*)::int FROM per_door) AS attempted,
         (SELECT count(*)::int FROM per_door WHERE reached) AS reached,
         (SELECT count(DISTINCT door_id)::int FROM left_here) AS "withMaterials",
         (SELECT count(*)::int FROM doors d WHERE d.campaign_id = $1 AND d.do_not_knock_at IS NOT NULL) AS "doNotKnock",
         (SELECT coalesce(sum(visits), 0)::int FROM per_door) AS visits,
         (SELECT coalesce(jsonb_object_agg(material_id, quantity), '{}') FROM
            (SELECT material_id, sum(quantity)::int AS quantity FROM left_here GROUP BY material_id) m) AS materials`;

const RAW_TURFS = `
  WITH per_door AS (
    SELECT v.door_id, count(*) AS visits, bool_or(v.outcome = 'talked') AS reached
      FROM visits v WHERE v.campaign_id = $1 AND v.status = 'accepted' GROUP BY v.door_id),
  with_materials AS (
    SELECT DISTINCT w.door_id FROM visit_materials vm JOIN visits w ON w.id = vm.visit_id WHERE w.campaign_id = $1 AND w.status = 'accepted')
  SELECT t.id AS "turfId", t.name, count(td.door_id)::int AS doors, count(pd.door_id)::int AS attempted,
         (count(*) FILTER (WHERE pd.reached))::int AS reached, count(wm.door_id)::int AS "withMaterials",
         (count(*) FILTER (WHERE d.do_not_knock_at IS NOT NULL))::int AS "doNotKnock", coalesce(sum(pd.visits), 0)::int AS visits,
         (SELECT a.status FROM route_assignments a WHERE a.turf_id = t.id ORDER BY a.created_at DESC LIMIT 1) AS "assignmentStatus"
    FROM turfs t JOIN turf_doors td ON td.turf_id = t.id JOIN doors d ON d.id = td.door_id
    LEFT JOIN per_door pd ON pd.door_id = td.door_id LEFT JOIN with_materials wm ON wm.door_id = td.door_id
   WHERE t.campaign_id = $1
   GROUP BY t.id ORDER BY t.created_at, length(t.name), t.name`;

/** The figures both sides must agree on, in a form that compares as text. */
function comparable(campaign: Record<string, unknown>, turfs: Record<string, unknown>[]): string {
  const c = { ...campaign };
  delete c.updatedAt;
  const materials = c.materials as Record<string, number>;
  c.materials = Object.fromEntries(Object.entries(materials).sort(([a], [b]) => a.localeCompare(b)));
  const keys = ['turfId', 'name', 'doors', 'attempted', 'reached', 'withMaterials', 'doNotKnock', 'visits', 'assignmentStatus'];
  const keyOrder = Object.keys(c).sort();
  return JSON.stringify({
    campaign: Object.fromEntries(keyOrder.map((k) => [k, c[k]])),
    turfs: turfs.map((t) => keys.map((k) => t[k])),
  });
}

const ms = (t0: number) => performance.now() - t0;

export async function run(args: string[]): Promise<BenchResult[]> {
  const rounds = Math.round(numberArg(args, 'rounds', 7));
  const servedPerRound = Math.round(numberArg(args, 'served', 5));
  if (rounds < 3) throw new Error('At least three rounds are needed for a median.');
  const sizes = fixtureArgs(args, numberArg);
  const f = await setUpCoverageFixture(id, { ...sizes, loginVolunteers: 0, maxSockets: 2 });
  const ds = new DataSource({ type: 'postgres', url: f.db.url, entities: [], extra: { max: 1, application_name: 'porchlight-bench-d2' } });
  try {
    // The API is not needed from here on: stop it so that it takes nothing from either side.
    await f.api.stop();
    await ds.initialize();
    const repository = new CoverageRepository(ds);
    const campaignId = f.campaignId;

    const served = async () => {
      const t0 = performance.now();
      const campaign = await repository.campaign(campaignId);
      const t1 = performance.now();
      const turfs = await repository.turfs(campaignId);
      const t2 = performance.now();
      return { campaign, turfs, campaignMs: t1 - t0, turfsMs: t2 - t1, totalMs: t2 - t0 };
    };
    const raw = async () => {
      const t0 = performance.now();
      const [campaign] = await ds.query<Record<string, unknown>[]>(RAW_CAMPAIGN, [campaignId]);
      const t1 = performance.now();
      const turfs = await ds.query<Record<string, unknown>[]>(RAW_TURFS, [campaignId]);
      const t2 = performance.now();
      return { campaign, turfs, campaignMs: t1 - t0, turfsMs: t2 - t1, totalMs: t2 - t0 };
    };

    log('checking that the rollups give the figures the raw visits give');
    const a = await served();
    const b = await raw();
    const left = comparable(a.campaign as unknown as Record<string, unknown>, a.turfs as unknown as Record<string, unknown>[]);
    const right = comparable(b.campaign, b.turfs);
    if (left !== right) {
      throw new Error(`The rollups disagree with the raw visits:\nrollups: ${left.slice(0, 800)}\nraw:     ${right.slice(0, 800)}`);
    }
    log(`they agree (${a.turfs.length} turfs, ${String(a.campaign.visits)} visits); warm-up done`);

    const perRound: {
      served: ReturnType<typeof summarize>;
      raw: { campaignMs: number; turfsMs: number; totalMs: number };
      ratio: number;
    }[] = [];
    function summarize(list: { campaignMs: number; turfsMs: number; totalMs: number }[]) {
      return {
        campaignMs: median(list.map((x) => x.campaignMs)),
        turfsMs: median(list.map((x) => x.turfsMs)),
        totalMs: median(list.map((x) => x.totalMs)),
      };
    }
    const plans: Record<string, unknown> = {};
    for (let r = 0; r < rounds; r++) {
      const s: { campaignMs: number; turfsMs: number; totalMs: number }[] = [];
      for (let i = 0; i < servedPerRound; i++) s.push(await served());
      const t0 = performance.now();
      const x = await raw();
      const rawMs = ms(t0);
      const sm = summarize(s);
      perRound.push({ served: sm, raw: { campaignMs: x.campaignMs, turfsMs: x.turfsMs, totalMs: rawMs }, ratio: rawMs / sm.totalMs });
      log(`round ${r + 1}/${rounds}: raw ${round(rawMs, 1)} ms, served ${round(sm.totalMs, 2)} ms, ratio ${round(rawMs / sm.totalMs, 1)}`);
    }
    // The plans, for the record (outside the timing).
    for (const [name, sql] of [
      ['rawCampaign', RAW_CAMPAIGN],
      ['rawTurfs', RAW_TURFS],
    ] as const) {
      const rows = await ds.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${sql}`, [campaignId]);
      plans[name] = rows
        .map((r) => r['QUERY PLAN'])
        .filter((l) => /Scan|Aggregate|Join|Gather/.test(l))
        .map((l) => l.trim().replace(/\s+\(cost=.*$/, ''));
    }

    const ratio = median(perRound.map((r) => r.ratio));
    const servedMs = {
      campaign: round(median(perRound.map((r) => r.served.campaignMs)), 2),
      turfs: round(median(perRound.map((r) => r.served.turfsMs)), 2),
      total: round(median(perRound.map((r) => r.served.totalMs)), 2),
    };
    const rawMs = {
      campaign: round(median(perRound.map((r) => r.raw.campaignMs)), 1),
      turfs: round(median(perRound.map((r) => r.raw.turfsMs)), 1),
      total: round(median(perRound.map((r) => r.raw.totalMs)), 1),
    };
    return [
      {
        bench: id,
        metric: 'raw_group_by_ms / served_rollup_ms (campaign + 2,000 turfs)',
        value: round(ratio, 1),
        target: TARGET,
        pass: ratio >= TARGET,
        detail: {
          servedMs,
          rawMs,
          ratioByEndpoint: { campaign: round(rawMs.campaign / servedMs.campaign, 1), turfs: round(rawMs.turfs / servedMs.turfs, 1) },
          rounds: perRound.map((r) => ({ rawMs: round(r.raw.totalMs, 1), servedMs: round(r.served.totalMs, 2), ratio: round(r.ratio, 1) })),
          slice: `${rounds} rounds x (${servedPerRound} served pairs, their median; 1 raw pair), after a warm-up pair of each`,
          data: f.counts,
          setUp: f.setUp,
          plans,
          cores: availableParallelism(),
          cpu: cpus()[0]?.model,
          reference:
            'the same figures by GROUP BY over visits (grouped by door once), visit_materials, doors and turf_doors, ' +
            'with the schema indexes, on the same connection; both answers checked equal first',
        },
      },
    ];
  } finally {
    if (ds.isInitialized) await ds.destroy().catch(() => undefined);
    await f.close();
  }
}
