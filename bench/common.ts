import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { migrate } from '@app/database';
import { createMigrationDataSource } from '../apps/cli/src/data-source';
import { adminQuery, deleteRedisKeys, withDatabase } from '../test/support/test-database';

/** One line of output, in the format of ../shared/guide/benchmarks.md. */
export interface BenchResult {
  bench: string;
  metric: string;
  value: number;
  target: number;
  pass: boolean;
  detail: Record<string, unknown>;
}

/** What every `bench/*.bench.ts` module exports. */
export interface Benchmark {
  id: string;
  description: string;
  run(args: string[]): Promise<BenchResult[]>;
}

export const REPO_ROOT = join(__dirname, '..');

/** Progress goes to stderr so that stdout carries nothing but result lines. */
export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------
// Arguments

/** Reads `--name value` or `--name=value` as a positive number, or returns the default. */
export function numberArg(args: string[], name: string, fallback: number): number {
  const flag = `--${name}`;
  for (let i = 0; i < args.length; i++) {
    const raw = args[i] === flag ? args[i + 1] : args[i].startsWith(`${flag}=`) ? args[i].slice(flag.length + 1) : undefined;
    if (raw === undefined) continue;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} must be a positive number, got ${JSON.stringify(raw)}`);
    return value;
  }
  return fallback;
}

// ---------------------------------------------------------------------------------------------
// Statistics

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Nearest-rank percentile (p in 0..100): always a value that was actually observed. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** What one slice of a throughput measurement yields: operations completed, over seconds. */
export interface Sample {
  count: number;
  seconds: number;
}

export interface Round<A extends Sample, B extends Sample> {
  a: A[];
  b: B[];
  aPerSecond: number;
  bPerSecond: number;
  ratio: number;
}

const rate = (samples: Sample[]) => samples.reduce((n, s) => n + s.count, 0) / samples.reduce((t, s) => t + s.seconds, 0);

/**
 * Runs the measured side (A) and its reference (B) in turns, A B A B ..., after a warm-up whose
 * figures are thrown away. Each round is `pairsPerRound` short A B pairs and its ratio is A's rate
 * over B's rate across the round: whatever else runs on a shared machine comes and goes from one
 * second to the next, and short alternating slices let both sides see the same share of it. The
 * median over rounds then discards a round that was disturbed anyway.
 */
export async function interleavedRates<A extends Sample, B extends Sample>(options: {
  rounds: number;
  pairsPerRound: number;
  warmUp: () => Promise<unknown>;
  a: () => Promise<A>;
  b: () => Promise<B>;
}): Promise<{ rounds: Round<A, B>[]; medianRatio: number }> {
  if (options.rounds < 3) throw new Error('At least three rounds are needed for a median.');
  log('warm-up');
  await options.warmUp();
  const rounds: Round<A, B>[] = [];
  for (let i = 0; i < options.rounds; i++) {
    const a: A[] = [];
    const b: B[] = [];
    for (let j = 0; j < options.pairsPerRound; j++) {
      a.push(await options.a());
      b.push(await options.b());
    }
    const aPerSecond = rate(a);
    const bPerSecond = rate(b);
    rounds.push({ a, b, aPerSecond, bPerSecond, ratio: aPerSecond / bPerSecond });
    log(
      `round ${i + 1}/${options.rounds}: ${round(aPerSecond, 1)}/s vs ${round(bPerSecond, 1)}/s, ratio ${round(aPerSecond / bPerSecond)}`,
    );
  }
  return { rounds, medianRatio: median(rounds.map((r) => r.ratio)) };
}

/**
 * interleavedRates over slices of time: `a` and `b` each run for the seconds they are given, once
 * for `warmUpSeconds` (A first) to warm up, then for `seconds` a slice.
 */
export function interleavedSlices<A extends Sample, B extends Sample>(options: {
  rounds: number;
  pairsPerRound: number;
  seconds: number;
  warmUpSeconds: number;
  a: (seconds: number) => Promise<A>;
  b: (seconds: number) => Promise<B>;
}): Promise<{ rounds: Round<A, B>[]; medianRatio: number }> {
  const { a, b, seconds, warmUpSeconds } = options;
  return interleavedRates({
    rounds: options.rounds,
    pairsPerRound: options.pairsPerRound,
    warmUp: async () => {
      await a(warmUpSeconds);
      await b(warmUpSeconds);
    },
    a: () => a(seconds),
    b: () => b(seconds),
  });
}

/**
 * `concurrency` loops each call `task` until `seconds` have passed; returns how many calls
 * completed, over the time until the last one finished, with every call's latency.
 */
export async function closedLoop(
  concurrency: number,
  seconds: number,
  task: (worker: number, iteration: number) => Promise<void>,
): Promise<{ count: number; seconds: number; perSecond: number; latenciesMs: number[] }> {
  const latenciesMs: number[] = [];
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const t0 = performance.now();
        await task(worker, i);
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  return { count: latenciesMs.length, seconds: elapsed, perSecond: latenciesMs.length / elapsed, latenciesMs };
}

/** Calls `fn` on every item, `limit` at a time; the results in the items' order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// Clean-up that also happens when a benchmark fails, times out or is interrupted

const cleanups = new Map<number, () => Promise<void>>();
let nextCleanup = 0;

/** Registers a clean-up; the returned function runs it once and unregisters it. */
export function onCleanup(fn: () => Promise<void>): () => Promise<void> {
  const key = nextCleanup++;
  let done: Promise<void> | undefined;
  const once = () => (done ??= fn().finally(() => cleanups.delete(key)));
  cleanups.set(key, once);
  return once;
}

/** Runs every clean-up still pending, newest first (the API stops before its database is dropped). */
export async function runCleanups(): Promise<void> {
  for (const key of [...cleanups.keys()].reverse()) {
    await cleanups
      .get(key)?.()
      .catch((err: unknown) => log(`clean-up failed: ${err instanceof Error ? err.message : String(err)}`));
  }
}

// ---------------------------------------------------------------------------------------------
// Loopback only

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function assertLoopback(url: string, what: string): void {
  const host = new URL(url).hostname;
  if (!LOOPBACK.has(host)) throw new Error(`Benchmarks only talk to loopback; ${what} points at ${host}.`);
}

// ---------------------------------------------------------------------------------------------
// Scratch database

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

const databaseUrl = () => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/porchlight';

/** The server's `postgres` database, where scratch databases are created and dropped; loopback only. */
export function adminDatabaseUrl(): string {
  const baseUrl = databaseUrl();
  assertLoopback(baseUrl, 'DATABASE_URL');
  return withDatabase(baseUrl, 'postgres');
}

/**
 * Creates `porchlight_bench_<id>_<time>` and builds its schema by running the migrations; or, with
 * `template`, creates it as a copy of that database (CREATE DATABASE ... TEMPLATE, a file copy).
 */
export async function createScratchDatabase(benchId: string, template?: string): Promise<ScratchDatabase> {
  const adminUrl = adminDatabaseUrl();
  const name = `porchlight_bench_${benchId.toLowerCase().replace(/[^a-z0-9]/g, '')}_${Date.now()}`;
  const url = withDatabase(databaseUrl(), name);
  log(template ? `creating database ${name} from ${template}` : `creating database ${name}`);
  await adminQuery(adminUrl, template ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`);
  const drop = onCleanup(async () => {
    if (process.env.KEEP_BENCH_DATABASE === '1') return log(`keeping database ${name}`);
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    log(`dropped database ${name}`);
  });
  if (template) return { name, url, drop };
  const ds = createMigrationDataSource(url);
  try {
    await ds.initialize();
    await migrate(ds);
  } catch (err) {
    // Close the migrator's connections before the database they point at goes.
    if (ds.isInitialized) await ds.destroy().catch(() => undefined);
    await drop();
    throw err;
  }
  await ds.destroy();
  return { name, url, drop };
}

// ---------------------------------------------------------------------------------------------
// Redis keys

/** The Redis the API child inherits through the environment, with the product's default. */
const redisUrl = () => process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A Redis key prefix of this run for the API (which appends `:`), with the clean-up that deletes
 * every key under it, so that rate-limit counters and queues of one run never meet another's.
 */
export function scratchRedisPrefix(benchId: string): { prefix: string; drop: () => Promise<void> } {
  assertLoopback(redisUrl(), 'REDIS_URL');
  const prefix = `porchlight-bench-${benchId.toLowerCase()}-${Date.now().toString(36)}`;
  return { prefix, drop: onCleanup(() => deleteBenchRedisKeys(prefix)) };
}

/** Deletes the keys a benchmark's API process left under its own prefix. */
async function deleteBenchRedisKeys(prefix: string): Promise<void> {
  if (!prefix.startsWith('porchlight-bench-')) throw new Error(`Refusing to delete Redis keys outside a bench prefix: ${prefix}`);
  const url = redisUrl();
  assertLoopback(url, 'REDIS_URL');
  await deleteRedisKeys(url, prefix);
}

/** A password no list of common passwords holds, for throw-away accounts. */
export function randomPassword(): string {
  return `Bench-${randomBytes(18).toString('base64url')}`;
}
