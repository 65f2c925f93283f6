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
 * The price is one writer at a time across the store, which the append benchmark measures; group
 * commit (below) lets many appends share one hold of the lock.
 */
const APPEND_LOCK_KEY = 7_204_313_002;

export class EventStore {
  constructor(private readonly dataSource: DataSource) {}

  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    return inAppendSpan(streamId, events, async () => {
      // Read inside the append's span: the trace the relay continues when it publishes.
      const append: PendingAppend = { streamId, events, ...options, traceparent: activeTraceparent() };
      if (options.manager) return settle((await this.appendAllLocked(options.manager, [append]))[0]!);
      // A guard reads the case as it stands, so its append goes alone; the rest join a group.
      if (options.guard) return this.appendAlone(append);
      return this.groupCommit.add(append);
    });
  }

  /** Appends that queue while a group is being written, written together next (group commit). */
  private readonly groupCommit = new GroupCommit(
    (appends) => this.appendGroup(appends),
    (append) => this.appendAlone(append),
  );

  private async appendAlone(append: PendingAppend): Promise<AppendResult> {
    return settle((await this.dataSource.transaction((manager) => this.appendAllLocked(manager, [append])))[0]!);
  }

  private async appendGroup(appends: readonly PendingAppend[]): Promise<Outcome[]> {
    return this.dataSource.transaction((manager) => this.appendAllLocked(manager, appends));
  }

  /**
   * Appends in order, under the append lock, in the caller's transaction: one lock, one read of
   * what is stored already, one of the streams' versions and the chain's head, one insert. Each
   * append gets its own answer: stored, the first answer again (a retry), or its own refusal,
   * which leaves the others standing. An error of the database fails the whole transaction.
   */
  private async appendAllLocked(manager: EntityManager, appends: readonly PendingAppend[]): Promise<Outcome[]> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK_KEY]);

    const allIds = appends.flatMap((a) => a.events.map((e) => canonicalUuid(e.eventId)));
    const existingRows: EventRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM events WHERE event_id = ANY($1::uuid[]) ORDER BY global_position`,
      [allIds],
    );
    const existingById = new Map(existingRows.map((row) => [row.event_id, row]));

    // The streams' versions, the chain's head and the moment of recording, all read under the lock.
    const [{ versions, head_position, head_hash, now }] = await manager.query<
      [{ versions: Record<string, number>; head_position: string | null; head_hash: string | null; now: string }]
    >(
      `SELECT coalesce((SELECT json_object_agg(s.stream_id,
                          (SELECT coalesce(max(stream_version), 0) FROM events WHERE stream_id = s.stream_id))
                          FROM (SELECT DISTINCT unnest($1::text[]) AS stream_id) AS s), '{}'::json) AS versions,
              head.global_position AS head_position, encode(head.hash, 'hex') AS head_hash,
              ${recordedAtText('clock_timestamp()')} AS now
         FROM (SELECT 1) AS one
         LEFT JOIN LATERAL (SELECT global_position, hash FROM events ORDER BY global_position DESC LIMIT 1) AS head ON true`,
      [appends.map((a) => a.streamId)],
    );

    const version = new Map(Object.entries(versions));
    let position = Number(head_position ?? 0);
    let hash = head_hash ?? undefined;
    const taken = new Set<string>();
    const outcomes: (Outcome | Written)[] = [];
    const rows: (ChainedRow & { readonly traceparent?: string })[] = [];
    for (const append of appends) {
      const ids = append.events.map((e) => canonicalUuid(e.eventId));
      const stored = ids.flatMap((id) => existingById.get(id) ?? []);
      if (stored.length > 0) {
        const sameAppend = stored.length === ids.length && stored.every((row) => row.stream_id === append.streamId);
        // The answer of the first append, not the stream's current version: a retry sees what the
        // original caller saw.
        outcomes.push(
          sameAppend
            ? {
                ids,
                nextVersion: Math.max(...stored.map((row) => row.stream_version)),
                duplicate: true,
              }
            : {
                error: new IdempotencyMismatchError(
                  append.streamId,
                  stored.map((r) => r.event_id),
                ),
              },
        );
        continue;
      }
      if (ids.some((id) => taken.has(id))) {
        // The same events twice in one group (a retry that overtook its original): once the
        // group is stored, the second is answered as a retry.
        outcomes.push({ again: true });
        continue;
      }
      const current = version.get(append.streamId) ?? 0;
      if (append.expectedVersion !== undefined && append.expectedVersion !== current) {
        outcomes.push({ error: new ConcurrencyConflictError(append.streamId, append.expectedVersion, current) });
        continue;
      }
      if (append.guard) {
        try {
          append.guard.check(await this.readCaseWith(manager, append.guard.caseId));
        } catch (error) {
          outcomes.push({ error: error instanceof Error ? error : new Error(String(error)) });
          continue;
        }
      }
      // Positions follow the head without gaps, and each event is hashed onto the one before
      // (see audit/event-hash.ts), exactly as the row will read back: ids in PostgreSQL's form,
      // data and metadata as the JSON sent, the time with microseconds.
      // Free text goes to free_texts; the chain covers its reference, so it can be erased later.
      const chained = chain(
        append.streamId,
        current,
        await externaliseFreeTexts(manager, append.events),
        position,
        hash,
        now,
      );
      for (const row of chained) {
        rows.push({ ...row, traceparent: append.traceparent });
        taken.add(row.eventId);
      }
      position += chained.length;
      hash = chained.at(-1)!.hash;
      version.set(append.streamId, current + chained.length);
      outcomes.push({ ids, nextVersion: current + chained.length, duplicate: false });
    }

    if (rows.length > 0) {
      // Beside the chained content, not in it: the trace the relay continues when it publishes. Only
      // named when there is one, so an append outside a trace is the statement it always was.
      const traced = rows.some((r) => r.traceparent !== undefined);
      const inserted: EventRow[] = await manager.query(
        `INSERT INTO events (global_position, event_id, stream_id, stream_version, event_type, data, metadata, recorded_at, previous_hash, hash${traced ? ', traceparent' : ''})
         SELECT e.global_position, e.event_id, e.stream_id, e.stream_version, e.event_type, e.data, e.metadata, $1::timestamptz,
                decode(e.previous_hash, 'hex'), decode(e.hash, 'hex')${traced ? ', e.traceparent' : ''}
           FROM unnest($2::bigint[], $3::uuid[], $4::text[], $5::int[], $6::text[], $7::jsonb[], $8::jsonb[], $9::text[], $10::text[], $11::text[])
                AS e(global_position, event_id, stream_id, stream_version, event_type, data, metadata, previous_hash, hash, traceparent)
          ORDER BY e.global_position
         RETURNING ${COLUMNS}`,
        [
          now,
          rows.map((r) => r.globalPosition),
          rows.map((r) => r.eventId),
          rows.map((r) => r.streamId),
          rows.map((r) => r.streamVersion),
          rows.map((r) => r.type),
          rows.map((r) => r.dataJson),
          rows.map((r) => r.metadataJson),
          rows.map((r) => r.previousHash),
          rows.map((r) => r.hash),
          rows.map((r) => r.traceparent ?? null),
        ],
      );
      for (const row of inserted) existingById.set(row.event_id, row);
    }

    // Free text back in place, in one read for the whole group.
    const answers = outcomes.map((o) => ('ids' in o ? o.ids.map((id) => toRecorded(existingById.get(id)!)) : []));
    const inlined = await inlineFreeTexts(manager, answers.flat());
    let next = 0;
    return outcomes.map((outcome, i): Outcome => {
      const events = inlined.slice(next, (next += answers[i]!.length));
      if (!('ids' in outcome)) return outcome;
      return { result: { nextVersion: outcome.nextVersion, events, duplicate: outcome.duplicate } };
    });
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
  readonly streamId: string;
  readonly streamVersion: number;
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

/** One append as it waits for its group: what `append` was called with, and its trace. */
interface PendingAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedVersion?: number;
  readonly guard?: AppendOptions['guard'];
  readonly traceparent?: string;
}

/** What became of one append of a group. */
type Outcome =
  | { readonly result: AppendResult }
  | { readonly error: Error }
  /** Its events were in the group twice: written once, it is sent again to get the first answer. */
  | { readonly again: true };

/** An append stored now or before (a retry), by its event ids, before its events are read back. */
interface Written {
  readonly ids: readonly string[];
  readonly nextVersion: number;
  readonly duplicate: boolean;
}

function settle(outcome: Outcome): AppendResult {
  if ('result' in outcome) return outcome.result;
  if ('error' in outcome) throw outcome.error;
  throw new Error('an append of its own cannot meet itself in its group');
}

/** Most appends written in one transaction (a bound on the statement's size and the lock's hold). */
const MOST_IN_GROUP = 200;

/**
 * Group commit: while one group of appends is being written, the appends that arrive wait and are
 * written together as the next group, one transaction for all. An append that finds nothing being
 * written goes at once, alone, so a quiet store adds no wait; under load, many appends share one
 * lock, one round of reads and one insert instead of queueing one by one behind the lock. If the
 * database refuses a group (say one append's data is invalid), each of its appends is tried alone,
 * so one bad append fails only itself.
 */
class GroupCommit {
  private readonly waiting: {
    append: PendingAppend;
    resolve: (r: AppendResult) => void;
    reject: (e: unknown) => void;
  }[] = [];
  private writing = false;

  constructor(
    private readonly writeGroup: (appends: readonly PendingAppend[]) => Promise<Outcome[]>,
    private readonly writeAlone: (append: PendingAppend) => Promise<AppendResult>,
  ) {}

  add(append: PendingAppend): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ append, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.splice(0, MOST_IN_GROUP);
        let outcomes: Outcome[];
        try {
          outcomes = await this.writeGroup(group.map((g) => g.append));
        } catch (error) {
          if (group.length === 1) group[0]!.reject(error);
          else for (const one of group) await this.writeAlone(one.append).then(one.resolve, one.reject);
          continue;
        }
        const again: typeof group = [];
        outcomes.forEach((outcome, i) => {
          const one = group[i]!;
          if ('again' in outcome) again.push(one);
          else if ('result' in outcome) one.resolve(outcome.result);
          else if ('error' in outcome) one.reject(outcome.error);
        });
        this.waiting.unshift(...again);
      }
    } finally {
      this.writing = false;
    }
  }
}
