import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, progress } from './cache';

export interface MavenCoordinate {
  readonly groupId: string;
  readonly artifactId: string;
  readonly version: string;
}

/**
 * Pinned so that every machine copies jars with the same plugin; Maven 3.8 would otherwise fall
 * back to its ancient 2.8 default.
 */
const DEPENDENCY_PLUGIN_VERSION = '3.8.1';
const MARKER = '.complete';
// eslint-disable-next-line no-control-regex -- matching terminal escape codes is the point
const ANSI_COLOUR = /\x1b\[[0-9;]*m/g;

/**
 * Resolves `dependencies` and their runtime dependencies from Maven Central (through the user's
 * ~/.m2, so jars are shared with other Maven use) and copies all jars into one directory, ready for
 * `java -cp '<dir>/*'`. Cached under cacheDir('maven', name): a complete copy for the same
 * coordinates is reused at once; a partial one, or one for other coordinates, is redone.
 */
export async function resolveMavenClasspath(name: string, dependencies: readonly MavenCoordinate[]): Promise<string> {
  const dir = cacheDir('maven', name);
  const lib = join(dir, 'lib');
  const fingerprint = dependencies.map((d) => `${d.groupId}:${d.artifactId}:${d.version}`).join('\n') + '\n';
  if (readMarker(lib) === fingerprint) return lib;
  removeAbandonedStaging(dir);

  // Each run resolves into its own staging dir and moves it into place only when complete, so
  // neither an interrupted run nor two concurrent ones (parallel test workers) leave a mixed lib/.
  const staging = join(dir, `staging-${process.pid}-${Date.now()}`);
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'pom.xml'), pom(name, dependencies));
  progress(
    'maven',
    `resolving ${name} (${fingerprint.trim().replace(/\n/g, ', ')}); with a cold ~/.m2 this takes from seconds to minutes, depending on the network…`,
  );
  const started = Date.now();
  try {
    await runMaven(staging, name, started);
    writeFileSync(join(staging, 'lib', MARKER), fingerprint);
    if (readMarker(lib) !== fingerprint) {
      rmSync(lib, { recursive: true, force: true });
      renameSync(join(staging, 'lib'), lib);
    }
    // Kept beside lib/ for debugging (`mvn -f ... dependency:tree`).
    renameSync(join(staging, 'pom.xml'), join(dir, 'pom.xml'));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  progress('maven', `${name} resolved in ${Math.round((Date.now() - started) / 1000)} s → ${lib}`);
  return lib;
}

/** Staging dirs of runs that were killed (Ctrl-C skips `finally`) would otherwise pile up. */
function removeAbandonedStaging(dir: string): void {
  for (const entry of readdirSync(dir)) {
    const pid = /^staging-(\d+)-/.exec(entry)?.[1];
    if (pid && !isAlive(Number(pid))) rmSync(join(dir, entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readMarker(lib: string): string | undefined {
  const marker = join(lib, MARKER);
  return existsSync(marker) ? readFileSync(marker, 'utf8') : undefined;
}

function runMaven(cwd: string, name: string, started: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'mvn',
      ['-q', '-B', 'dependency:copy-dependencies', '-DoutputDirectory=lib', '-DincludeScope=runtime'],
      { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // -q keeps Maven silent while it downloads, so show that it is still alive.
    const tick = setInterval(
      () => progress('maven', `still resolving ${name}… ${Math.round((Date.now() - started) / 1000)} s`),
      10_000,
    );
    let output = '';
    // Maven 3.8 writes colour reset codes even in batch mode; keep them out of error messages.
    const collect = (d: Buffer) => (output = (output + d.toString().replace(ANSI_COLOUR, '')).slice(-8000));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', (err) => {
      clearInterval(tick);
      reject(new Error(`could not run mvn (is Maven installed and on PATH?): ${err.message}`));
    });
    child.once('exit', (code) => {
      clearInterval(tick);
      if (code === 0) resolve();
      else
        reject(
          new Error(`mvn dependency:copy-dependencies for ${name} failed (exit ${code}):\n${output.slice(-3000)}`),
        );
    });
  });
}

function pom(name: string, dependencies: readonly MavenCoordinate[]): string {
  const deps = dependencies
    .map(
      (d) =>
        `    <dependency><groupId>${d.groupId}</groupId><artifactId>${d.artifactId}</artifactId><version>${d.version}</version></dependency>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<project>
  <modelVersion>4.0.0</modelVersion>
  <groupId>warm-handover.infra</groupId>
  <artifactId>${name.replace(/[^A-Za-z0-9_.-]/g, '-')}</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${deps}
  </dependencies>
  <build>
    <pluginManagement>
      <plugins>
        <plugin>
          <groupId>org.apache.maven.plugins</groupId>
          <artifactId>maven-dependency-plugin</artifactId>
          <version>${DEPENDENCY_PLUGIN_VERSION}</version>
        </plugin>
      </plugins>
    </pluginManagement>
  </build>
</project>
`;
}
