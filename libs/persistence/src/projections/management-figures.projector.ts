import type { DataSource, EntityManager } from 'typeorm';
import type { EventStore } from '../event-store/event-store';
import {
  applyManagementFigure,
  LIVE_PREFIX,
  MANAGEMENT_FIGURE_TABLES,
  MANAGEMENT_FIGURES_CHECKPOINT,
  MANAGEMENT_FIGURES_LOCK,
  REBUILD_PREFIX,
} from './management-figures.projection';

const BATCH = 500;

async function checkpointOf(m: EntityManager): Promise<number> {
  const rows: { position: string }[] = await m.query('SELECT position FROM consumer_checkpoints WHERE consumer = $1', [
    MANAGEMENT_FIGURES_CHECKPOINT,
  ]);
  return rows[0] ? Number(rows[0].position) : 0;
}

/**
 * Applies the events after the checkpoint to the live tables, one batch per transaction with
 * the checkpoint, under the projection's advisory lock (the rebuild compares under it too).
 * Returns how many events it applied.
 */
export async function projectManagementFigures(ds: DataSource, store: EventStore): Promise<number> {
  return ds.transaction(async (m) => {
    await m.query('SELECT pg_advisory_xact_lock($1)', [MANAGEMENT_FIGURES_LOCK]);
    const after = await checkpointOf(m);
    const events = await store.readAll(after, BATCH);
    for (const event of events) await applyManagementFigure(m, LIVE_PREFIX, event);
    if (events.length > 0)
      await m.query(
        `INSERT INTO consumer_checkpoints (consumer, position) VALUES ($1, $2)
         ON CONFLICT (consumer) DO UPDATE SET position = EXCLUDED.position, updated_at = clock_timestamp()`,
        [MANAGEMENT_FIGURES_CHECKPOINT, events.at(-1)!.globalPosition],
      );
    return events.length;
  });
}

export interface RebuildReport {
  readonly projection: string;
  readonly position: number;
  readonly rows: Readonly<Record<string, number>>;
  /** Per table, rows in one and not in the other (0 and 0 when equal). */
  readonly differences: Readonly<Record<string, { onlyLive: number; onlyRebuilt: number }>>;
  readonly equal: boolean;
}

/**
 * Rebuilds the read model from the first event into the rebuild tables, up to the live
 * projection's checkpoint, and compares them row by row (EXCEPT both ways) while the live
 * projector waits on the lock. When they differ the rebuilt rows replace the live ones (the
 * events are the truth) and the report says where they differed.
 */
export async function rebuildManagementFigures(ds: DataSource, store: EventStore): Promise<RebuildReport> {
  return ds.transaction(async (m) => {
    await m.query('SELECT pg_advisory_xact_lock($1)', [MANAGEMENT_FIGURES_LOCK]);
    const position = await checkpointOf(m);
    // DELETE, not TRUNCATE: the runtime role may delete rows but not truncate (database-roles.ts).
    for (const table of MANAGEMENT_FIGURE_TABLES) await m.query(`DELETE FROM ${REBUILD_PREFIX}${table}`);
    for (let after = 0; after < position;) {
      const events = (await store.readAll(after, BATCH)).filter((e) => e.globalPosition <= position);
      if (events.length === 0) break;
      for (const event of events) await applyManagementFigure(m, REBUILD_PREFIX, event);
      after = events.at(-1)!.globalPosition;
    }
    const rows: Record<string, number> = {};
    const differences: Record<string, { onlyLive: number; onlyRebuilt: number }> = {};
    for (const table of MANAGEMENT_FIGURE_TABLES) {
      const [live, rebuilt] = [`${LIVE_PREFIX}${table}`, `${REBUILD_PREFIX}${table}`];
      const [row] = await m.query<[{ n: string; only_live: string; only_rebuilt: string }]>(
        `SELECT (SELECT count(*) FROM ${rebuilt}) AS n,
                (SELECT count(*) FROM (SELECT * FROM ${live} EXCEPT ALL SELECT * FROM ${rebuilt}) x) AS only_live,
                (SELECT count(*) FROM (SELECT * FROM ${rebuilt} EXCEPT ALL SELECT * FROM ${live}) y) AS only_rebuilt`,
      );
      rows[table] = Number(row.n);
      differences[table] = { onlyLive: Number(row.only_live), onlyRebuilt: Number(row.only_rebuilt) };
    }
    const equal = Object.values(differences).every((d) => d.onlyLive === 0 && d.onlyRebuilt === 0);
    if (!equal)
      for (const table of MANAGEMENT_FIGURE_TABLES) {
        await m.query(`DELETE FROM ${LIVE_PREFIX}${table}`);
        await m.query(`INSERT INTO ${LIVE_PREFIX}${table} SELECT * FROM ${REBUILD_PREFIX}${table}`);
      }
    return { projection: 'management-figures', position, rows, differences, equal };
  });
}
