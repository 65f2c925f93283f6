/**
 * What every benchmark hands back, and how the runner prints it. Each figure stands next to a
 * bare baseline measured in the same run on the same machine, so the ratio stays meaningful on a
 * noisy, shared 2-core box where the absolute numbers are not.
 */
export interface BenchResult {
  readonly benchmark: string;
  readonly figure: string;
  readonly unit: string;
  readonly value: number;
  readonly baseline: number;
  /** What the baseline is; each distinct one is listed once in the legend under the table. */
  readonly baselineIs: string;
}

/** A maker of one benchmark's rows against one baseline: (figure, unit, value, baseline) → row. */
export function resultsAgainst(
  benchmark: string,
  baselineIs: string,
): (figure: string, unit: string, value: number, baseline: number) => BenchResult {
  return (figure, unit, value, baseline) => ({ benchmark, figure, unit, value, baseline, baselineIs });
}

const started = Date.now();

/** One progress line per phase, with the time since the run started. */
export function phase(benchmark: string, message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[${seconds} s] ${benchmark}: ${message}\n`);
}

export function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

/** value ÷ baseline: below 1 for a throughput that trails the baseline, above 1 for a slower latency. */
export function formatRatio(value: number, baseline: number): string {
  if (!Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) return 'n/a';
  const ratio = value / baseline;
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)}×`;
}

/** The results as one Markdown table (benchmark | figure | value | baseline | ratio) and a legend. */
export function resultTable(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [
    r.benchmark,
    r.figure,
    formatValue(r.value, r.unit),
    formatValue(r.baseline, r.unit),
    formatRatio(r.value, r.baseline),
  ]);
  const header = ['benchmark', 'figure', 'value', 'baseline', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const separator = `|${widths.map((w, i) => (i >= 2 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  const legend = [...new Set(results.map((r) => `- ${r.benchmark}: baseline = ${r.baselineIs}`))];
  return [line(header), separator, ...rows.map(line), '', 'ratio = value ÷ baseline', ...legend].join('\n');
}
