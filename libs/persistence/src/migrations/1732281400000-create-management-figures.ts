import type { MigrationInterface, QueryRunner } from 'typeorm';
import { managementFiguresDdl } from '../projections/management-figures.projection';

/**
 * The read model of the management figures (issue 15): one set of fact tables for the live
 * projection (`mi_`) and one the rebuild command fills from scratch to prove it equal (`mi_rebuild_`).
 */
export class CreateManagementFigures1732281400000 implements MigrationInterface {
  readonly name = 'CreateManagementFigures1732281400000';

  async up(q: QueryRunner): Promise<void> {
    for (const prefix of ['mi_', 'mi_rebuild_'])
      for (const statement of managementFiguresDdl(prefix)) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const prefix of ['mi_', 'mi_rebuild_'])
      for (const table of MI_TABLES) await q.query(`DROP TABLE IF EXISTS ${prefix}${table}`);
  }
}

const MI_TABLES = [
  'case_area',
  'terms',
  'moments',
  'handovers',
  'handover_escalations',
  'lead_negotiations',
  'mismatches',
];
