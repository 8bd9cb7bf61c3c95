import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Benchmark, BenchResult, log, runCleanups } from './common';

/** ../shared/guide/benchmarks.md: each benchmark stays under two minutes. */
const TIME_LIMIT_MS = Number(process.env.BENCH_TIME_LIMIT_MS ?? 120_000);

const USAGE = `Usage: npm run bench [-- <id> [args]]

  Without an id, runs every benchmark in turn. Result lines (JSON) go to stdout, progress to stderr.`;

function isBenchmark(value: unknown): value is Benchmark {
  const m = value as Partial<Benchmark> | null;
  return typeof m?.id === 'string' && typeof m.description === 'string' && typeof m.run === 'function';
}

/**
 * Every `bench/*.bench.ts` module is a benchmark, so adding one needs no change here. A module
 * that fails to load is reported, and makes a run of all benchmarks fail, but does not stop
 * another benchmark from being run by its id.
 */
function loadBenchmarks(): { benchmarks: Benchmark[]; broken: string[] } {
  const benchmarks: Benchmark[] = [];
  const broken: string[] = [];
  for (const file of readdirSync(__dirname)
    .filter((f) => /\.bench\.ts$/.test(f))
    .sort()) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod: unknown = require(join(__dirname, file));
      if (!isBenchmark(mod)) throw new Error('it must export id, description and run(args)');
      if (benchmarks.some((b) => b.id === mod.id)) throw new Error(`the id ${mod.id} is taken by another module`);
      benchmarks.push({ id: mod.id, description: mod.description, run: (args) => mod.run(args) });
    } catch (err) {
      broken.push(file);
      log(`cannot load ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  benchmarks.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  return { benchmarks, broken };
}

function printResult(result: BenchResult): void {
  const { bench, metric, value, target, pass, detail } = result;
  process.stdout.write(`${JSON.stringify({ bench, metric, value, target, pass, detail })}\n`);
}

class TimeLimitError extends Error {}

/** Runs one benchmark; throws when it throws or overruns (missing a target is not an error). */
async function runOne(benchmark: Benchmark, args: string[]): Promise<void> {
  log(`${benchmark.id}: ${benchmark.description}`);
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeLimitError(`${benchmark.id} overran its ${TIME_LIMIT_MS / 1000} s limit`)), TIME_LIMIT_MS);
  });
  try {
    const results = await Promise.race([benchmark.run(args), overrun]);
    for (const result of results) printResult({ ...result, bench: result.bench || benchmark.id });
    log(`${benchmark.id}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    clearTimeout(timer);
    // Whatever the benchmark left running (its API process, its database) goes now.
    await runCleanups();
  }
}

async function main(argv: string[]): Promise<number> {
  const { benchmarks, broken } = loadBenchmarks();
  const [id, ...args] = argv;
  if (id === '--help' || id === '-h') {
    console.error(USAGE);
    return 0;
  }

  let selected: Benchmark[];
  if (id === undefined) {
    selected = benchmarks;
  } else {
    const found = benchmarks.find((b) => b.id.toLowerCase() === id.toLowerCase());
    if (!found) {
      console.error(`Unknown benchmark "${id}". Known benchmarks:`);
      for (const b of benchmarks) console.error(`  ${b.id.padEnd(4)} ${b.description}`);
      return 2;
    }
    selected = [found];
  }

  let failed = id === undefined && broken.length > 0;
  for (const benchmark of selected) {
    try {
      await runOne(benchmark, id === undefined ? [] : args);
    } catch (err) {
      failed = true;
      log(`${benchmark.id} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      // A benchmark that overran may still be running: do not start another one beside it.
      if (err instanceof TimeLimitError) break;
    }
  }
  return failed ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void runCleanups().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    log(err instanceof Error ? (err.stack ?? err.message) : String(err));
    void runCleanups().finally(() => process.exit(1));
  });
