import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cursor pages walk a list in key order from where the last page ended: "my handovers" newest
 * first by the request's position, the read access log by id within a case or an organisation.
 * These indexes serve each page as one range scan; the old ones (by organisation alone, by read
 * time) could not give the order and left a sort of the whole list per page.
 */
export class IndexListsForCursorPages1732281310000 implements MigrationInterface {
  readonly name = 'IndexListsForCursorPages1732281310000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX events_handover_from_org_position ON events ((data->>'fromOrg'), global_position DESC)
        WHERE event_type = 'HandoverRequested'`,
    );
    await q.query(
      `CREATE INDEX events_handover_to_org_position ON events ((data->>'toOrg'), global_position DESC)
        WHERE event_type = 'HandoverRequested'`,
    );
    await q.query('DROP INDEX events_handover_from_org');
    await q.query('DROP INDEX events_handover_to_org');
    await q.query('CREATE INDEX read_access_log_case_id ON read_access_log (case_id, id)');
    await q.query('CREATE INDEX read_access_log_organisation_id ON read_access_log (organisation, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX read_access_log_organisation_id');
    await q.query('DROP INDEX read_access_log_case_id');
    await q.query(
      `CREATE INDEX events_handover_to_org ON events ((data->>'toOrg')) WHERE event_type = 'HandoverRequested'`,
    );
    await q.query(
      `CREATE INDEX events_handover_from_org ON events ((data->>'fromOrg')) WHERE event_type = 'HandoverRequested'`,
    );
    await q.query('DROP INDEX events_handover_to_org_position');
    await q.query('DROP INDEX events_handover_from_org_position');
  }
}
