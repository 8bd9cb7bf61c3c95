import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { ParsedMail } from 'mailparser';
import { freePort, waitFor } from '../support/processes';

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * PostgreSQL refuses to run as root: as root, the private cluster's commands run as the
 * `postgres` user, who owns its directory.
 */
function asPostgres(command: string, args: string[]): void {
  const full = join(PG_BIN, command);
  if (process.getuid?.() === 0) execFileSync('runuser', ['-u', 'postgres', '--', full, ...args], { stdio: 'pipe' });
  else execFileSync(full, args, { stdio: 'pipe' });
}

export interface PrivatePostgres {
  port: number;
  /** The admin URL (database `postgres`). */
  url: string;
  /** An URL to another database of this cluster. */
  urlFor(database: string): string;
  /** `pg_ctl stop -m immediate`: every backend dies at once, as in a crash. */
  crash(): void;
  start(): void;
  /** Stops the cluster (if running) and removes its directory; safe to call twice. */
  destroy(): void;
}

/** A PostgreSQL cluster of the test's own, on a free port of loopback, never the machine's. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'porchlight-faults-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  let running = false;
  const start = () => {
    asPostgres('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-t',
      '30',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=50`,
      'start',
    ]);
    running = true;
  };
  const stop = () => {
    asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    running = false;
  };
  try {
    asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C.UTF-8']);
    start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    port,
    url,
    urlFor: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    crash: stop,
    start,
    destroy: () => {
      try {
        if (running) stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export interface PrivateRedis {
  port: number;
  url: string;
  /** SIGKILL: no save, no goodbye to the clients. */
  kill(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** A Redis server of the test's own (no persistence), on a free port of loopback, never the machine's. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
      // Redis does not start under libfaketime (scripts/test-clock-ahead.sh); it keeps the machine's time,
      // which it only uses for relative expiries.
      env: Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'LD_PRELOAD')),
    });
    await waitFor(
      async () => {
        const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG';
        } finally {
          probe.disconnect();
        }
      },
      10_000,
      'the private Redis to answer',
    );
  };
  const kill = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((resolve) => c.once('exit', resolve));
    c.kill('SIGKILL');
    await exited;
  };
  await start();
  return { port, url, kill, start, destroy: kill };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One HTTP answer as the load generators record it. */
export interface Answer {
  at: number;
  ms: number;
  status: number;
  code?: string;
  body: unknown;
}

/** fetch with a deadline; a request that gets no answer in time counts as status 0 (hung or refused). */
export async function call(url: string, init: RequestInit & { json?: unknown } = {}, timeoutMs = 10_000): Promise<Answer> {
  const at = Date.now();
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  try {
    const res = await fetch(url, { ...init, headers, body, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    const code = parsed && typeof parsed === 'object' ? (parsed as { code?: unknown }).code : undefined;
    return { at, ms: Date.now() - at, status: res.status, code: typeof code === 'string' ? code : undefined, body: parsed };
  } catch (err) {
    return { at, ms: Date.now() - at, status: 0, body: err instanceof Error ? err.message : String(err) };
  }
}

/** True when the body is the product's standard error answer for its status. */
export function isStandardError(a: Answer): boolean {
  const b = a.body as { statusCode?: unknown; code?: unknown; message?: unknown } | null;
  return (
    !!b && typeof b === 'object' && b.statusCode === a.status && typeof b.code === 'string' && typeof b.message === 'string' && !!b.message
  );
}

/** The reminder a received e-mail was for (its X-Porchlight-Reference header). */
export function referenceOf(mail: ParsedMail): string {
  const header = mail.headers.get('x-porchlight-reference');
  return typeof header === 'string' ? header : '';
}
