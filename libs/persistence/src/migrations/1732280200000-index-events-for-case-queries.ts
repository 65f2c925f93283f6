import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Case timelines, responsibility and "my handovers" read events by case id and by the
 * organisations of a handover request; these indexes keep those reads off full scans.
 */
export class IndexEventsForCaseQueries1732280200000 implements MigrationInterface {
  readonly name = 'IndexEventsForCaseQueries1732280200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX events_case_id ON events ((metadata->>'caseId'), global_position)`);
    await q.query(
      `CREATE INDEX events_handover_from_org ON events ((data->>'fromOrg')) WHERE event_type = 'HandoverRequested'`,
    );
    await q.query(
      `CREATE INDEX events_handover_to_org ON events ((data->>'toOrg')) WHERE event_type = 'HandoverRequested'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX events_handover_to_org');
    await q.query('DROP INDEX events_handover_from_org');
    await q.query('DROP INDEX events_case_id');
  }
}
