import type { DataSource } from 'typeorm';

export interface RelayLag {
  /** Events recorded after the checkpoint: not yet published. */
  readonly events: number;
  /** Age of the oldest of those, in seconds; 0 when none waits. */
  readonly seconds: number;
}

export interface NoticeCounts {
  /** Notices with a delivery under way: neither sent nor failed yet. */
  readonly pending: number;
  /** Notices that failed after every attempt (each escalates one rung up). */
  readonly failed: number;
  /** Of those, the ones at the top of the ladder: nobody higher to tell, an operator must act. */
  readonly undeliverableAtTop: number;
}

export interface OverdueSteps {
  /** `handover` or `lead`. */
  readonly kind: string;
  readonly level: number;
  readonly count: number;
}

/**
 * The figures operators watch (Prometheus gauges on /metrics), read from the event store when
 * scraped. Each is one aggregate query; no personal data leaves, only counts.
 */
export class OperationsStats {
  constructor(private readonly dataSource: DataSource) {}

  async relayLag(consumer: string): Promise<RelayLag> {
    const rows: { events: string; oldest: Date | null }[] = await this.dataSource.query(
      `WITH checkpoint AS (
         SELECT coalesce((SELECT position FROM consumer_checkpoints WHERE consumer = $1), 0) AS position
       )
       SELECT (SELECT coalesce(max(global_position), 0) FROM events) - checkpoint.position AS events,
              (SELECT recorded_at FROM events WHERE global_position > checkpoint.position
                ORDER BY global_position LIMIT 1) AS oldest
         FROM checkpoint`,
      [consumer],
    );
    const row = rows[0];
    const events = Math.max(0, Number(row?.events ?? 0));
    const oldest = row?.oldest ? new Date(row.oldest).getTime() : undefined;
    return { events, seconds: events > 0 && oldest ? Math.max(0, (Date.now() - oldest) / 1000) : 0 };
  }

  async noticeCounts(topLevel: number): Promise<NoticeCounts> {
    const rows: { pending: string; failed: string; top: string }[] = await this.dataSource.query(
      `WITH outcome AS (
         SELECT stream_id,
                bool_or(event_type IN ('NoticeSent', 'NoticeFailed')) AS settled,
                bool_or(event_type = 'NoticeFailed') AS failed,
                bool_or(event_type = 'NoticeFailed' AND (data->>'level')::int >= $1) AS top
           FROM events WHERE stream_id LIKE 'notice-%' GROUP BY stream_id
       )
       SELECT count(*) FILTER (WHERE NOT settled) AS pending,
              count(*) FILTER (WHERE failed) AS failed,
              count(*) FILTER (WHERE top) AS top
         FROM outcome`,
      [topLevel],
    );
    const row = rows[0];
    return {
      pending: Number(row?.pending ?? 0),
      failed: Number(row?.failed ?? 0),
      undeliverableAtTop: Number(row?.top ?? 0),
    };
  }

  /**
   * Handovers and lead negotiations whose last event is an escalation: the step is overdue and
   * nothing has happened since, by the level it has reached.
   */
  async overdueSteps(): Promise<OverdueSteps[]> {
    const rows: { kind: string; level: number; count: string }[] = await this.dataSource.query(
      `SELECT split_part(stream_id, '-', 1) AS kind, (data->>'level')::int AS level, count(*) AS count
         FROM (SELECT DISTINCT ON (stream_id) stream_id, event_type, data FROM events
                WHERE stream_id LIKE 'handover-%' OR stream_id LIKE 'lead-%'
                ORDER BY stream_id, stream_version DESC) last
        WHERE event_type IN ('HandoverEscalated', 'LeadNegotiationEscalated')
        GROUP BY 1, 2`,
    );
    return rows.map((r) => ({ kind: r.kind, level: Number(r.level), count: Number(r.count) }));
  }
}
