/**
 * I1: how close check-in ingest through the API comes to writing the same rows straight into
 * PostgreSQL.
 *
 * Measured (A): visits per second through POST /sync of the built API, in batches of 20 visits,
 * from `concurrency` (50) keep-alive HTTP clients on 127.0.0.1. Each client is a volunteer of
 * their own (or one of a pair on a route, when the cut gives fewer routes than volunteers) with a
 * route handed to them through the API; each visit has a fresh id made by the client, on the next
 * door of the route, with the clock a moment ago. What a request pays for is everything the
 * product does on this path: the JWT and the session lookup, Nest's guards and pipes, the
 * per-record validation, the context query (route assignment, doors on the route, ids already
 * stored) and the one INSERT ... ON CONFLICT DO NOTHING RETURNING statement. Every answer is
 * checked to say 20 created and no clock flag.
 *
 * Reference (B): the same batches (20 rows made by the same generator, fresh ids, the same
 * volunteers and routes) written by a plain multi-row `INSERT INTO visits (...) VALUES (...), ...`
 * of the same 17 columns the API writes, with effective_at and txid computed by the same SQL
 * expressions, through a `pg` Pool in this process as large as the API's (DATABASE_POOL_SIZE,
 * 10 unless `--pool` says otherwise), with the same 50 callers in flight. Same table, same
 * indexes, same foreign key to doors, same scratch database; the rows of both sides accumulate in
 * it, and alternating short slices let both see the same table as it grows.
 *
 * Why this reference is fair on a two-core machine: both sides keep the pool busy with the same
 * number of callers and the same pool size, so PostgreSQL sees the same parallelism; A and B never
 * run at the same time, so each has both cores; and the reference is the cheapest correct way a
 * hand-written client stores a batch in one round trip, without the idempotency (ON CONFLICT),
 * the checks or the HTTP layer the product needs. What the ratio misses from 1 is therefore the
 * cost of those: the API's main thread, its two extra statements per request, and the HTTP
 * client, which has to share the cores with the server it measures (each is reported per batch
 * in detail.cpuMs, measured from /proc, so that it can be told apart; PostgreSQL's share counts
 * the backends of the scratch database, not the WAL writer or the checkpointer).
 *
 *   npm run bench -- I1 [--concurrency 50] [--batch 20] [--pool 10] [--rounds 3] [--pairs 4] [--seconds 2]
 */
import { availableParallelism, cpus } from 'node:os';
import { Pool } from 'pg';
import { BenchResult, closedLoop, interleavedSlices, log, median, numberArg, percentile, round } from './common';
import { postVisits, visitBatch } from './sync-client';
import {
  addCpu,
  countVisits,
  CpuMs,
  cpuMark,
  cpuSince,
  DEFAULT_POOL_SIZE,
  NO_CPU,
  setUpSyncFixture,
  SyncFixture,
  Volunteer,
} from './sync-data';

export const id = 'I1';
export const description =
  'visits/s through POST /sync (20-visit batches, 50 clients) / visits/s of raw pg multi-row INSERTs into the same table, same pool size';

const TARGET = 0.8;

interface Slice {
  /** Visits written. */
  count: number;
  seconds: number;
  batches: number;
  latenciesMs: number[];
  cpuMs: CpuMs;
}

/** Columns in the order the API's INSERT names them (libs/canvassing/src/sync/sync.repository.ts). */
const COLUMNS =
  'id, organization_id, campaign_id, turf_id, door_id, user_id, shift_id, outcome, language, follow_up, note, ' +
  'recorded_at, effective_at, txid, clock_flag, status, quarantine_reason';
const PARAMS_PER_ROW = 15;

/** `INSERT INTO visits (...) VALUES (...), ... ` for `rows` rows; the values come as parameters, 15 per row. */
function rawInsertSql(rows: number): string {
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    const $ = (i: number) => `$${r * PARAMS_PER_ROW + i}`;
    tuples.push(
      `(${$(1)}, ${$(2)}, ${$(3)}, ${$(4)}, ${$(5)}, ${$(6)}, ${$(7)}, ${$(8)}, ${$(9)}, ${$(10)}, ${$(11)}, ` +
        `${$(12)}, least(${$(12)}::timestamptz, now()), pg_current_xact_id()::text::bigint, ${$(13)}, ${$(14)}, ${$(15)})`,
    );
  }
  return `INSERT INTO visits (${COLUMNS}) VALUES ${tuples.join(', ')}`;
}

export async function run(args: string[]): Promise<BenchResult[]> {
  const concurrency = Math.round(numberArg(args, 'concurrency', 50));
  const batch = Math.round(numberArg(args, 'batch', 20));
  const poolSize = Math.round(numberArg(args, 'pool', DEFAULT_POOL_SIZE));
  const seconds = numberArg(args, 'seconds', 2);
  const pairsPerRound = Math.round(numberArg(args, 'pairs', 4));
  const rounds = Math.round(numberArg(args, 'rounds', 3));
  const warmUpSeconds = numberArg(args, 'warmup', 2);
  const planned = 2 * warmUpSeconds + 2 * rounds * pairsPerRound * seconds;
  if (planned > 80) throw new Error(`${planned} s of measuring leaves no room for set-up within the two-minute limit.`);

  const f: SyncFixture = await setUpSyncFixture(id, {
    volunteers: concurrency,
    grid: 8,
    doorsPerTurf: 40,
    poolSize,
    maxSockets: concurrency,
  });
  const pool = new Pool({ connectionString: f.db.url, max: poolSize, application_name: 'porchlight-bench-raw' });
  try {
    const sql = rawInsertSql(batch);
    const visitsBefore = await countVisits(f);
    const clientOf = (worker: number): Volunteer => f.volunteers[worker % f.volunteers.length];

    const throughApi = async (sliceSeconds: number): Promise<Slice> => {
      const mark = await cpuMark(f);
      const r = await closedLoop(concurrency, sliceSeconds, (worker) => postVisits(f.agent, f.api.baseUrl, clientOf(worker), batch));
      return { count: r.count * batch, seconds: r.seconds, batches: r.count, latenciesMs: r.latenciesMs, cpuMs: await cpuSince(f, mark) };
    };

    const rawInsert = async (sliceSeconds: number): Promise<Slice> => {
      const mark = await cpuMark(f);
      const r = await closedLoop(concurrency, sliceSeconds, async (worker) => {
        const v = clientOf(worker);
        const params: unknown[] = [];
        for (const x of visitBatch(v, batch)) {
          params.push(
            x.id,
            v.organizationId,
            v.campaignId,
            x.turfId,
            x.doorId,
            v.userId,
            null,
            x.outcome,
            x.language ?? null,
            false,
            null,
            x.recordedAt,
            null,
            'accepted',
            null,
          );
        }
        const res = await pool.query(sql, params);
        if (res.rowCount !== batch) throw new Error(`The raw INSERT stored ${res.rowCount} rows, not ${batch}`);
      });
      const cpuMs = await cpuSince(f, mark);
      // The API is idle meanwhile: what its threads used (timers, the pool's keep-alive) is not the reference's.
      return { count: r.count * batch, seconds: r.seconds, batches: r.count, latenciesMs: r.latenciesMs, cpuMs };
    };

    const result = await interleavedSlices({ rounds, pairsPerRound, seconds, warmUpSeconds, a: throughApi, b: rawInsert });

    const visitsAfter = await countVisits(f);
    const api = result.rounds.flatMap((r) => r.a);
    const raw = result.rounds.flatMap((r) => r.b);
    const batchesOf = (slices: Slice[]) => slices.reduce((n, s) => n + s.batches, 0);
    const cpuPerBatch = (slices: Slice[]) => {
      const total = slices.reduce((t, s) => addCpu(t, s.cpuMs), NO_CPU);
      const n = batchesOf(slices);
      return {
        apiMainThread: total.apiMainThread / n,
        apiOtherThreads: total.apiOtherThreads / n,
        apiMainThreadWaiting: total.apiMainThreadWaiting / n,
        postgres: total.postgres / n,
        bench: total.bench / n,
      };
    };
    /** Cores that processes outside the measurement kept busy on average (see CpuMs.other). */
    const otherCores = (slices: Slice[]) =>
      round(slices.reduce((t, s) => t + s.cpuMs.other, 0) / 1000 / slices.reduce((t, s) => t + s.seconds, 0), 2);
    const apiCpu = cpuPerBatch(api);
    const rawCpu = cpuPerBatch(raw);
    const ms = (v: number) => round(v, 2);
    const latency = (slices: Slice[]) => {
      const all = slices.flatMap((s) => s.latenciesMs);
      return { p50: ms(percentile(all, 50)), p95: ms(percentile(all, 95)), p99: ms(percentile(all, 99)) };
    };
    const apiTotalCpu = apiCpu.apiMainThread + apiCpu.apiOtherThreads + apiCpu.postgres + apiCpu.bench;
    const rawTotalCpu = rawCpu.postgres + rawCpu.bench;
    log(`visits stored during the run: ${visitsAfter - visitsBefore}`);

    return [
      {
        bench: id,
        metric: 'api_visits_per_s / raw_pg_visits_per_s',
        value: round(result.medianRatio),
        target: TARGET,
        pass: result.medianRatio >= TARGET,
        detail: {
          apiVisitsPerS: round(median(result.rounds.map((r) => r.aPerSecond)), 1),
          rawPgVisitsPerS: round(median(result.rounds.map((r) => r.bPerSecond)), 1),
          apiBatchLatencyMs: latency(api),
          rawBatchLatencyMs: latency(raw),
          rounds: result.rounds.map((r) => ({
            apiVisitsPerS: round(r.aPerSecond, 1),
            rawPgVisitsPerS: round(r.bPerSecond, 1),
            ratio: round(r.ratio),
            otherCores: { api: otherCores(r.a), raw: otherCores(r.b) },
          })),
          // Per 20-visit batch. CPU time moves far less with the machine's load than the rates do,
          // so the ratio of the totals is a steadier cross-check of the headline figure.
          cpuMsPerBatch: {
            api: {
              apiMainThread: ms(apiCpu.apiMainThread),
              apiOtherThreads: ms(apiCpu.apiOtherThreads),
              postgres: ms(apiCpu.postgres),
              // Not CPU: how long the API's main thread waited for a core, per batch.
              apiMainThreadWaitingForCpu: ms(apiCpu.apiMainThreadWaiting),
              httpClient: ms(apiCpu.bench),
              total: ms(apiTotalCpu),
            },
            raw: { postgres: ms(rawCpu.postgres), pgClient: ms(rawCpu.bench), total: ms(rawTotalCpu) },
            rawOverApiCpu: round(rawTotalCpu / apiTotalCpu),
          },
          // Other processes' share of the two cores during the measured slices: near 0 on a quiet machine.
          otherCores: { api: otherCores(api), raw: otherCores(raw) },
          batches: { api: batchesOf(api), raw: batchesOf(raw) },
          visitsStored: visitsAfter - visitsBefore,
          batchSize: batch,
          concurrency,
          poolSize,
          volunteers: f.volunteers.length,
          routes: f.turfCount,
          doors: f.doorCount,
          slice: `${rounds} rounds x ${pairsPerRound} x (${seconds} s API, ${seconds} s raw), after ${warmUpSeconds} s + ${warmUpSeconds} s warm-up`,
          setUpSeconds: round(f.setUpSeconds, 1),
          cores: availableParallelism(),
          cpu: cpus()[0]?.model,
          node: process.version,
          reference: `plain multi-row INSERT of the same ${batch} rows (17 columns, ${PARAMS_PER_ROW} parameters a row) through a pg.Pool of ${poolSize}, ${concurrency} callers in flight`,
        },
      },
    ];
  } finally {
    await pool.end().catch(() => undefined);
    await f.close();
  }
}
