import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  LIVE_PREFIX,
  leadRoundsDdl,
  MANAGEMENT_FIGURES_CHECKPOINT,
  REBUILD_PREFIX,
} from '../projections/management-figures.projection';

/** The management figures' tables before this migration; each is emptied for the replay below. */
const EARLIER_TABLES = [
  'case_area',
  'terms',
  'moments',
  'handovers',
  'handover_escalations',
  'lead_negotiations',
  'mismatches',
];

/**
 * Lead negotiation rounds in the management figures' read model, so a negotiation agreed and then
 * renegotiated counts as unresolved again for the moments it was open. The new table needs every
 * lead event since the first, so the live read model is emptied and its checkpoint removed: the
 * worker's projector replays the store from the first event (its writes are idempotent), and the
 * figures are complete again once it has caught up.
 */
export class LeadRoundsInManagementFigures1732281410000 implements MigrationInterface {
  readonly name = 'LeadRoundsInManagementFigures1732281410000';

  async up(q: QueryRunner): Promise<void> {
    for (const prefix of [LIVE_PREFIX, REBUILD_PREFIX])
      for (const statement of leadRoundsDdl(prefix)) await q.query(statement);
    for (const table of EARLIER_TABLES) await q.query(`DELETE FROM ${LIVE_PREFIX}${table}`);
    await q.query('DELETE FROM consumer_checkpoints WHERE consumer = $1', [MANAGEMENT_FIGURES_CHECKPOINT]);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const prefix of [LIVE_PREFIX, REBUILD_PREFIX]) await q.query(`DROP TABLE IF EXISTS ${prefix}lead_rounds`);
  }
}
