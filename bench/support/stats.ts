/** Percentiles from a sorted copy: nearest rank, no histogram library needed at these counts. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface Summary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export function summarize(values: readonly number[]): Summary {
  const count = values.length;
  return {
    count,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    max: count ? Math.max(...values) : NaN,
    mean: count ? values.reduce((a, b) => a + b, 0) / count : NaN,
  };
}

export function summaryLine(s: Summary, unit = 'ms'): string {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
  return `n=${s.count} p50=${f(s.p50)} ${unit} p99=${f(s.p99)} ${unit} max=${f(s.max)} ${unit}`;
}

/** BENCH_SCALE (default 1) times a default size, at least `min`. */
export function scaled(defaultSize: number, min = 1): number {
  const scale = Number(process.env.BENCH_SCALE ?? '1');
  if (!(scale > 0)) throw new Error(`BENCH_SCALE must be a positive number, got "${process.env.BENCH_SCALE}"`);
  return Math.max(min, Math.round(defaultSize * scale));
}

/** A whole number from the environment, or the fallback. */
export function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, got "${raw}"`);
  return value;
}

/**
 * Runs `task(i)` for i in [0, count) with at most `concurrency` in flight; returns each task's
 * duration in ms and the wall time of the whole run.
 */
export async function runConcurrently(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<{ wallMs: number }> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
  return { wallMs: performance.now() - started };
}

/** Times one successful call, pushing its duration (ms) to `into`. */
export async function timed<T>(into: number[], fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await fn();
  into.push(performance.now() - t0);
  return result;
}
