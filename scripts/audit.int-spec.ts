import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase, withClient } from '../test/support/database';
import { fillChainedStore } from '../test/support/event-chain';
import { ROOT } from '@warm-handover/infra';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run audit:<command>` as an operator runs it: tsx on the sources, DATABASE_URL from the environment. */
async function audit(databaseUrl: string | undefined, ...args: string[]): Promise<Run> {
  const child = spawn(
    join(ROOT, 'node_modules', '.bin', 'tsx'),
    ['--conditions=warm-handover-source', join(ROOT, 'scripts', 'audit.ts'), ...args],
    { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('npm run audit:verify and audit:head', () => {
  let db: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    await fillChainedStore(db.dataSource, 2000);
    dir = mkdtempSync(join(tmpdir(), 'warm-handover-audit-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  it('given an untouched store, when verified, then it says INTACT with the count and the head, and exits 0', async () => {
    const run = await audit(db.url, 'verify');

    expect(run.stdout).toMatch(
      /^INTACT: 2,000 events checked in [\d.]+ s; the head is position 2000, hash [0-9a-f]{64}/,
    );
    expect(run.code).toBe(0);
  });

  it('given a head exported to a file, when the newest events are later deleted, then verify against it exits 1 naming the removal', async () => {
    const file = join(dir, 'head.json');
    const exported = await audit(db.url, 'head', '--out', file);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain(`npm run audit:verify -- --head ${file}`);
    const head = JSON.parse(readFileSync(file, 'utf8'));
    expect(head).toMatchObject({ globalPosition: 2000, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await audit(db.url, 'verify', '--head', file)).stdout).toMatch(/is still in the chain/);

    await withClient(db.url, async (c) => {
      await c.query('BEGIN');
      await c.query('SET LOCAL session_replication_role = replica');
      await c.query('DELETE FROM events WHERE global_position > 1990');
      await c.query('COMMIT');
    });

    expect((await audit(db.url, 'verify')).code).toBe(0); // the chain alone cannot see it
    const run = await audit(db.url, 'verify', '--head', file);
    expect(run.stdout).toMatch(/^TAMPERED: removed at position 1991 \(found by the exported-head check\)\./);
    expect(run.stdout).toMatch(/What to do: .*report the incident/);
    expect(run.code).toBe(1);
  });

  it('given a changed event, when verified, then it says TAMPERED with kind and position and exits 1', async () => {
    await withClient(db.url, async (c) => {
      await c.query('BEGIN');
      await c.query('SET LOCAL session_replication_role = replica');
      await c.query(`UPDATE events SET event_type = 'HandoverRejected' WHERE global_position = 777`);
      await c.query('COMMIT');
    });

    const run = await audit(db.url, 'verify');

    expect(run.stdout).toMatch(/^TAMPERED: changed at position 777 \(found by the chain check\)\./);
    expect(run.stdout).toContain('776 events before it checked out.');
    expect(run.code).toBe(1);
  });

  it('given a file that is not an exported head, when verified against it, then it exits 2 saying what the file needs', async () => {
    const file = join(dir, 'not-a-head.json');
    writeFileSync(file, '{"position": 3}');

    const run = await audit(db.url, 'verify', '--head', file);

    expect(run.stderr).toMatch(/is not an exported head: it needs "globalPosition" .* and "hash"/);
    expect(run.code).toBe(2);
  });

  it('given no DATABASE_URL or an unreachable database, when run, then it exits 2 saying what to check', async () => {
    const unset = await audit(undefined, 'verify');
    expect(unset.stderr).toMatch(/DATABASE_URL is not set/);
    expect(unset.code).toBe(2);

    const unreachable = await audit('postgres://nobody:secret@127.0.0.1:1/none', 'verify');
    expect(unreachable.stderr).toMatch(/Could not read the event store: .*\nCheck DATABASE_URL/);
    expect(unreachable.code).toBe(2);
  });
});
