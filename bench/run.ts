/**
 * `npm run bench [-- <name>…]`: runs the benchmarks (all, or the named ones) one after another,
 * each on infrastructure of its own, and prints one table: benchmark | figure | value | baseline
 * | ratio. Sizes: BENCH_SCALE (default 1; 0.1 for a quick smoke run) and the BENCH_* variables in
 * each benchmark. Never part of `npm test`; nothing here asserts a timing.
 */
import { execFileSync } from 'node:child_process';
import * as escalationLateness from './escalation-lateness';
import * as eventAppend from './event-append';
import * as handoverThroughput from './handover-throughput';
import * as managementFigures from './management-figures';
import * as reconstruction from './reconstruction';
import * as scaleOut from './scale-out';
import * as webPages from './web-pages';
import * as workflowMemory from './workflow-memory';
import { cleanupAll } from './support/infra';
import { type BenchResult, phase, resultTable } from './support/report';

const BENCHMARKS: Record<string, () => Promise<BenchResult[]>> = {
  'handover-throughput': handoverThroughput.run,
  'escalation-lateness': escalationLateness.run,
  'event-append': eventAppend.run,
  reconstruction: reconstruction.run,
  'workflow-memory': workflowMemory.run,
  'scale-out': scaleOut.run,
  'web-pages': webPages.run,
  'management-figures': managementFigures.run,
};

async function main(): Promise<number> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')}\n`,
    );
    return 2;
  }
  const names = asked.length > 0 ? asked : Object.keys(BENCHMARKS);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stdout.write(`\n${signal}: stopping what the benchmarks started…\n`);
      void cleanupAll().then(() => process.exit(130));
    });
  }
  const started = Date.now();
  const results: BenchResult[] = [];
  const failed: string[] = [];
  for (const name of names) {
    const t0 = Date.now();
    phase(name, 'start');
    try {
      results.push(...(await BENCHMARKS[name]!()));
      phase(name, `done in ${Math.round((Date.now() - t0) / 1000)} s`);
    } catch (error) {
      failed.push(name);
      phase(name, `FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      await cleanupAll();
    }
  }
  process.stdout.write(`\n${resultTable(results)}\n`);
  const scale = process.env.BENCH_SCALE ?? '1';
  process.stdout.write(`\nBENCH_SCALE=${scale}; ${Math.round((Date.now() - started) / 1000)} s in all.\n`);
  if (failed.length > 0) process.stdout.write(`Failed: ${failed.join(', ')} (see above).\n`);
  reportLeftovers();
  return failed.length > 0 ? 1 : 0;
}

/** Every benchmark stops what it started; say so loudly if anything survived. */
function reportLeftovers(): void {
  let table = '';
  try {
    table = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  } catch {
    return;
  }
  const left = table
    .split('\n')
    .filter((line) => {
      const [pid, ppid] = line.trim().split(/\s+/);
      // tsx's own esbuild service is ours and ends with us.
      if (Number(pid) === process.pid || line.includes('ps -eo') || line.includes('esbuild --service')) return false;
      return Number(ppid) === process.pid || line.includes('warm-handover-bench-');
    })
    .map((line) => line.trim().slice(0, 200));
  if (left.length > 0) process.stdout.write(`Processes left behind:\n${left.join('\n')}\n`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `bench could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    void cleanupAll().then(() => process.exit(1));
  },
);
