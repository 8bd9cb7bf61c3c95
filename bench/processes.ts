/**
 * The built API and worker as child processes of a benchmark, the build check that comes before
 * them, and the CPU time processes use, read from /proc.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as http from 'node:http';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../test/support/processes';
import { log, onCleanup, REPO_ROOT, sleep } from './common';
import { call } from './http';

// ---------------------------------------------------------------------------------------------
// Builds

type App = 'api' | 'worker';

const MAIN: Record<App, string> = {
  api: join(REPO_ROOT, 'dist/apps/api/apps/api/src/main.js'),
  worker: join(REPO_ROOT, 'dist/apps/worker/apps/worker/src/main.js'),
};
/** What each app is built from; libs and migrations go into both. */
const SOURCES: Record<App, string[]> = {
  api: ['apps/api/src', 'libs', 'migrations'],
  worker: ['apps/worker/src', 'libs', 'migrations'],
};

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

/**
 * Builds each of `apps` whose dist is missing or older than the newest source of any of them, so
 * that the code measured is the code checked out.
 */
export async function ensureBuilt(...apps: App[]): Promise<void> {
  const dirs = new Set(apps.flatMap((app) => SOURCES[app]).map((dir) => join(REPO_ROOT, dir)));
  const sourcesAt = Math.max(...[...dirs].filter((d) => existsSync(d)).map(newestMtime));
  for (const app of apps) {
    const builtAt = existsSync(MAIN[app]) ? statSync(MAIN[app]).mtimeMs : 0;
    if (builtAt > 0 && builtAt >= sourcesAt) continue;
    log(builtAt === 0 ? `dist is missing: npx nest build ${app}` : `dist is older than the sources: npx nest build ${app}`);
    await runCommand('npx', ['nest', 'build', app]);
  }
}

// ---------------------------------------------------------------------------------------------
// CPU time from /proc

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

/**
 * CPU seconds used so far by each PostgreSQL backend serving the database `monitor` is connected
 * to (the pools of the processes measured), by pid; the monitor's own backend is left out.
 */
export async function backendCpuSeconds(monitor: Client): Promise<Map<number, number>> {
  const { rows } = await monitor.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  return new Map(rows.map((r) => [r.pid, processCpuSeconds(r.pid)]));
}

/** CPU seconds those backends used since `before`; a backend that appeared meanwhile counts from zero. */
export async function backendCpuSince(monitor: Client, before: Map<number, number>): Promise<number> {
  let total = 0;
  for (const [pid, now] of await backendCpuSeconds(monitor)) {
    const used = now - (before.get(pid) ?? 0);
    if (Number.isFinite(used)) total += used;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// Child processes

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

interface Spawned {
  child: ChildProcess;
  pid: number;
  /** The last 4,000 characters of output, to explain a failure. */
  tail: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts `node <main>` with `env` as its whole environment and every chunk of its output passed
 * to `onOutput`. The process is stopped by its pid by `stop()`, by the runner's clean-up on
 * failure, and as a last resort when this process exits. `name` is what the log calls it.
 */
function spawnBuilt(
  name: string,
  main: string,
  env: NodeJS.ProcessEnv,
  options: { startedNote?: string; beforeStop?: (child: ChildProcess) => void; onOutput?: (chunk: Buffer) => void } = {},
): Spawned {
  const child = spawn(process.execPath, [main], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`The ${name} process did not start.`);
  log(`${name} started, pid ${pid}${options.startedNote ?? ''}`);

  let tail = '';
  const keep = (chunk: Buffer) => {
    options.onOutput?.(chunk);
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const killOnExit = () => {
    if (!exited(child)) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  const stop = onCleanup(async () => {
    if (!exited(child)) {
      options.beforeStop?.(child);
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 5000))) {
        log(`${name} pid ${pid} did not stop within 5 s: SIGKILL`);
        child.kill('SIGKILL');
        await waitForExit(child, 5000);
      }
    }
    process.off('exit', killOnExit);
    log(`${name} pid ${pid} stopped`);
  });
  return { child, pid, tail: () => tail, stop };
}

// ---------------------------------------------------------------------------------------------
// The built API

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

/**
 * Access tokens live JWT_ACCESS_TTL_SECONDS (900 by default). The data set-ups start the API with
 * the largest value the configuration accepts, an hour, and the runner stops any benchmark after
 * two minutes, so a token taken at set-up outlives every run: no refresh in the measured loops.
 */
const ACCESS_TTL_SECONDS = 3600;

/**
 * The environment the data set-ups (sync-data.ts, coverage-data.ts) start the API and the worker
 * with, Redis keys under `redisPrefix`: production mode, the run's own JWT secret, and login
 * limits high enough that a set-up logging everybody in from one address never meets a 429.
 */
export function fixtureEnv(redisPrefix: string): Record<string, string> {
  return {
    REDIS_KEY_PREFIX: redisPrefix,
    NODE_ENV: 'production',
    JWT_ACCESS_SECRET: randomBytes(48).toString('base64url'),
    NOTES_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    JWT_ACCESS_TTL_SECONDS: String(ACCESS_TTL_SECONDS),
    LOG_LEVEL: 'warn',
    LOGIN_LIMIT_PER_IP: '100000',
    LOGIN_LIMIT_PER_ACCOUNT: '10000',
  };
}

/**
 * Starts `node dist/.../main.js` on a free loopback port with `env` on top of this process's
 * environment, and waits until GET /health answers 200.
 */
export async function startApi(env: Record<string, string>, startTimeoutMs = 30_000): Promise<RunningApi> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // Warnings pass through to stderr; the tail explains a failed start.
  const { child, pid, tail, stop } = spawnBuilt(
    'API',
    MAIN.api,
    { ...process.env, PUBLIC_URL: baseUrl, ...env, HOST: '127.0.0.1', PORT: String(port) },
    { startedNote: `, ${baseUrl}`, onOutput: (chunk) => process.stderr.write(chunk) },
  );

  const deadline = Date.now() + startTimeoutMs;
  const agent = new http.Agent({ keepAlive: false });
  try {
    for (;;) {
      if (exited(child)) {
        throw new Error(`The API exited before answering /health (${child.signalCode ?? `exit ${child.exitCode}`}):\n${tail()}`);
      }
      const answer = await call(agent, baseUrl, 'GET', '/health').catch(() => undefined);
      if (answer?.status === 200) break;
      if (Date.now() > deadline) throw new Error(`The API did not answer /health within ${startTimeoutMs} ms:\n${tail()}`);
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
// The built worker

export interface RunningWorker {
  pid: number;
  /** CPU seconds the worker process has used so far (all threads). */
  cpuSeconds(): number;
  /** SIGSTOP: the worker takes no CPU and no job until resumed. */
  pause(): void;
  /** SIGCONT. */
  resume(): void;
  /** The last lines of its output. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `node dist/apps/worker/.../main.js` with `env` on top of this process's environment; its
 * errors pass through to stderr. By default it runs at LOG_LEVEL info, so that it says when it has
 * started, and this waits for that (or `readyMs`). With `waitForStart: false`, `env` is passed as
 * it is and this returns at once: jobs queued meanwhile wait in Redis until the worker is up.
 */
export async function startWorker(
  env: Record<string, string>,
  { waitForStart = true, readyMs = 20_000 }: { waitForStart?: boolean; readyMs?: number } = {},
): Promise<RunningWorker> {
  let ready = false;
  const { child, pid, tail, stop } = spawnBuilt(
    'worker',
    MAIN.worker,
    { ...process.env, ...env, ...(waitForStart ? { LOG_LEVEL: 'info' } : {}) },
    {
      // A paused worker must be resumed to act on SIGTERM.
      beforeStop: (c) => c.kill('SIGCONT'),
      onOutput: (chunk) => {
        const text = chunk.toString();
        if (/"level":(50|60)/.test(text)) process.stderr.write(chunk);
        if (/started|ready|listening/i.test(text)) ready = true;
      },
    },
  );
  if (waitForStart) {
    const deadline = Date.now() + readyMs;
    while (!ready && Date.now() < deadline) {
      if (exited(child)) {
        await stop();
        throw new Error(`The worker exited at start:\n${tail()}`);
      }
      await sleep(100);
    }
    if (!ready) log('the worker said nothing about starting; going on');
  }
  return {
    pid,
    cpuSeconds: () => processCpuSeconds(pid),
    pause: () => void (!exited(child) && child.kill('SIGSTOP')),
    resume: () => void (!exited(child) && child.kill('SIGCONT')),
    output: tail,
    stop,
  };
}
