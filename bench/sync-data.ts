/**
 * Set-up shared by the sync benchmarks (I1, I2, I3): a scratch database, the built API and, for
 * the set-up only, the built worker; an organizer, volunteers who accepted their invites, a
 * campaign whose doors were imported from a synthetic street grid and cut into routes, and one
 * route handed to each volunteer. Everything goes through the API as a coordinator would do it;
 * the worker is stopped once the routes are cut, so that it takes no CPU while anything is measured.
 *
 * Also here: the 20-visit batches both sides of I1 write, the HTTP call the benchmarks make to
 * POST /sync, and the CPU accounting (API threads, PostgreSQL backends, this process).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as http from 'node:http';
import { join } from 'node:path';
import { Client } from 'pg';
import { generateNeighbourhood } from '@app/geo';
import {
  createScratchDatabase,
  log,
  onCleanup,
  processCpuSeconds,
  randomPassword,
  REPO_ROOT,
  RunningApi,
  ScratchDatabase,
  scratchRedisPrefix,
  sleep,
  startApi,
} from './common';

/** The API's pool unless DATABASE_POOL_SIZE says otherwise (libs/config/src/environment.ts). */
export const DEFAULT_POOL_SIZE = 10;
/**
 * Access tokens live JWT_ACCESS_TTL_SECONDS (900 by default). The benchmarks start the API with
 * the largest value the configuration accepts, an hour, and the runner stops any benchmark after
 * two minutes, so a token taken at set-up outlives every run: no refresh in the measured loops.
 */
const ACCESS_TTL_SECONDS = 3600;

// ---------------------------------------------------------------------------------------------
// Builds

const WORKER_MAIN = join(REPO_ROOT, 'dist/apps/worker/apps/worker/src/main.js');
const API_MAIN = join(REPO_ROOT, 'dist/apps/api/apps/api/src/main.js');
const SOURCES = ['apps/api/src', 'apps/worker/src', 'libs', 'migrations'].map((dir) => join(REPO_ROOT, dir));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function build(app: 'api' | 'worker'): Promise<void> {
  log(`npx nest build ${app}`);
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['nest', 'build', app], { cwd: REPO_ROOT, stdio: ['ignore', process.stderr, process.stderr] });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`nest build ${app} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

/** Builds the API and the worker when dist is missing or older than the sources, so that the code measured is the code checked out. */
export async function ensureBuilt(): Promise<void> {
  const sourcesAt = Math.max(...SOURCES.filter((d) => existsSync(d)).map(newestMtime));
  for (const [app, main] of [
    ['api', API_MAIN],
    ['worker', WORKER_MAIN],
  ] as const) {
    const builtAt = existsSync(main) ? statSync(main).mtimeMs : 0;
    if (builtAt === 0 || builtAt < sourcesAt) await build(app);
  }
}

// ---------------------------------------------------------------------------------------------
// The built worker, for the set-up only

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Starts `node dist/.../worker/main.js` with `env`; the returned function stops it by its pid (also run on failure). */
function startWorker(env: Record<string, string>): { stop: () => Promise<void>; output: () => string } {
  const child = spawn(process.execPath, [WORKER_MAIN], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('The worker process did not start.');
  log(`worker started, pid ${pid}`);
  let tail = '';
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const killOnExit = () => {
    if (!exited(child)) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  const stop = onCleanup(async () => {
    if (!exited(child)) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 5000))) {
        log(`worker pid ${pid} did not stop within 5 s: SIGKILL`);
        child.kill('SIGKILL');
        await waitForExit(child, 5000);
      }
    }
    process.off('exit', killOnExit);
    log(`worker pid ${pid} stopped`);
  });
  return { stop, output: () => tail };
}

// ---------------------------------------------------------------------------------------------
// HTTP

export interface Answer {
  status: number;
  body: string;
}

/**
 * One request with node:http and a keep-alive agent (cheap on the client side, which shares the
 * cores with the server), with a bearer token and a JSON or text body.
 */
export function call(
  agent: http.Agent,
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; json?: unknown; text?: string; contentType?: string } = {},
): Promise<Answer> {
  const payload = options.text ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
  const headers: Record<string, string | number> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (payload !== undefined) {
    headers['content-type'] = options.contentType ?? 'application/json';
    headers['content-length'] = Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}${path}`, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

async function expectJson<T>(answer: Promise<Answer>, status: number, what: string): Promise<T> {
  const res = await answer;
  if (res.status !== status) throw new Error(`${what} answered ${res.status}: ${res.body.slice(0, 500)}`);
  return JSON.parse(res.body) as T;
}

/** The claims of an access token, read without checking it (the API checks it). */
function claimsOf(token: string): { sub: string; org: string } {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sub: string; org: string };
}

// ---------------------------------------------------------------------------------------------
// Fixture

export interface Volunteer {
  userId: string;
  organizationId: string;
  accessToken: string;
  campaignId: string;
  turfId: string;
  /** The route's doors, in walking order. */
  doorIds: string[];
  /** The next door of the route to visit. */
  cursor: number;
}

export interface SyncFixture {
  api: RunningApi;
  db: ScratchDatabase;
  /** A connection to the scratch database for counting rows and reading backend pids (not counted as load). */
  monitor: Client;
  agent: http.Agent;
  volunteers: Volunteer[];
  poolSize: number;
  doorCount: number;
  turfCount: number;
  setUpSeconds: number;
  /** Stops the API, deletes the Redis keys and drops the database; safe to call twice. */
  close(): Promise<void>;
}

export interface FixtureOptions {
  volunteers: number;
  /** The synthetic grid: avenues x streets, 6 lots per block side (8 x 8 gives about 2,100 doors). */
  grid: number;
  /** Routes of about this many doors; at least as many routes as volunteers are needed (two volunteers may share one). */
  doorsPerTurf: number;
  poolSize: number;
  /** Keep-alive sockets the benchmark's agent may open. */
  maxSockets: number;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
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

/**
 * Everything up to the first measured request. On failure, what was started is stopped and the
 * database dropped before the error is thrown on.
 */
export async function setUpSyncFixture(benchId: string, options: FixtureOptions): Promise<SyncFixture> {
  const started = performance.now();
  await ensureBuilt();
  const db = await createScratchDatabase(benchId);
  const redis = scratchRedisPrefix(benchId);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets });
  const monitor = new Client({ connectionString: db.url, application_name: 'porchlight-bench-monitor' });
  let api: RunningApi | undefined;
  const close = async () => {
    agent.destroy();
    await api?.stop();
    await monitor.end().catch(() => undefined);
    await redis.drop().catch((err: unknown) => log(`could not delete Redis keys: ${String(err)}`));
    await db.drop();
  };
  try {
    const env = {
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: String(options.poolSize),
      REDIS_KEY_PREFIX: redis.prefix,
      NODE_ENV: 'production',
      JWT_ACCESS_SECRET: randomBytes(48).toString('base64url'),
      JWT_ACCESS_TTL_SECONDS: String(ACCESS_TTL_SECONDS),
      LOG_LEVEL: 'warn',
      // Set-up accepts one invite per volunteer from one address: the limits must not answer 429.
      LOGIN_LIMIT_PER_IP: '100000',
      LOGIN_LIMIT_PER_ACCOUNT: '10000',
    };
    // Jobs wait in Redis until the worker is up, so neither start has to wait for the other.
    const worker = startWorker(env);
    try {
      api = await startApi(env);
      await monitor.connect();
      const { baseUrl } = api;
      const as =
        (token: string) =>
        (method: string, path: string, o: Parameters<typeof call>[4] = {}) =>
          call(agent, baseUrl, method, path, { token, ...o });

      log('organizer signs up');
      const organizer = await expectJson<{ accessToken: string }>(
        call(agent, baseUrl, 'POST', '/auth/signup', {
          json: {
            email: `${benchId.toLowerCase()}-organizer@bench.example.org`,
            password: randomPassword(),
            displayName: 'Bench organizer',
            language: 'en',
            organizationName: `Bench ${benchId}`,
          },
        }),
        201,
        'POST /auth/signup',
      );
      const org = as(organizer.accessToken);

      log(`${options.volunteers} volunteers accept their invites`);
      const accepted = await mapLimit(Array.from({ length: options.volunteers }), 4, async (_, i) => {
        const invite = await expectJson<{ token: string }>(org('POST', '/invites', { json: { role: 'volunteer' } }), 201, 'POST /invites');
        const tokens = await expectJson<{ accessToken: string }>(
          call(agent, baseUrl, 'POST', '/invites/accept', {
            json: {
              token: invite.token,
              email: `${benchId.toLowerCase()}-volunteer-${i}@bench.example.org`,
              password: randomPassword(),
              displayName: `Volunteer ${i}`,
              language: 'es',
            },
          }),
          201,
          'POST /invites/accept',
        );
        const claims = claimsOf(tokens.accessToken);
        return { userId: claims.sub, organizationId: claims.org, accessToken: tokens.accessToken };
      });

      const campaign = await expectJson<{ id: string }>(
        org('POST', '/campaigns', { json: { name: `Bench ${benchId}` } }),
        201,
        'POST /campaigns',
      );
      const rows = generateNeighbourhood({ seed: 11, avenues: options.grid, streets: options.grid, apartmentShare: 0.06 });
      const csv = ['LON,LAT,NUMBER,STREET,UNIT', ...rows.map((r) => [r.lon, r.lat, r.number, r.street, r.unit ?? ''].join(','))].join('\n');
      log(`importing ${rows.length} doors`);
      const imported = await expectJson<{ id: string }>(
        org('POST', `/campaigns/${campaign.id}/imports`, { text: csv, contentType: 'text/csv' }),
        202,
        'POST /campaigns/:id/imports',
      );
      for (const deadline = Date.now() + 60_000; ; await sleep(200)) {
        const state = await expectJson<{ status: string }>(org('GET', `/imports/${imported.id}`), 200, 'GET /imports/:id');
        if (state.status === 'completed') break;
        if (state.status === 'failed' || Date.now() > deadline) {
          throw new Error(`The import ended ${state.status === 'failed' ? 'failed' : 'late'}:\n${worker.output()}`);
        }
      }

      log(`cutting routes of about ${options.doorsPerTurf} doors`);
      const cut = await expectJson<{ turfs: { id: string; doorIds: string[] }[]; summary: { doorCount: number } }>(
        org('POST', `/campaigns/${campaign.id}/turfs/cut`, { json: { doorsPerTurf: options.doorsPerTurf, save: true } }),
        201,
        'POST /campaigns/:id/turfs/cut',
      );
      await worker.stop();
      if (cut.turfs.length * 2 < options.volunteers) {
        throw new Error(`${cut.turfs.length} routes cannot go to ${options.volunteers} volunteers (two at most each)`);
      }

      // Volunteer i walks route i, or shares it with volunteer i - routes when there are fewer routes than volunteers.
      const volunteers: Volunteer[] = accepted.map((v, i) => {
        const turf = cut.turfs[i % cut.turfs.length];
        return { ...v, campaignId: campaign.id, turfId: turf.id, doorIds: turf.doorIds, cursor: (i * 7) % turf.doorIds.length };
      });
      log(`assigning ${Math.min(volunteers.length, cut.turfs.length)} routes`);
      await mapLimit(cut.turfs, 4, async (turf) => {
        const walkers = volunteers.filter((v) => v.turfId === turf.id).map((v) => v.userId);
        if (walkers.length === 0) return;
        await expectJson(org('PUT', `/turfs/${turf.id}/assignment`, { json: { volunteerIds: walkers } }), 200, 'PUT /turfs/:id/assignment');
      });

      const setUpSeconds = (performance.now() - started) / 1000;
      log(`set-up done in ${setUpSeconds.toFixed(1)} s`);
      return {
        api,
        db,
        monitor,
        agent,
        volunteers,
        poolSize: options.poolSize,
        doorCount: cut.summary.doorCount,
        turfCount: cut.turfs.length,
        setUpSeconds,
        close,
      };
    } finally {
      await worker.stop();
    }
  } catch (err) {
    await close();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Visits

/** Outcomes without side effects beyond the visit row itself (no follow-up, no do-not-knock). */
const OUTCOMES = ['not_home', 'not_home', 'talked', 'refused', 'come_back_later', 'not_home', 'talked', 'no_access'] as const;

export interface VisitItem {
  kind: 'visit';
  id: string;
  turfId: string;
  doorId: string;
  outcome: string;
  recordedAt: string;
  language?: string;
}

/**
 * `size` visits by the volunteer, on the next doors of their route, each with a fresh id made
 * here as the phone makes it; a conversation is in Spanish. The phone's clock reads the time of
 * sending (the routes were handed out moments before the first batch: a visit recorded earlier
 * would be stored with a `before_assignment` flag, which the checks below refuse).
 */
export function visitBatch(v: Volunteer, size: number, at = Date.now()): VisitItem[] {
  const recordedAt = new Date(at).toISOString();
  const items: VisitItem[] = [];
  for (let i = 0; i < size; i++) {
    const doorId = v.doorIds[v.cursor];
    v.cursor = (v.cursor + 1) % v.doorIds.length;
    const outcome = OUTCOMES[(v.cursor + i) % OUTCOMES.length];
    const item: VisitItem = { kind: 'visit', id: randomUUID(), turfId: v.turfId, doorId, outcome, recordedAt };
    if (outcome === 'talked') item.language = 'es';
    items.push(item);
  }
  return items;
}

/** The part of the answer that says every record of a batch of `n` was stored (or, replayed, that none was). */
export const allCreated = (n: number) => `"counts":{"created":${n},"duplicate":0,"rejected":0,"quarantined":0}`;
export const allDuplicate = (n: number) => `"counts":{"created":0,"duplicate":${n},"rejected":0,"quarantined":0}`;

/**
 * POST /sync with a body already serialized; throws unless the answer is 200 with `expect` in
 * it. Looking for the counts in the text spares the client a JSON parse per request.
 */
export async function postSync(f: SyncFixture, v: Volunteer, body: string, expect: string): Promise<void> {
  const res = await call(f.agent, f.api.baseUrl, 'POST', '/sync', { token: v.accessToken, text: body });
  if (res.status !== 200 || !res.body.includes(expect) || res.body.includes('"flags"')) {
    throw new Error(`POST /sync answered ${res.status}, not ${expect}: ${res.body.slice(0, 600)}`);
  }
}

export async function countVisits(f: SyncFixture): Promise<number> {
  const { rows } = await f.monitor.query<{ n: string }>('SELECT count(*) AS n FROM visits');
  return Number(rows[0].n);
}

// ---------------------------------------------------------------------------------------------
// CPU accounting

export interface CpuMs {
  apiMainThread: number;
  apiOtherThreads: number;
  /** Backends of the scratch database (the API's pool, or the reference's), not WAL writer or checkpointer. */
  postgres: number;
  /**
   * Time the API's main thread was ready to run but waiting for a core (/proc schedstat): with
   * its CPU time, how much of the period the one JavaScript thread was not idle.
   */
  apiMainThreadWaiting: number;
  /** This process: the HTTP client or the raw `pg` client. */
  bench: number;
  /**
   * Every other process on the machine (and PostgreSQL's WAL writer and checkpointer): the whole
   * machine's busy time from /proc/stat less the above. Large when something else was running.
   */
  other: number;
}

export interface CpuMark {
  api: { mainThread: number; otherThreads: number };
  backends: Map<number, number>;
  bench: NodeJS.CpuUsage;
  machine: number;
  apiWaiting: number;
}

/** Milliseconds a thread has spent runnable but waiting for a core, from /proc/<pid>/task/<tid>/schedstat; NaN without it. */
function runQueueWaitMs(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return NaN;
  }
}

/** CPU seconds the whole machine has been busy (all but idle and iowait), from /proc/stat; NaN without /proc. */
function machineBusySeconds(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return NaN;
  }
}

async function backendCpu(monitor: Client): Promise<Map<number, number>> {
  const { rows } = await monitor.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  return new Map(rows.map((r) => [r.pid, processCpuSeconds(r.pid)]));
}

export async function cpuMark(f: SyncFixture): Promise<CpuMark> {
  return {
    api: f.api.threadCpuSeconds(),
    backends: await backendCpu(f.monitor),
    bench: process.cpuUsage(),
    machine: machineBusySeconds(),
    apiWaiting: runQueueWaitMs(f.api.pid),
  };
}

/** CPU milliseconds used since `mark`; a backend that appeared meanwhile counts from zero. */
export async function cpuSince(f: SyncFixture, mark: CpuMark): Promise<CpuMs> {
  const bench = process.cpuUsage(mark.bench);
  const api = f.api.threadCpuSeconds();
  const machine = machineBusySeconds() - mark.machine;
  let postgres = 0;
  for (const [pid, now] of await backendCpu(f.monitor)) {
    const used = now - (mark.backends.get(pid) ?? 0);
    if (Number.isFinite(used)) postgres += used;
  }
  const used = {
    apiMainThread: (api.mainThread - mark.api.mainThread) * 1000,
    apiOtherThreads: (api.otherThreads - mark.api.otherThreads) * 1000,
    postgres: postgres * 1000,
    bench: (bench.user + bench.system) / 1000,
  };
  const ours = used.apiMainThread + used.apiOtherThreads + used.postgres + used.bench;
  // /proc/stat counts in ticks of 10 ms: a few ticks of difference are rounding, not another process.
  return { ...used, apiMainThreadWaiting: runQueueWaitMs(f.api.pid) - mark.apiWaiting, other: Math.max(0, machine * 1000 - ours) };
}

export function addCpu(a: CpuMs, b: CpuMs): CpuMs {
  return {
    apiMainThread: a.apiMainThread + b.apiMainThread,
    apiOtherThreads: a.apiOtherThreads + b.apiOtherThreads,
    apiMainThreadWaiting: a.apiMainThreadWaiting + b.apiMainThreadWaiting,
    postgres: a.postgres + b.postgres,
    bench: a.bench + b.bench,
    other: a.other + b.other,
  };
}

export const NO_CPU: CpuMs = { apiMainThread: 0, apiOtherThreads: 0, apiMainThreadWaiting: 0, postgres: 0, bench: 0, other: 0 };
