/**
 * L1: how close the login path comes to the cost of the password hash it cannot avoid.
 *
 * Measured (A): logins per second through POST /auth/login of the built API, `concurrency`
 * keep-alive clients on 127.0.0.1. Reference (B): argon2.verify per second in this process, on
 * the hashes the API stored for the same users, with the same number in flight.
 *
 * Why this reference is fair on a two-core machine: argon2 runs on the libuv threadpool (4
 * threads unless UV_THREADPOOL_SIZE says otherwise) in both processes, and 4 in flight keep both
 * cores hashing on either side, with a queue that hides the API's waits on PostgreSQL and Redis.
 * A and B never run at the same time, so each has every core. What the ratio misses from 1 is what
 * a login costs besides the hash: the request path in the API's main thread, PostgreSQL, Redis,
 * and the HTTP client, which has to share the cores with the server it measures (its share is
 * reported in detail.cpuMs so that it can be told apart). A single-threaded reference would let
 * the API, which hashes on two cores, look better than the hash itself; one verify's time
 * multiplied by the number of cores would assume that argon2 scales perfectly over them.
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import { availableParallelism } from 'node:os';
import * as argon2 from 'argon2';
import { Client } from 'pg';
import {
  BenchResult,
  closedLoop,
  createScratchDatabase,
  interleavedSlices,
  log,
  median,
  numberArg,
  percentile,
  randomPassword,
  scratchRedisPrefix,
  round,
} from './common';
import { call } from './http';
import { backendCpuSeconds, backendCpuSince, ensureBuilt, RunningApi, startApi } from './processes';

export const id = 'L1';
export const description = 'logins/s through POST /auth/login / argon2id verifies/s in the bench process, same hashes and concurrency';

const TARGET = 0.8;

interface BenchUser {
  email: string;
  password: string;
  hash: string;
}

interface Slice {
  count: number;
  seconds: number;
  latenciesMs: number[];
  /** CPU milliseconds used during the slice, by process. */
  cpuMs: { apiMainThread: number; apiOtherThreads: number; postgres: number; bench: number };
}

/** `$argon2id$v=19$m=19456,t=2,p=1$salt$hash` -> { type, m, t, p }: the parameters the API really used. */
function argon2Parameters(hash: string): Record<string, string | number> {
  const [, type, , params] = hash.split('$');
  const out: Record<string, string | number> = { type };
  for (const pair of (params ?? '').split(',')) {
    const [k, v] = pair.split('=');
    if (k) out[k] = Number(v);
  }
  return out;
}

export async function run(args: string[]): Promise<BenchResult[]> {
  const concurrency = Math.round(numberArg(args, 'concurrency', 4));
  const seconds = numberArg(args, 'seconds', 2);
  const pairsPerRound = Math.round(numberArg(args, 'pairs', 4));
  const rounds = Math.round(numberArg(args, 'rounds', 3));
  const warmUpSeconds = numberArg(args, 'warmup', 1.5);
  const userCount = Math.round(numberArg(args, 'users', 8));
  const planned = 2 * warmUpSeconds + 2 * rounds * pairsPerRound * seconds;
  if (planned > 90) throw new Error(`${planned} s of measuring leaves no room for set-up within the two-minute limit.`);

  await ensureBuilt('api');
  const db = await createScratchDatabase(id);
  const redis = scratchRedisPrefix(id);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const monitor = new Client({ connectionString: db.url, application_name: 'porchlight-bench-monitor' });
  let api: RunningApi | undefined;
  try {
    api = await startApi({
      DATABASE_URL: db.url,
      REDIS_KEY_PREFIX: redis.prefix,
      NODE_ENV: 'production',
      JWT_ACCESS_SECRET: randomBytes(48).toString('base64url'),
      NOTES_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
      LOG_LEVEL: 'warn',
      // The largest values the configuration accepts: the limits must not answer 429 mid-run.
      LOGIN_LIMIT_PER_IP: '100000',
      LOGIN_LIMIT_PER_ACCOUNT: '10000',
    });
    const server = api;
    await monitor.connect();

    log(`signing up ${userCount} users`);
    const users: BenchUser[] = [];
    for (let i = 0; i < userCount; i++) {
      const email = `l1-user-${i}@bench.example.org`;
      const password = randomPassword();
      const res = await call(agent, server.baseUrl, 'POST', '/auth/signup', {
        json: { email, password, displayName: `Bench user ${i}`, language: 'en', organizationName: `Bench organization ${i}` },
      });
      if (res.status !== 201) throw new Error(`POST /auth/signup answered ${res.status}: ${res.body.slice(0, 500)}`);
      // The reference verifies the very hashes the API stored, so both sides pay for the same parameters.
      const { rows } = await monitor.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE email = $1', [email]);
      if (rows.length !== 1) throw new Error(`No stored hash for ${email}`);
      users.push({ email, password, hash: rows[0].password_hash });
    }
    const pick = (worker: number, iteration: number) => users[(worker + iteration * concurrency) % users.length];

    const logins = async (sliceSeconds: number): Promise<Slice> => {
      const pg = await backendCpuSeconds(monitor);
      const apiCpu = server.threadCpuSeconds();
      const benchCpu = process.cpuUsage();
      const r = await closedLoop(concurrency, sliceSeconds, async (worker, iteration) => {
        const { email, password } = pick(worker, iteration);
        const res = await call(agent, server.baseUrl, 'POST', '/auth/login', { json: { email, password } });
        if (res.status !== 200) throw new Error(`POST /auth/login answered ${res.status}: ${res.body.slice(0, 500)}`);
      });
      const bench = process.cpuUsage(benchCpu);
      const apiNow = server.threadCpuSeconds();
      const cpuMs = {
        apiMainThread: (apiNow.mainThread - apiCpu.mainThread) * 1000,
        apiOtherThreads: (apiNow.otherThreads - apiCpu.otherThreads) * 1000,
        postgres: (await backendCpuSince(monitor, pg)) * 1000,
        bench: (bench.user + bench.system) / 1000,
      };
      return { ...r, cpuMs };
    };

    const verifies = async (sliceSeconds: number): Promise<Slice> => {
      const benchCpu = process.cpuUsage();
      const r = await closedLoop(concurrency, sliceSeconds, async (worker, iteration) => {
        const { hash, password } = pick(worker, iteration);
        if (!(await argon2.verify(hash, password))) throw new Error('argon2.verify refused the right password');
      });
      const bench = process.cpuUsage(benchCpu);
      return { ...r, cpuMs: { apiMainThread: 0, apiOtherThreads: 0, postgres: 0, bench: (bench.user + bench.system) / 1000 } };
    };

    const result = await interleavedSlices({ rounds, pairsPerRound, seconds, warmUpSeconds, a: logins, b: verifies });

    const allLogins = result.rounds.flatMap((r) => r.a);
    const allVerifies = result.rounds.flatMap((r) => r.b);
    const loginLatencies = allLogins.flatMap((s) => s.latenciesMs);
    const verifyLatencies = allVerifies.flatMap((s) => s.latenciesMs);
    const perOp = (slices: Slice[], key: keyof Slice['cpuMs']) =>
      slices.reduce((t, s) => t + s.cpuMs[key], 0) / slices.reduce((n, s) => n + s.count, 0);
    const cpu = {
      apiMainThreadPerLogin: perOp(allLogins, 'apiMainThread'),
      apiOtherThreadsPerLogin: perOp(allLogins, 'apiOtherThreads'),
      postgresPerLogin: perOp(allLogins, 'postgres'),
      clientPerLogin: perOp(allLogins, 'bench'),
      referencePerVerify: perOp(allVerifies, 'bench'),
    };
    const cpuPerLogin = cpu.apiMainThreadPerLogin + cpu.apiOtherThreadsPerLogin + cpu.postgresPerLogin + cpu.clientPerLogin;
    const threadpool = Number(process.env.UV_THREADPOOL_SIZE) || 4;
    const ms = (v: number) => round(v, 1);

    return [
      {
        bench: id,
        metric: 'api_logins_per_s / argon2id_verifies_per_s',
        value: round(result.medianRatio),
        target: TARGET,
        pass: result.medianRatio >= TARGET,
        detail: {
          apiLoginsPerS: ms(median(result.rounds.map((r) => r.aPerSecond))),
          argon2VerifiesPerS: ms(median(result.rounds.map((r) => r.bPerSecond))),
          loginLatencyMs: {
            p50: ms(percentile(loginLatencies, 50)),
            p95: ms(percentile(loginLatencies, 95)),
            p99: ms(percentile(loginLatencies, 99)),
          },
          verifyLatencyMs: { p50: ms(percentile(verifyLatencies, 50)), p95: ms(percentile(verifyLatencies, 95)) },
          rounds: result.rounds.map((r) => ({
            apiLoginsPerS: ms(r.aPerSecond),
            argon2VerifiesPerS: ms(r.bPerSecond),
            ratio: round(r.ratio),
          })),
          // Where the CPU went, per operation. Unlike the rates, CPU time hardly changes with what
          // else runs on the machine, so their ratio is a steadier cross-check of the headline figure.
          cpuMs: {
            apiMainThreadPerLogin: ms(cpu.apiMainThreadPerLogin),
            apiOtherThreadsPerLogin: ms(cpu.apiOtherThreadsPerLogin),
            postgresPerLogin: ms(cpu.postgresPerLogin),
            clientPerLogin: ms(cpu.clientPerLogin),
            referencePerVerify: ms(cpu.referencePerVerify),
            verifyPerLoginCpu: round(cpu.referencePerVerify / cpuPerLogin),
          },
          logins: loginLatencies.length,
          verifies: verifyLatencies.length,
          concurrency,
          slice: `${rounds} rounds x ${pairsPerRound} x (${seconds} s logins, ${seconds} s verifies), after ${warmUpSeconds} s + ${warmUpSeconds} s warm-up`,
          users: users.length,
          argon2: argon2Parameters(users[0].hash),
          cores: availableParallelism(),
          uvThreadpoolSize: threadpool,
          node: process.version,
          reference:
            `argon2.verify of the hashes the API stored, ${concurrency} in flight in the bench process on a libuv threadpool ` +
            `of ${threadpool} like the API's, while the API idles: both sides can use every core`,
        },
      },
    ];
  } finally {
    agent.destroy();
    await api?.stop();
    await monitor.end().catch(() => undefined);
    await redis.drop().catch((err: unknown) => log(`could not delete Redis keys: ${String(err)}`));
    await db.drop();
  }
}
