/**
 * Set-up shared by the sync benchmarks (I1, I2, I3): a scratch database, the built API and, for
 * the set-up only, the built worker; an organizer, volunteers who accepted their invites, a
 * campaign whose doors were imported from a synthetic street grid and cut into routes, and one
 * route handed to each volunteer. Everything goes through the API as a coordinator would do it;
 * the worker is stopped once the routes are cut, so that it takes no CPU while anything is measured.
 *
 * Also here: the CPU accounting (API threads, PostgreSQL backends, this process). The batches
 * of visits and POST /sync itself are in sync-client.ts.
 */
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import { Client } from 'pg';
import { generateNeighbourhood } from '@app/geo';
import { createScratchDatabase, log, mapLimit, randomPassword, ScratchDatabase, scratchRedisPrefix, sleep } from './common';
import { call, CallOptions, claimsOf, expectJson } from './http';
import { Walker } from './sync-client';
import { backendCpuSeconds, backendCpuSince, ensureBuilt, fixtureEnv, RunningApi, startApi, startWorker } from './processes';

/** The API's pool unless DATABASE_POOL_SIZE says otherwise (libs/config/src/environment.ts). */
export const DEFAULT_POOL_SIZE = 10;

// ---------------------------------------------------------------------------------------------
// Fixture

export interface Volunteer extends Walker {
  userId: string;
  organizationId: string;
  campaignId: string;
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

/**
 * Everything up to the first measured request. On failure, what was started is stopped and the
 * database dropped before the error is thrown on.
 */
export async function setUpSyncFixture(benchId: string, options: FixtureOptions): Promise<SyncFixture> {
  const started = performance.now();
  await ensureBuilt('api', 'worker');
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
      ...fixtureEnv(redis.prefix),
    };
    // Jobs wait in Redis until the worker is up, so neither start has to wait for the other.
    const worker = await startWorker(env, { waitForStart: false });
    try {
      api = await startApi(env);
      await monitor.connect();
      const { baseUrl } = api;
      const as =
        (token: string) =>
        (method: string, path: string, o: CallOptions = {}) =>
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

export async function cpuMark(f: SyncFixture): Promise<CpuMark> {
  return {
    api: f.api.threadCpuSeconds(),
    backends: await backendCpuSeconds(f.monitor),
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
  const postgres = await backendCpuSince(f.monitor, mark.backends);
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
