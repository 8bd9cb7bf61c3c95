import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as http from 'node:http';
import { join } from 'node:path';
import { migrate } from '@app/database';
import { createMigrationDataSource } from '../apps/cli/src/data-source';
import { freePort } from '../test/support/processes';
import { adminQuery, deleteRedisKeys, withDatabase } from '../test/support/test-database';

export { freePort, withDatabase };

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

/** Creates `porchlight_bench_<id>_<time>` and builds its schema by running the migrations. */
export async function createScratchDatabase(benchId: string): Promise<ScratchDatabase> {
  const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/porchlight';
  assertLoopback(baseUrl, 'DATABASE_URL');
  const adminUrl = withDatabase(baseUrl, 'postgres');
  const name = `porchlight_bench_${benchId.toLowerCase().replace(/[^a-z0-9]/g, '')}_${Date.now()}`;
  const url = withDatabase(baseUrl, name);
  log(`creating database ${name}`);
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  const drop = onCleanup(async () => {
    if (process.env.KEEP_BENCH_DATABASE === '1') return log(`keeping database ${name}`);
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    log(`dropped database ${name}`);
  });
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

// ---------------------------------------------------------------------------------------------
// The built API as a child process

const API_MAIN = join(REPO_ROOT, 'dist/apps/api/apps/api/src/main.js');
const API_SOURCES = ['apps/api/src', 'libs', 'migrations'].map((dir) => join(REPO_ROOT, dir));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function runCommand(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', process.stderr, process.stderr] });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

/** Builds the API when dist is missing or older than its sources, so that the code measured is the code checked out. */
export async function ensureApiBuilt(): Promise<void> {
  const builtAt = existsSync(API_MAIN) ? statSync(API_MAIN).mtimeMs : 0;
  const sourcesAt = Math.max(...API_SOURCES.filter((d) => existsSync(d)).map(newestMtime));
  if (builtAt > 0 && builtAt >= sourcesAt) return;
  log(builtAt === 0 ? 'dist is missing: npx nest build api' : 'dist is older than the sources: npx nest build api');
  await runCommand('npx', ['nest', 'build', 'api']);
}

/** A port that was free a moment ago on 127.0.0.1. */

export interface RunningApi {
  baseUrl: string;
  port: number;
  pid: number;
  /** CPU seconds (user + system) the API process has used so far, from /proc; NaN where there is no /proc. */
  cpuSeconds(): number;
  /** The same, split by thread (see threadCpuSeconds). */
  threadCpuSeconds(): { mainThread: number; otherThreads: number };
  stop(): Promise<void>;
}

/** /proc reports CPU time in USER_HZ ticks, which Linux fixes at 100 per second for user space. */
const CLOCK_TICKS_PER_SECOND = 100;

function cpuSecondsFromStat(path: string): number {
  try {
    // Fields after the command name, which is in parentheses and may hold spaces.
    const stat = readFileSync(path, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc; NaN when it is gone or there is no /proc. */
export function processCpuSeconds(pid: number): number {
  return cpuSecondsFromStat(`/proc/${pid}/stat`);
}

/**
 * The same, split into the main thread (where Node runs JavaScript: the whole request path) and
 * every other thread (the libuv threadpool, where argon2 hashes, and V8's helpers). Threads that
 * ended are not counted, which is fine for a server whose threads live as long as it does.
 */
export function threadCpuSeconds(pid: number): { mainThread: number; otherThreads: number } {
  let mainThread = NaN;
  let otherThreads = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const used = cpuSecondsFromStat(`/proc/${pid}/task/${tid}/stat`);
      if (Number(tid) === pid) mainThread = used;
      else if (Number.isFinite(used)) otherThreads += used;
    }
  } catch {
    return { mainThread: NaN, otherThreads: NaN };
  }
  return { mainThread, otherThreads };
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts `node dist/.../main.js` on a free loopback port with `env` on top of this process's
 * environment, and waits until GET /health answers 200. The process is stopped by its pid by
 * `stop()`, by the runner's clean-up on failure, and as a last resort when this process exits.
 */
export async function startApi(env: Record<string, string>, startTimeoutMs = 30_000): Promise<RunningApi> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [API_MAIN], {
    cwd: REPO_ROOT,
    env: { ...process.env, PUBLIC_URL: baseUrl, ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('The API process did not start.');
  log(`API started, pid ${pid}, ${baseUrl}`);

  // Keep the last lines of output to explain a failed start; pass warnings through to stderr.
  let tail = '';
  const keep = (chunk: Buffer) => {
    process.stderr.write(chunk);
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  const stop = onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 5000))) {
        log(`API pid ${pid} did not stop within 5 s: SIGKILL`);
        child.kill('SIGKILL');
        await waitForExit(child, 5000);
      }
    }
    process.off('exit', killOnExit);
    log(`API pid ${pid} stopped`);
  });

  const deadline = Date.now() + startTimeoutMs;
  const agent = new http.Agent({ keepAlive: false });
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`The API exited before answering /health (${child.signalCode ?? `exit ${child.exitCode}`}):\n${tail}`);
      }
      const answer = await request(agent, baseUrl, 'GET', '/health').catch(() => undefined);
      if (answer?.status === 200) break;
      if (Date.now() > deadline) throw new Error(`The API did not answer /health within ${startTimeoutMs} ms:\n${tail}`);
      await sleep(100);
    }
  } catch (err) {
    await stop();
    throw err;
  } finally {
    agent.destroy();
  }
  return { baseUrl, port, pid, cpuSeconds: () => processCpuSeconds(pid), threadCpuSeconds: () => threadCpuSeconds(pid), stop };
}

// ---------------------------------------------------------------------------------------------
// HTTP client

/**
 * One request with node:http and a keep-alive agent: cheaper on the client side than fetch,
 * which matters when the load generator shares the cores with the server it measures.
 */
export function request(
  agent: http.Agent,
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      `${baseUrl}${path}`,
      {
        method,
        agent,
        headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** A password no list of common passwords holds, for throw-away accounts. */
export function randomPassword(): string {
  return `Bench-${randomBytes(18).toString('base64url')}`;
}
