import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase, withClient } from '../../../../test/support/database';
import { fillChainedStore } from '../../../../test/support/event-chain';
import { testEvent } from '../../../../test/support/events';
import { EventStore } from '../event-store/event-store';
import { MIGRATIONS } from '../migrations';
import { ChainEvents1732280300000 } from '../migrations/1732280300000-chain-events';
import { type ChainVerdict, exportChainHead, readChainedEvents, verifyChain } from './chain-verifier';
import { canonicalEventContent, eventHash, GENESIS_HASH, HashChain } from './event-hash';

/** Changes rows the way someone with direct database access would: triggers off for the session. */
async function tamper(db: TestDatabase, ...statements: string[]): Promise<void> {
  await withClient(db.url, async (c) => {
    await c.query('BEGIN');
    await c.query('SET LOCAL session_replication_role = replica');
    for (const sql of statements) await c.query(sql);
    await c.query('COMMIT');
  });
}

/** Swaps everything but the position between two rows: the two events trade places. */
function swapSql(a: number, b: number): string[] {
  const columns = 'event_id, stream_id, stream_version, event_type, data, metadata, recorded_at, previous_hash, hash';
  return [
    `CREATE TEMP TABLE swapped AS SELECT * FROM events WHERE global_position IN (${a}, ${b})`,
    `DELETE FROM events WHERE global_position IN (${a}, ${b})`,
    `INSERT INTO events (global_position, ${columns})
     SELECT CASE global_position WHEN ${a} THEN ${b} ELSE ${a} END, ${columns} FROM swapped`,
  ];
}

function forgedRowSql(position: number): string {
  return `INSERT INTO events (global_position, event_id, stream_id, stream_version, event_type, data, metadata, recorded_at, previous_hash, hash)
          VALUES (${position}, '${randomUUID()}', 'handover-forged', 1, 'HandoverStarted',
                  '{"handoverId":"forged","startedAt":"2026-01-05T09:00:00Z"}',
                  '{"actor":{"subject":"system:test","organisation":"vt-kennemerland","role":"professional"},"correlationId":"x"}',
                  '2026-01-05T09:00:00Z', decode(repeat('ab', 32), 'hex'), decode(repeat('cd', 32), 'hex'))`;
}

/** Rows as the verifier reads them, in global order, from a position on. */
const storedRows = (db: TestDatabase, from = Number.MIN_SAFE_INTEGER) =>
  readChainedEvents(db.dataSource, from - 1, Number.MAX_SAFE_INTEGER, 1_000_000);

const setHashes = (position: number, link: { previousHash: string; hash: string }) =>
  `UPDATE events SET previous_hash = decode('${link.previousHash}', 'hex'), hash = decode('${link.hash}', 'hex')
    WHERE global_position = ${position}`;

/** Recomputes every hash from `from` on, as someone covering their tracks would. */
async function rehashFrom(db: TestDatabase, from: number): Promise<void> {
  const rows = await storedRows(db);
  const before = rows.filter((r) => r.globalPosition < from).at(-1);
  const chain = new HashChain(before?.hash ?? GENESIS_HASH);
  const rewritten = rows.filter((r) => r.globalPosition >= from);
  await tamper(db, ...rewritten.map((r) => setHashes(r.globalPosition, chain.append(r))));
}

/** Recomputes one row's hash over its changed content, leaving the rest of the chain alone. */
async function rehashOne(db: TestDatabase, position: number): Promise<void> {
  const [row] = await storedRows(db, position);
  await tamper(db, setHashes(position, { previousHash: row!.previousHash, hash: eventHash(row!, row!.previousHash) }));
}

function expectProblem(verdict: ChainVerdict, kind: string, position: number, check = 'chain'): void {
  expect(verdict.intact).toBe(false);
  expect(verdict.problem).toMatchObject({ kind, position, check });
  expect(verdict.problem?.message).toEqual(expect.stringContaining(String(position)));
  expect(verdict.problem?.whatToDo).toMatch(/report the incident/);
}

describe('hash chain of the event store on real PostgreSQL', () => {
  describe('appends through the store', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(() => db.drop());

    it('given events with unicode, nested objects, 1.50, 1e21 and empty arrays, when re-read, then each row gives exactly the canonical bytes that were hashed', async () => {
      const store = new EventStore(db.dataSource);
      const awkward = {
        note: 'zorg — Ünïcødé ✓ 👶 "quoted" \\ back\nslash',
        amounts: [1.5, 1.5, 1e21, 0.1, -0, 1e-7, 123456789012345],
        nested: { z: { b: [], a: {} }, a: [[], [{}]], '€': true, '': null },
        empty: [],
      };
      const first = testEvent('HandoverRequested', awkward, 'case-chain');
      const upper = {
        ...testEvent('HandoverReceived', { raw: 1.5 }, 'case-chain'),
        eventId: randomUUID().toUpperCase(),
      };
      await store.append('handover-chain', [first, upper]);
      await store.append('handover-other', [testEvent('Tick', { n: 1 })]);

      const rows = await storedRows(db);
      expect(rows).toHaveLength(3);
      let previous = GENESIS_HASH;
      for (const row of rows) {
        expect(row.previousHash).toBe(previous);
        expect(eventHash(row, previous)).toBe(row.hash);
        previous = row.hash;
      }
      expect(rows[0]!.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      expect(canonicalEventContent(rows[0]!, GENESIS_HASH)).toContain(
        '"amounts":[1.5,1.5,1e+21,0.1,0,1e-7,123456789012345]',
      );
      expect(rows[1]!.eventId).toBe(upper.eventId.toLowerCase());
      expect((await verifyChain(db.dataSource)).intact).toBe(true);
    });

    it('given a JSON body written with 1.50 and reordered keys straight into jsonb, when hashed from the row, then it equals the hash of the JS value', async () => {
      const [row] = await db.dataSource.query<{ data: unknown }[]>(
        `SELECT '{"b": 1.50, "a": [1e21, {}], "c": "\\u00e9"}'::jsonb AS data`,
      );
      const content = {
        globalPosition: 1,
        eventId: '00000000-0000-4000-8000-000000000000',
        streamId: 's',
        streamVersion: 1,
        type: 't',
        metadata: {},
        recordedAt: '2026-01-01T00:00:00.000001Z',
      };
      expect(eventHash({ ...content, data: row!.data }, GENESIS_HASH)).toBe(
        eventHash({ ...content, data: { a: [1e21, {}], c: 'é', b: 1.5 } }, GENESIS_HASH),
      );
    });

    it('given the chained store, when anyone updates, deletes or inserts without a hash in SQL, then PostgreSQL refuses', async () => {
      await expect(db.dataSource.query(`UPDATE events SET hash = hash`)).rejects.toThrow(/append-only: UPDATE/);
      await expect(db.dataSource.query(`DELETE FROM events`)).rejects.toThrow(/append-only: DELETE/);
      await expect(
        db.dataSource.query(
          `INSERT INTO events (global_position, event_id, stream_id, stream_version, event_type, data, metadata, recorded_at)
           VALUES (1000, gen_random_uuid(), 's', 1, 't', '{}', '{}', now())`,
        ),
      ).rejects.toThrow(/null value in column "(previous_hash|hash)"/);
    });
  });

  // Later migrations (other tables) are left out so the chain's own migration is the last to revert.
  const CHAIN_AT = MIGRATIONS.indexOf(ChainEvents1732280300000);

  it('given events recorded before the chain existed, when the migration runs, then they are chained in global order across gaps and the triggers are back; reverting and re-applying it keeps the store whole', async () => {
    const db = await createTestDatabase();
    try {
      // A second database on the same server, migrated only up to the migration before the chain.
      const name = `wh_test_prechain_${randomUUID().slice(0, 8)}`;
      const admin = new URL(db.url);
      admin.pathname = '/postgres';
      await withClient(admin.toString(), (c) => c.query(`CREATE DATABASE ${name}`));
      const url = new URL(db.url);
      url.pathname = `/${name}`;
      const old = new DataSource({
        type: 'postgres',
        url: url.toString(),
        migrations: MIGRATIONS.slice(0, CHAIN_AT),
        migrationsTableName: 'schema_migrations',
      });
      await old.initialize();
      try {
        await old.runMigrations({ transaction: 'each' });
        const insert = (n: number) =>
          old.query(
            `INSERT INTO events (event_id, stream_id, stream_version, event_type, data, metadata)
             SELECT gen_random_uuid(), 'handover-old', v, 'Tick', jsonb_build_object('v', v, 'note', 'ü 1.50'), '{}'
               FROM generate_series($1::int, $2::int) AS v`,
            [n, n + 999],
          );
        await insert(1);
        // A rolled-back append consumed identity values: a gap in positions.
        await old.query('SELECT nextval(pg_get_serial_sequence($1, $2)) FROM generate_series(1, 5)', [
          'events',
          'global_position',
        ]);
        await insert(1001);
        const chained = new DataSource({
          type: 'postgres',
          url: url.toString(),
          migrations: MIGRATIONS.slice(0, CHAIN_AT + 1),
          migrationsTableName: 'schema_migrations',
        });
        await chained.initialize();
        try {
          expect((await chained.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual([
            'ChainEvents1732280300000',
          ]);
          const verdict = await verifyChain(chained, { batchSize: 300 });
          expect(verdict).toMatchObject({ intact: true, checked: 2000, head: { globalPosition: 2005 } });
          await expect(chained.query(`UPDATE events SET data = '{}'`)).rejects.toThrow(/append-only: UPDATE/);
          const store = new EventStore(chained);
          const appended = await store.append('handover-old', [testEvent('Tick')]);
          expect(appended.events[0]!.globalPosition).toBe(2006);
          expect((await verifyChain(chained)).intact).toBe(true);

          // Reverted, positions come from the identity again, after the newest; re-applied, all is chained.
          await chained.undoLastMigration({ transaction: 'each' });
          const [{ global_position }] = await chained.query<[{ global_position: string }]>(
            `INSERT INTO events (event_id, stream_id, stream_version, event_type, data, metadata)
             VALUES (gen_random_uuid(), 'handover-old', 2002, 'Tick', '{}', '{}') RETURNING global_position`,
          );
          expect(Number(global_position)).toBe(2007);
          await chained.runMigrations({ transaction: 'each' });
          expect(await verifyChain(chained)).toMatchObject({ intact: true, checked: 2002 });
        } finally {
          await chained.destroy();
        }
      } finally {
        if (old.isInitialized) await old.destroy();
        await withClient(admin.toString(), (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      }
    } finally {
      await db.drop();
    }
  });

  describe('tampering done directly in PostgreSQL', () => {
    let db: TestDatabase;
    const EVENTS = 300;
    const GAP = 60; // left out as a pre-chain rollback would have: the chain links across it
    const HEAD = EVENTS + 1;

    beforeEach(async () => {
      db = await createTestDatabase();
      await fillChainedStore(db.dataSource, EVENTS, { gapsAt: [GAP] });
    });
    afterEach(() => db.drop());

    it('given an untouched store with a pre-chain gap, when verified, then it is intact and every event was checked', async () => {
      const verdict = await verifyChain(db.dataSource, { batchSize: 64 });
      expect(verdict).toEqual({
        intact: true,
        checked: EVENTS,
        head: { globalPosition: HEAD, hash: expect.stringMatching(/^[0-9a-f]{64}$/), recordedAt: expect.any(String) },
      });
    });

    it('given one character of an event’s data changed, when verified, then it reports changed at that position', async () => {
      await tamper(
        db,
        `UPDATE events SET data = jsonb_set(data, '{caseId}', to_jsonb(overlay(data->>'caseId' placing 'X' from 6 for 1)))
          WHERE global_position = 137`,
      );
      const verdict = await verifyChain(db.dataSource, { batchSize: 64 });
      expectProblem(verdict, 'changed', 137);
      expect(verdict.checked).toBe(135); // 1…136 without the gap
    });

    it('given a changed event whose hash was recomputed, when verified, then it reports changed at that position', async () => {
      await tamper(db, `UPDATE events SET data = jsonb_set(data, '{level}', '9') WHERE global_position = 200`);
      await rehashOne(db, 200);

      const verdict = await verifyChain(db.dataSource, { batchSize: 64 });
      expectProblem(verdict, 'changed', 200);
      expect(verdict.problem?.message).toMatch(/hash recomputed/);
    });

    it('given a deleted event, when verified, then it reports removed at its position', async () => {
      await tamper(db, 'DELETE FROM events WHERE global_position = 150');
      expectProblem(await verifyChain(db.dataSource, { batchSize: 64 }), 'removed', 150);
    });

    it('given the first event deleted, when verified, then it reports removed at position 1', async () => {
      await tamper(db, 'DELETE FROM events WHERE global_position = 1');
      expectProblem(await verifyChain(db.dataSource), 'removed', 1);
    });

    it('given two events swapped, when verified, then it reports reordered at the first of them', async () => {
      await tamper(db, ...swapSql(100, 230));
      const verdict = await verifyChain(db.dataSource, { batchSize: 64 });
      expectProblem(verdict, 'reordered', 100);
      expect(verdict.problem?.message).toMatch(/recorded at position 230/);
    });

    it('given two neighbouring events swapped, when verified, then it reports reordered at the first of them', async () => {
      await tamper(db, ...swapSql(120, 121));
      const verdict = await verifyChain(db.dataSource, { batchSize: 64 });
      expectProblem(verdict, 'reordered', 120);
      expect(verdict.problem?.message).toMatch(/recorded at position 121/);
    });

    it('given an event moved to a new position, when verified, then it reports reordered where it was', async () => {
      await tamper(db, 'UPDATE events SET global_position = 5000 WHERE global_position = 90');
      const verdict = await verifyChain(db.dataSource);
      expectProblem(verdict, 'reordered', 90);
      expect(verdict.problem?.message).toMatch(/now sits at position 5000/);
    });

    it('given a forged row inserted into a free position, when verified, then it reports inserted at that position', async () => {
      await tamper(db, forgedRowSql(GAP));
      const verdict = await verifyChain(db.dataSource, { batchSize: 64 });
      expectProblem(verdict, 'inserted', GAP);
      expect(verdict.problem?.message).toMatch(/chain runs around it/);
    });

    it('given a forged row inserted with a made-up position past the end, when verified, then it reports inserted there', async () => {
      await tamper(db, forgedRowSql(HEAD + 7));
      expectProblem(await verifyChain(db.dataSource), 'inserted', HEAD + 7);
    });

    it('given a forged row at position 0, when verified, then it reports inserted at 0', async () => {
      await tamper(db, forgedRowSql(0));
      expectProblem(await verifyChain(db.dataSource), 'inserted', 0);
    });

    it('given a deleted event and every later hash recomputed, when verified, then the stream versions show the removal', async () => {
      const [deleted] = await storedRows(db, 157);
      await tamper(db, 'DELETE FROM events WHERE global_position = 157');
      await rehashFrom(db, 158);
      const verdict = await verifyChain(db.dataSource);
      expectProblem(verdict, 'removed', 158, 'stream-versions');
      expect(verdict.problem?.message).toContain(`version ${deleted!.streamVersion} is missing`);
      expect(verdict.problem?.message).toMatch(/chain was recomputed/);
    });

    it('given a head exported before a rewrite, when verified against it, then the rewrite is found at the head', async () => {
      const exported = (await exportChainHead(db.dataSource))!;
      expect(exported).toMatchObject({ globalPosition: HEAD, exportedAt: expect.any(String) });
      await tamper(db, `UPDATE events SET data = jsonb_set(data, '{level}', '9') WHERE global_position = 42`);
      await rehashFrom(db, 42);

      expect((await verifyChain(db.dataSource)).intact).toBe(true);
      const verdict = await verifyChain(db.dataSource, { exportedHead: exported });
      expectProblem(verdict, 'changed', HEAD, 'exported-head');
      expect(verdict.problem?.message).toMatch(/rewritten/);
    });

    it('given a head exported before the newest events were deleted, when verified against it, then it reports them removed', async () => {
      const exported = (await exportChainHead(db.dataSource))!;
      await tamper(db, `DELETE FROM events WHERE global_position > ${HEAD - 5}`);

      expect((await verifyChain(db.dataSource)).intact).toBe(true);
      expectProblem(await verifyChain(db.dataSource, { exportedHead: exported }), 'removed', HEAD - 4, 'exported-head');
    });

    it('given the exported head itself deleted and the later hashes recomputed, when verified against it, then it reports the head removed', async () => {
      const exported = (await exportChainHead(db.dataSource))!;
      await new EventStore(db.dataSource).append('handover-later', [testEvent('Tick'), testEvent('Tick')]);
      await tamper(db, `DELETE FROM events WHERE global_position = ${HEAD}`);
      await rehashFrom(db, HEAD + 1);

      expect((await verifyChain(db.dataSource)).intact).toBe(true);
      const verdict = await verifyChain(db.dataSource, { exportedHead: exported });
      expectProblem(verdict, 'removed', HEAD, 'exported-head');
      expect(verdict.problem?.message).toMatch(/no longer in the store/);
    });

    it('given an older exported head and later appends, when verified against it, then the store is intact', async () => {
      const exported = (await exportChainHead(db.dataSource))!;
      await new EventStore(db.dataSource).append('handover-later', [testEvent('Tick'), testEvent('Tick')]);

      const verdict = await verifyChain(db.dataSource, { exportedHead: exported });
      expect(verdict).toMatchObject({ intact: true, checked: EVENTS + 2, head: { globalPosition: HEAD + 2 } });
    });
  });

  it('given an untouched store of 100,000 events, when verified, then it is intact (fill and verify: about 12 s on a quiet 2-core machine, 25 s on a loaded one)', async () => {
    const db = await createTestDatabase();
    try {
      const t0 = Date.now();
      await fillChainedStore(db.dataSource, 100_000);
      const filled = Date.now();
      const progress: number[] = [];
      const verdict = await verifyChain(db.dataSource, { onProgress: (p) => progress.push(p.checked) });
      process.stdout.write(`100,000 events: filled in ${filled - t0} ms, verified in ${Date.now() - filled} ms\n`);

      expect(verdict).toMatchObject({ intact: true, checked: 100_000, head: { globalPosition: 100_000 } });
      expect(progress.length).toBeGreaterThan(10);
      expect(progress.at(-1)).toBe(100_000);
    } finally {
      await db.drop();
    }
  });
});
