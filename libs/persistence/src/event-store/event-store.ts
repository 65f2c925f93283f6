import type { DataSource, EntityManager } from 'typeorm';
import type { NewEvent, RecordedEvent } from '@warm-handover/contracts';
import { canonicalUuid, HashChain, recordedAtText } from '../audit/event-hash';
import { externaliseFreeTexts, inlineFreeTexts } from '../free-texts/free-texts';
import { ConcurrencyConflictError, IdempotencyMismatchError } from './event-store.errors';
import { activeTraceparent, inAppendSpan, type OutboxEntry } from './trace-context';

export interface AppendOptions {
  /**
   * The stream version the caller based its decision on: 0 for "the stream must not exist yet".
   * Leave undefined to append whatever the current version is.
   */
  readonly expectedVersion?: number;
  /** Append inside the caller's transaction (the caller commits). */
  readonly manager?: EntityManager;
  /**
   * A check that must hold for the append, run while the append lock is held (so nothing else is
   * appended between the check and the insert): it gets the case's events as they stand and
   * throws to refuse. Used for rules that span streams, such as one open handover per child.
   * Not run for a retry of an append that was stored already (that answer is the first one's).
   */
  readonly guard?: { readonly caseId: string; readonly check: (caseEvents: readonly RecordedEvent[]) => void };
}

export interface AppendResult {
  /** Version of the stream after the append. */
  readonly nextVersion: number;
  readonly events: readonly RecordedEvent[];
  /** True when every event had been appended before: nothing new was stored. */
  readonly duplicate: boolean;
}

interface EventRow {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  event_type: string;
  data: unknown;
  metadata: RecordedEvent['metadata'];
  recorded_at: Date;
}

const COLUMNS = 'global_position, event_id, stream_id, stream_version, event_type, data, metadata, recorded_at';

/**
 * Appends are serialised by this transaction-scoped advisory lock. Positions are the chain head's
 * plus one, taken under the lock, so they become visible in commit order without gaps: "read all
 * after position P" never skips an event that a slower transaction commits later with a lower
 * position, and the head's hash, which the next event is chained to, is read without a race.
 * The price is one writer at a time across the store, which the append benchmark measures;
 * handover volumes are far below what one writer sustains.
 */
const APPEND_LOCK_KEY = 7_204_313_002;

export class EventStore {
  constructor(private readonly dataSource: DataSource) {}

  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    return inAppendSpan(streamId, events, () => {
      const run = (manager: EntityManager) => this.appendLocked(manager, streamId, events, options);
      return options.manager ? run(options.manager) : this.dataSource.transaction(run);
    });
  }

  private async appendLocked(
    manager: EntityManager,
    streamId: string,
    events: readonly NewEvent[],
    { expectedVersion, guard }: AppendOptions,
  ): Promise<AppendResult> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK_KEY]);

    const ids = events.map((e) => e.eventId);
    const existing: EventRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM events WHERE event_id = ANY($1::uuid[]) ORDER BY global_position`,
      [ids],
    );
    if (existing.length > 0) {
      const sameAppend = existing.length === events.length && existing.every((row) => row.stream_id === streamId);
      if (!sameAppend)
        throw new IdempotencyMismatchError(
          streamId,
          existing.map((r) => r.event_id),
        );
      // The answer of the first append, not the stream's current version: a retry sees what the
      // original caller saw.
      const nextVersion = Math.max(...existing.map((row) => row.stream_version));
      return { nextVersion, events: await inlineFreeTexts(manager, existing.map(toRecorded)), duplicate: true };
    }

    // The stream's version, the chain's head and the moment of recording, all read under the lock.
    const [{ version: current, head_position, head_hash, now }] = await manager.query<
      [{ version: number; head_position: string | null; head_hash: string | null; now: string }]
    >(
      `SELECT (SELECT coalesce(max(stream_version), 0)::int FROM events WHERE stream_id = $1) AS version,
              head.global_position AS head_position, encode(head.hash, 'hex') AS head_hash,
              ${recordedAtText('clock_timestamp()')} AS now
         FROM (SELECT 1) AS one
         LEFT JOIN LATERAL (SELECT global_position, hash FROM events ORDER BY global_position DESC LIMIT 1) AS head ON true`,
      [streamId],
    );
    if (expectedVersion !== undefined && expectedVersion !== current) {
      throw new ConcurrencyConflictError(streamId, expectedVersion, current);
    }
    if (guard) guard.check(await this.readCaseWith(manager, guard.caseId));

    // Positions follow the head without gaps, and each event is hashed onto the one before
    // (see audit/event-hash.ts), exactly as the row will read back: ids in PostgreSQL's form,
    // data and metadata as the JSON sent, the time with microseconds.
    // Free text goes to free_texts; the chain covers its reference, so it can be erased later.
    const stored = await externaliseFreeTexts(manager, events);
    const chained = chain(streamId, current, stored, Number(head_position ?? 0), head_hash ?? undefined, now);
    // Beside the chained content, not in it: the trace the relay continues when it publishes. Only
    // named when there is one, so an append outside a trace is the statement it always was.
    const traceparent = activeTraceparent();
    const rows: EventRow[] = await manager.query(
      `INSERT INTO events (global_position, event_id, stream_id, stream_version, event_type, data, metadata, recorded_at, previous_hash, hash${traceparent ? ', traceparent' : ''})
       SELECT e.global_position, e.event_id, $1, $2 + e.ord, e.event_type, e.data, e.metadata, $3::timestamptz,
              decode(e.previous_hash, 'hex'), decode(e.hash, 'hex')${traceparent ? ', $11::text' : ''}
         FROM unnest($4::bigint[], $5::uuid[], $6::text[], $7::jsonb[], $8::jsonb[], $9::text[], $10::text[]) WITH ORDINALITY
              AS e(global_position, event_id, event_type, data, metadata, previous_hash, hash, ord)
        ORDER BY e.ord
       RETURNING ${COLUMNS}`,
      [
        streamId,
        current,
        now,
        chained.map((e) => e.globalPosition),
        chained.map((e) => e.eventId),
        chained.map((e) => e.type),
        chained.map((e) => e.dataJson),
        chained.map((e) => e.metadataJson),
        chained.map((e) => e.previousHash),
        chained.map((e) => e.hash),
        ...(traceparent ? [traceparent] : []),
      ],
    );
    rows.sort((a, b) => a.stream_version - b.stream_version);
    return {
      nextVersion: current + events.length,
      events: await inlineFreeTexts(manager, rows.map(toRecorded)),
      duplicate: false,
    };
  }

  /** The events of one stream, oldest first, from `fromVersion` (inclusive). */
  async readStream(streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version`,
      [streamId, fromVersion],
    );
    return inlineFreeTexts(this.dataSource.manager, rows.map(toRecorded));
  }

  /** Every event of a case (by its pseudonymous case id), in the order they were recorded. */
  async readCase(caseId: string): Promise<RecordedEvent[]> {
    return this.readCaseWith(this.dataSource.manager, caseId);
  }

  private async readCaseWith(manager: EntityManager, caseId: string): Promise<RecordedEvent[]> {
    const rows: EventRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM events WHERE metadata->>'caseId' = $1 ORDER BY global_position`,
      [caseId],
    );
    return inlineFreeTexts(manager, rows.map(toRecorded));
  }

  /**
   * Every event of each of these cases, in one query: a list of cases read in one go rather than
   * one query per case. Each case's events are in recorded order; a case without events is absent.
   */
  async readCases(caseIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const byCase = new Map<string, RecordedEvent[]>();
    if (caseIds.length === 0) return byCase;
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM events WHERE metadata->>'caseId' = ANY($1::text[]) ORDER BY global_position`,
      [[...new Set(caseIds)]],
    );
    for (const event of await inlineFreeTexts(this.dataSource.manager, rows.map(toRecorded))) {
      const caseId = event.metadata.caseId!;
      const events = byCase.get(caseId);
      if (events) events.push(event);
      else byCase.set(caseId, [event]);
    }
    return byCase;
  }

  /** Ids of the handovers an organisation sends or receives, newest request first. */
  async handoverIdsInvolving(organisation: string): Promise<string[]> {
    const rows: { handover_id: string }[] = await this.dataSource.query(
      `SELECT data->>'handoverId' AS handover_id FROM events
        WHERE event_type = 'HandoverRequested' AND (data->>'fromOrg' = $1 OR data->>'toOrg' = $1)
        ORDER BY global_position DESC`,
      [organisation],
    );
    return rows.map((r) => r.handover_id);
  }

  /**
   * Handovers the organisation sends or receives, newest first, with the position of their
   * request (the cursor of a page): up to `limit` requested before `beforePosition`.
   */
  async handoversInvolving(
    organisation: string,
    page: { readonly beforePosition?: number; readonly limit: number },
  ): Promise<{ handoverId: string; position: number }[]> {
    // Two index scans (from, to), each in position order (events_handover_*_org_position).
    const rows: { handover_id: string; position: string }[] = await this.dataSource.query(
      `SELECT handover_id, position FROM (
         (SELECT data->>'handoverId' AS handover_id, global_position AS position FROM events
           WHERE event_type = 'HandoverRequested' AND data->>'fromOrg' = $1 AND global_position < $2
           ORDER BY global_position DESC LIMIT $3)
         UNION
         (SELECT data->>'handoverId', global_position FROM events
           WHERE event_type = 'HandoverRequested' AND data->>'toOrg' = $1 AND global_position < $2
           ORDER BY global_position DESC LIMIT $3)
       ) AS involved ORDER BY position DESC LIMIT $3`,
      [organisation, page.beforePosition ?? Number.MAX_SAFE_INTEGER, page.limit],
    );
    return rows.map((r) => ({ handoverId: r.handover_id, position: Number(r.position) }));
  }

  /** Up to `limit` events of the whole store with a global position greater than `afterPosition`. */
  async readAll(afterPosition: number, limit = 500): Promise<RecordedEvent[]> {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
      [afterPosition, limit],
    );
    return inlineFreeTexts(this.dataSource.manager, rows.map(toRecorded));
  }

  /**
   * As readAll, each event with the trace context it was appended in: what the outbox relay
   * publishes, so a consumer continues the trace of the command that recorded the event.
   */
  async readOutbox(afterPosition: number, limit = 500): Promise<OutboxEntry[]> {
    const rows: (EventRow & { traceparent: string | null })[] = await this.dataSource.query(
      `SELECT ${COLUMNS}, traceparent FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
      [afterPosition, limit],
    );
    const events = await inlineFreeTexts(this.dataSource.manager, rows.map(toRecorded));
    return events.map((event, i) => {
      const traceparent = rows[i]?.traceparent;
      return traceparent ? { event, traceparent } : { event };
    });
  }

  /** Global position of the newest event, 0 for an empty store. */
  async headPosition(): Promise<number> {
    const [row] = await this.dataSource.query<[{ head: string }]>(
      'SELECT coalesce(max(global_position), 0)::bigint AS head FROM events',
    );
    return Number(row.head);
  }
}

interface ChainedRow {
  readonly globalPosition: number;
  readonly eventId: string;
  readonly type: string;
  readonly dataJson: string;
  readonly metadataJson: string;
  readonly previousHash: string;
  readonly hash: string;
}

function chain(
  streamId: string,
  currentVersion: number,
  events: readonly NewEvent[],
  headPosition: number,
  headHash: string | undefined,
  recordedAt: string,
): ChainedRow[] {
  const hashes = new HashChain(headHash);
  return events.map((event, i) => {
    const dataJson = JSON.stringify(event.data);
    const metadataJson = JSON.stringify(event.metadata);
    const content = {
      globalPosition: headPosition + i + 1,
      eventId: canonicalUuid(event.eventId),
      streamId,
      streamVersion: currentVersion + i + 1,
      type: event.type,
      data: JSON.parse(dataJson) as unknown,
      metadata: JSON.parse(metadataJson) as unknown,
      recordedAt,
    };
    return { ...content, dataJson, metadataJson, ...hashes.append(content) };
  });
}

function toRecorded(row: EventRow): RecordedEvent {
  return {
    globalPosition: Number(row.global_position),
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    type: row.event_type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at.toISOString(),
  };
}
