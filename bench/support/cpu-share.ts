import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * Where the machine's CPU went during a stretch of a benchmark, by component: the Temporal server,
 * each PostgreSQL database's backends, each app, Kafka, the benchmark process itself. Read from
 * /proc (Linux), so it costs nothing while the benchmark runs; elsewhere it reports nothing.
 */
export interface CpuShare {
  /** Stops sampling; one line per component, busiest first, as a share of one core (100% = one core). */
  stop(): string;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** Which component a process belongs to, from its command line. */
export function componentOf(cmdline: string, pid: number): string | undefined {
  if (pid === process.pid) return 'benchmark process (client, bare worker)';
  if (/\/server\b.*--config-file|\bserver start-dev\b/.test(cmdline)) return 'Temporal server';
  if (
    /^postgres: (autovacuum|walwriter|checkpointer|background writer|startup|logical|io worker|walsummarizer)/.test(
      cmdline,
    )
  ) {
    return 'PostgreSQL: background (WAL, checkpoints)';
  }
  const backend = /^postgres: \S+ (\S+) /.exec(cmdline);
  if (backend) return `PostgreSQL: ${backend[1]} backends`;
  if (/^postgres: /.test(cmdline)) return 'PostgreSQL: background (WAL, checkpoints)';
  if (/\/bin\/postgres\b/.test(cmdline)) return 'PostgreSQL: background (WAL, checkpoints)';
  if (/kafka\.Kafka|kafka-server|KafkaRaftServer/.test(cmdline)) return 'Kafka';
  const app = /apps\/(api|worker|notifier)\/dist\/main\.js/.exec(cmdline);
  if (app) return `app: ${app[1]}${cmdline.includes(process.cwd()) ? '' : ' (another checkout)'}`;
  return undefined;
}

function readTicks(): Map<number, { component: string; ticks: number }> {
  const out = new Map<number, { component: string; ticks: number }>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return out;
  }
  for (const name of pids) {
    const pid = Number(name);
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      const component = componentOf(cmdline, pid);
      if (!component) continue;
      // Fields after the command name in parentheses: utime is the 14th field, stime the 15th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, { component, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return out;
}

/** Samples every `everyMs` (processes that come and go are counted for the time they lived). */
export function sampleCpuShare(everyMs = 2_000): CpuShare {
  const startedAt = Date.now();
  const seen = new Map<number, { component: string; first: number; last: number }>();
  const sample = () => {
    for (const [pid, { component, ticks }] of readTicks()) {
      const known = seen.get(pid);
      if (known) known.last = ticks;
      else seen.set(pid, { component, first: ticks, last: ticks });
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      const seconds = (Date.now() - startedAt) / 1000;
      if (seconds <= 0 || seen.size === 0) return 'no CPU figures (no /proc)';
      const byComponent = new Map<string, number>();
      for (const { component, first, last } of seen.values()) {
        byComponent.set(component, (byComponent.get(component) ?? 0) + (last - first));
      }
      const total = [...byComponent.values()].reduce((a, b) => a + b, 0);
      const share = (ticks: number) => `${Math.round((ticks / TICKS_PER_SECOND / seconds) * 100)}%`;
      const lines = [...byComponent]
        .sort((a, b) => b[1] - a[1])
        .filter(([, ticks]) => ticks > 0)
        .map(([component, ticks]) => `${component} ${share(ticks)}`);
      return (
        `over ${Math.round(seconds)} s, of ${availableParallelism() * 100}% (all cores): ${share(total)} in all; ` +
        lines.join(', ')
      );
    },
  };
}
