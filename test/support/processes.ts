import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
export const API_MAIN = join(ROOT, 'dist/apps/api/apps/api/src/main.js');
export const WORKER_MAIN = join(ROOT, 'dist/apps/worker/apps/worker/src/main.js');

/** Builds the apps once if `npm run build` has not been run yet. */
export function ensureBuilt(): void {
  if (existsSync(API_MAIN) && existsSync(WORKER_MAIN)) return;
  execFileSync('npx', ['nest', 'build', 'api'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync('npx', ['nest', 'build', 'worker'], { cwd: ROOT, stdio: 'inherit' });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export function start(main: string, env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [main], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Resolves with the exit code, or rejects if the process has not exited in time (and kills it). */
export async function stopWithin(p: Running, ms: number): Promise<number | null> {
  p.child.kill('SIGTERM');
  const timer = new Promise<never>((_, reject) =>
    setTimeout(() => {
      p.child.kill('SIGKILL');
      reject(new Error(`did not exit within ${ms} ms after SIGTERM`));
    }, ms).unref(),
  );
  return Promise.race([p.exited, timer]);
}
