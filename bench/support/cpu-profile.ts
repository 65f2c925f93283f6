import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * BENCH_CPU_PROF=1 profiles the apps a benchmark starts (off by default: the profiler costs CPU).
 * Returns the extra environment of one app, and where its profile will be.
 */
export function cpuProfileEnv(app: string): { env: NodeJS.ProcessEnv; file: string } | undefined {
  if (process.env.BENCH_CPU_PROF !== '1') return undefined;
  profileDir ??= mkdtempSync(join(tmpdir(), 'warm-handover-cpu-'));
  const file = join(profileDir, `${app}-${Date.now()}.cpuprofile`);
  const preload = `--import ${pathToFileURL(join(__dirname, 'cpu-profile.mjs')).href}`;
  return {
    env: { NODE_OPTIONS: [process.env.NODE_OPTIONS, preload].filter(Boolean).join(' '), BENCH_CPU_PROF_FILE: file },
    file,
  };
}

let profileDir: string | undefined;

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

/** Who a frame belongs to: a package, Node itself, our code, or V8's own bookkeeping. */
function owner({ functionName, url }: ProfileNode['callFrame']): string {
  // V8 builtins (JSON.parse, Date, string and regexp code) have no URL: name them by function.
  if (!url) return functionName.startsWith('(') ? functionName : `native ${functionName || '(anonymous)'}`;
  if (url.startsWith('node:')) return 'node core';
  const at = url.lastIndexOf('/node_modules/');
  if (at >= 0) {
    const [first, second] = url.slice(at + '/node_modules/'.length).split('/');
    return first?.startsWith('@') ? `${first}/${second}` : (first ?? url);
  }
  return /\/(apps|libs|workflows)\//.test(url) ? 'warm-handover code' : url;
}

/** One line: how busy the process was, and the owners of its busy time, largest first. */
export function summarizeCpuProfile(file: string): string {
  if (!existsSync(file)) return `no profile at ${file}`;
  return `${summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as Profile)} (${file})`;
}

/**
 * Profiles `fn` in this process with the inspector (sampling every 100 µs) and summarises where
 * its CPU time went, by owner (package, Node core, V8, our code).
 */
export async function profileHere(fn: () => Promise<void>): Promise<string> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  try {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 100 });
    await post('Profiler.start');
    await fn();
    const { profile } = (await post('Profiler.stop')) as { profile: Profile };
    return summarizeProfile(profile);
  } finally {
    session.disconnect();
  }
}

function summarizeProfile(profile: Profile): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  samples.forEach((id, i) => {
    const key = owner(byId.get(id)!.callFrame);
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas?.[i] ?? 0));
  });
  const wall = profile.endTime - profile.startTime;
  const busy = [...self].filter(([k]) => k !== '(idle)').reduce((a, [, v]) => a + v, 0);
  const top = [...self]
    .filter(([k]) => k !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([k, v]) => `${k} ${((100 * v) / busy).toFixed(0)}%`)
    .join(', ');
  return `busy ${((100 * busy) / wall).toFixed(0)}% of ${(wall / 1e6).toFixed(1)} s; of the busy time: ${top}`;
}
