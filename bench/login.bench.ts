import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import { availableParallelism } from 'node:os';
import * as argon2 from 'argon2';
import { Client } from 'pg';
import {
  BenchResult,
  closedLoop,
  createScratchDatabase,
  deleteRedisKeys,
  ensureApiBuilt,
  interleaved,
  log,
  median,
  numberArg,
  percentile,
  randomPassword,
  redisPrefix,
  request,
  round,
  RunningApi,
  startApi,
} from './common';

export const id = 'L1';
export const description = 'login throughput through POST /auth/login / argon2id verifies per second in this process, same concurrency';

const TARGET = 0.8;

interface BenchUser {
  email: string;
  password: string;
  hash: string;
}

interface Phase {
  perSecond: number;
  count: number;
  latenciesMs: number[];
  /** CPU seconds per operation, by process. */
  apiCpuMs?: number;
  benchCpuMs: number;
}

function cpuMsPer(startUsage: NodeJS.CpuUsage, count: number): number {
  const used = process.cpuUsage(startUsage);
  return (used.user + used.system) / 1000 / count;
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

async function readHashes(databaseUrl: string, emails: string[]): Promise<Map<string, string>> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ email: string; password_hash: string }>(
      'SELECT email::text AS email, password_hash FROM users WHERE email = ANY($1::citext[])',
      [emails],
    );
    return new Map(rows.map((r) => [r.email.toLowerCase(), r.password_hash]));
  } finally {
    await client.end();
  }
}

export async function run(args: string[]): Promise<BenchResult[]> {
  const concurrency = Math.round(numberArg(args, 'concurrency', 4));
  const seconds = numberArg(args, 'seconds', 5);
  const rounds = Math.round(numberArg(args, 'rounds', 3));
  const warmUpSeconds = numberArg(args, 'warmup', 1.5);
  const userCount = Math.round(numberArg(args, 'users', 8));
  const planned = 2 * warmUpSeconds + 2 * rounds * seconds;
  if (planned > 90) throw new Error(`${planned} s of measuring leaves no room for set-up within the two-minute limit.`);

  await ensureApiBuilt();
  const db = await createScratchDatabase(id);
  const prefix = redisPrefix(id);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let api: RunningApi | undefined;
  try {
    api = await startApi({
      DATABASE_URL: db.url,
      REDIS_KEY_PREFIX: prefix,
      NODE_ENV: 'production',
      JWT_ACCESS_SECRET: randomBytes(48).toString('base64url'),
      LOG_LEVEL: 'warn',
      // The largest values the configuration accepts: the limits must not answer 429 mid-run.
      LOGIN_LIMIT_PER_IP: '100000',
      LOGIN_LIMIT_PER_ACCOUNT: '10000',
    });

    log(`signing up ${userCount} users`);
    const created: Omit<BenchUser, 'hash'>[] = [];
    for (let i = 0; i < userCount; i++) {
      const user = { email: `l1-user-${i}@bench.example.org`, password: randomPassword() };
      const res = await request(agent, api.baseUrl, 'POST', '/auth/signup', {
        ...user,
        displayName: `Bench user ${i}`,
        language: 'en',
        organizationName: `Bench organization ${i}`,
      });
      if (res.status !== 201) throw new Error(`POST /auth/signup answered ${res.status}: ${res.body.slice(0, 500)}`);
      created.push(user);
    }
    // The reference verifies the very hashes the API stored, so both sides pay for the same parameters.
    const hashes = await readHashes(
      db.url,
      created.map((u) => u.email),
    );
    const users: BenchUser[] = created.map((u) => {
      const hash = hashes.get(u.email);
      if (!hash) throw new Error(`No stored hash for ${u.email}`);
      return { ...u, hash };
    });
    const pick = (worker: number, iteration: number) => users[(worker + iteration * concurrency) % users.length];

    const server = api;
    const logins = async (phaseSeconds: number): Promise<Phase> => {
      const apiCpu = server.cpuSeconds();
      const benchCpu = process.cpuUsage();
      const r = await closedLoop(concurrency, phaseSeconds, async (worker, iteration) => {
        const { email, password } = pick(worker, iteration);
        const res = await request(agent, server.baseUrl, 'POST', '/auth/login', { email, password });
        if (res.status !== 200) throw new Error(`POST /auth/login answered ${res.status}: ${res.body.slice(0, 500)}`);
      });
      return {
        ...r,
        apiCpuMs: ((server.cpuSeconds() - apiCpu) * 1000) / r.count,
        benchCpuMs: cpuMsPer(benchCpu, r.count),
      };
    };

    const verifies = async (phaseSeconds: number): Promise<Phase> => {
      const benchCpu = process.cpuUsage();
      const r = await closedLoop(concurrency, phaseSeconds, async (worker, iteration) => {
        const { hash, password } = pick(worker, iteration);
        if (!(await argon2.verify(hash, password))) throw new Error('argon2.verify refused the right password');
      });
      return { ...r, benchCpuMs: cpuMsPer(benchCpu, r.count) };
    };

    const result = await interleaved({
      rounds,
      warmUpA: () => logins(warmUpSeconds),
      warmUpB: () => verifies(warmUpSeconds),
      a: () => logins(seconds),
      b: () => verifies(seconds),
      ratio: (a, b) => a.perSecond / b.perSecond,
    });

    const loginLatencies = result.rounds.flatMap((r) => r.a.latenciesMs);
    const verifyLatencies = result.rounds.flatMap((r) => r.b.latenciesMs);
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
          apiLoginsPerS: round(median(result.rounds.map((r) => r.a.perSecond)), 1),
          argon2VerifiesPerS: round(median(result.rounds.map((r) => r.b.perSecond)), 1),
          loginLatencyMs: {
            p50: ms(percentile(loginLatencies, 50)),
            p95: ms(percentile(loginLatencies, 95)),
            p99: ms(percentile(loginLatencies, 99)),
          },
          verifyLatencyMs: { p50: ms(percentile(verifyLatencies, 50)), p95: ms(percentile(verifyLatencies, 95)) },
          rounds: result.rounds.map((r) => ({
            apiLoginsPerS: round(r.a.perSecond, 1),
            argon2VerifiesPerS: round(r.b.perSecond, 1),
            ratio: round(r.ratio),
          })),
          // Where the CPU went: the API process per login, this process (the HTTP client) per
          // login, and this process per reference verify.
          cpuMs: {
            apiPerLogin: ms(median(result.rounds.map((r) => r.a.apiCpuMs ?? NaN))),
            clientPerLogin: ms(median(result.rounds.map((r) => r.a.benchCpuMs))),
            referencePerVerify: ms(median(result.rounds.map((r) => r.b.benchCpuMs))),
          },
          logins: loginLatencies.length,
          verifies: verifyLatencies.length,
          concurrency,
          secondsPerPhase: seconds,
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
    await deleteRedisKeys(prefix).catch((err: unknown) => log(`could not delete Redis keys: ${String(err)}`));
    await db.drop();
  }
}
