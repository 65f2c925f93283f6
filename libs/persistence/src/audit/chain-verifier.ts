import type { DataSource } from 'typeorm';
import {
  type ChainedEvent,
  CONTENT_COLUMNS,
  contentOf,
  type ContentRow,
  eventHash,
  GENESIS_HASH,
  recordedAtText,
} from './event-hash';

/**
 * Walks the hash chain of the event store (see event-hash.ts) in global order, in batches, with
 * constant memory, and reports the FIRST problem: where it shows, what kind of tampering explains
 * it, and what an operator should do. Also checks that each stream's versions run 1, 2, 3… in
 * global order, and, when given one, that a head exported earlier is still in the chain.
 *
 * How tampering done directly in PostgreSQL shows up (k is a position):
 * - UPDATE of a byte of row k: k's content no longer hashes to its hash → changed at k. If the
 *   hash was recomputed too, k+1 is chained to a hash that no row has → changed at k.
 * - DELETE of row k: a gap before k+1, which is chained to a hash no row has → removed at k.
 *   Deleting the newest rows leaves a shorter, intact chain: only an exported head shows it.
 * - Swapping rows k and m: k holds an event that hashes correctly only at position m (its hash
 *   covers its position) → reordered at k. Moving a row elsewhere leaves a gap whose successor is
 *   chained to the moved row → reordered.
 * - INSERT of a forged row at k: its hash does not fit and the chain runs around it (the next row
 *   is chained to the row before k), or it sits past a gap or at the end, unchained → inserted at k.
 * - Any of these followed by recomputing every later hash: the chain is intact again, but an
 *   exported head at or after k no longer matches, and stream versions often show a hole.
 */

export type TamperKind = 'changed' | 'removed' | 'inserted' | 'reordered';

export interface ChainProblem {
  readonly kind: TamperKind;
  /** Global position where the problem shows. */
  readonly position: number;
  /** Which check found it. */
  readonly check: 'chain' | 'stream-versions' | 'exported-head';
  readonly message: string;
  readonly whatToDo: string;
}

export interface ChainHead {
  readonly globalPosition: number;
  readonly hash: string;
  /** When the head event was recorded (UTC, microseconds). */
  readonly recordedAt: string;
}

/** A head as handed to an outside party, to prove later that history was not rewritten. */
export interface ExportedHead extends ChainHead {
  readonly exportedAt: string;
}

export interface VerifyProgress {
  readonly checked: number;
  readonly position: number;
  /** The newest position when the walk started; later appends are checked next time. */
  readonly headPosition: number;
}

export interface ChainVerdict {
  readonly intact: boolean;
  /** Events whose hash and link were checked. */
  readonly checked: number;
  /** The chain's head when the walk started; null for an empty store. */
  readonly head: ChainHead | null;
  readonly problem?: ChainProblem;
}

export interface VerifyOptions {
  /** Events per read; memory stays proportional to this, whatever the store's size. */
  readonly batchSize?: number;
  /** Called after every batch. */
  readonly onProgress?: (progress: VerifyProgress) => void;
  /** A head exported earlier: it must still be in the chain, at that position with that hash. */
  readonly exportedHead?: Pick<ChainHead, 'globalPosition' | 'hash'>;
  /** Stops the walk between batches (the verdict is then not given: the promise rejects). */
  readonly signal?: AbortSignal;
}

interface Link {
  readonly position: number;
  readonly hash: string;
}

const ROW_COLUMNS = `${CONTENT_COLUMNS}, encode(previous_hash, 'hex') AS previous_hash, encode(hash, 'hex') AS hash`;

const WHAT_TO_DO: Record<TamperKind, string> = {
  changed:
    'The application never changes a recorded event, so someone changed the database directly. Restore the event from a backup taken before the change, compare the two to see what was altered, and report the incident to your security officer.',
  removed:
    'The application never deletes events, so someone deleted rows in the database directly. Restore the missing events from a backup, check what else that access did, and report the incident to your security officer.',
  inserted:
    'The application only appends chained events, so this row was written into the database directly. Keep it for the investigation, find out who had write access, and report the incident to your security officer.',
  reordered:
    'The application never moves events, so someone changed positions in the database directly. Restore the original order from a backup and report the incident to your security officer.',
};

/** The newest event's position and hash; null for an empty store. */
export async function readChainHead(dataSource: DataSource): Promise<ChainHead | null> {
  const [row] = await dataSource.query<{ global_position: string; hash: string; recorded_at: string }[]>(
    `SELECT global_position, encode(hash, 'hex') AS hash, ${recordedAtText()} AS recorded_at
       FROM events ORDER BY global_position DESC LIMIT 1`,
  );
  return row ? { globalPosition: Number(row.global_position), hash: row.hash, recordedAt: row.recorded_at } : null;
}

export async function exportChainHead(dataSource: DataSource, now = new Date()): Promise<ExportedHead | null> {
  const head = await readChainHead(dataSource);
  return head ? { ...head, exportedAt: now.toISOString() } : null;
}

export async function verifyChain(dataSource: DataSource, options: VerifyOptions = {}): Promise<ChainVerdict> {
  const batchSize = options.batchSize ?? 2000;
  const exported = options.exportedHead
    ? { globalPosition: options.exportedHead.globalPosition, hash: options.exportedHead.hash.toLowerCase() }
    : undefined;
  const head = await readChainHead(dataSource);
  const headPosition = head?.globalPosition ?? 0;
  const verdict = (checked: number, problem?: ChainProblem): ChainVerdict =>
    problem ? { intact: false, checked, head, problem } : { intact: true, checked, head };

  // The genesis sits before position 1; rows forged at 0 or below are read too.
  let previous: Link = { position: 0, hash: GENESIS_HASH };
  let checked = 0;
  let chainProblem: ChainProblem | undefined;
  // The next batch is read while this one is hashed: PostgreSQL and Node each keep a core busy.
  const readAfter = (position: number) => {
    const batch = readChainedEvents(dataSource, position, headPosition, batchSize);
    // Awaited below unless the walk stops first; then its outcome no longer matters.
    batch.catch(() => undefined);
    return batch;
  };
  let next = readAfter(Number.MIN_SAFE_INTEGER);
  walk: for (;;) {
    options.signal?.throwIfAborted();
    const rows = await next;
    if (rows.length === 0) break;
    next = readAfter(rows.at(-1)!.globalPosition);
    for (const row of rows) {
      const contentOk = hashOf(row) === row.hash;
      if (!contentOk || row.previousHash !== previous.hash) {
        chainProblem = await diagnose(dataSource, row, previous, contentOk);
        break walk;
      }
      if (exported && previous.position < exported.globalPosition && exported.globalPosition <= row.globalPosition) {
        chainProblem = exportedHeadProblem(exported, row);
        if (chainProblem) break walk;
      }
      previous = { position: row.globalPosition, hash: row.hash };
      checked += 1;
    }
    options.onProgress?.({ checked, position: previous.position, headPosition });
  }
  if (!chainProblem && exported && exported.globalPosition > headPosition) {
    chainProblem = {
      kind: 'removed',
      position: headPosition + 1,
      check: 'exported-head',
      message: `The store ends at position ${headPosition}, but the exported head names position ${exported.globalPosition}: the events from ${headPosition + 1} on were removed, or the store was restored from a backup older than the export.`,
      whatToDo: WHAT_TO_DO.removed,
    };
  }

  options.signal?.throwIfAborted();
  const streamProblem = await firstStreamProblem(dataSource, chainProblem?.position ?? headPosition);
  const first = streamProblem && (!chainProblem || streamProblem.position < chainProblem.position);
  return verdict(checked, first ? streamProblem : chainProblem);
}

/** Up to `limit` events after position `after` and up to `upTo`, in global order, as they are hashed. */
export async function readChainedEvents(
  dataSource: DataSource,
  after: number,
  upTo: number,
  limit: number,
): Promise<ChainedEvent[]> {
  const rows: RawRow[] = await dataSource.query(
    `SELECT ${ROW_COLUMNS} FROM events
      WHERE global_position > $1 AND global_position <= $2 ORDER BY global_position LIMIT $3`,
    [after, upTo, limit],
  );
  return rows.map(toChainedEvent);
}

async function rowsWhere(dataSource: DataSource, condition: string, value: unknown): Promise<ChainedEvent[]> {
  const rows: RawRow[] = await dataSource.query(
    `SELECT ${ROW_COLUMNS} FROM events WHERE ${condition} ORDER BY global_position LIMIT 2`,
    [value],
  );
  return rows.map(toChainedEvent);
}

function hashOf(row: ChainedEvent, atPosition = row.globalPosition): string {
  return eventHash({ ...row, globalPosition: atPosition }, row.previousHash);
}

function describe(row: ChainedEvent): string {
  return `position ${row.globalPosition} (stream ${row.streamId}, version ${row.streamVersion}, ${row.type}, event ${row.eventId})`;
}

/**
 * Names the kind of a broken link or hash at `row`, `previous` being the last row that checked
 * out. Runs once per verification, so its look-ups by hash may scan the table.
 */
async function diagnose(
  dataSource: DataSource,
  row: ChainedEvent,
  previous: Link,
  contentOk: boolean,
): Promise<ChainProblem> {
  const gap = row.globalPosition > previous.position + 1;
  const [chainedTo] = await rowsWhere(dataSource, `hash = decode($1, 'hex')`, row.previousHash);
  const problem = (kind: TamperKind, position: number, message: string): ChainProblem => ({
    kind,
    position,
    check: 'chain',
    message,
    whatToDo: WHAT_TO_DO[kind],
  });

  if (contentOk) {
    // The row is as it was recorded, but it was chained to something other than the row before.
    if (chainedTo && chainedTo.globalPosition !== previous.position) {
      const where = gap ? `at position ${previous.position + 1}` : 'right before it';
      return problem(
        'reordered',
        gap ? previous.position + 1 : row.globalPosition,
        `The event recorded ${where}, the one that ${describe(row)} is chained to, now sits at position ${chainedTo.globalPosition}: it was moved.`,
      );
    }
    if (gap) {
      const range =
        row.globalPosition - previous.position === 2
          ? `position ${previous.position + 1} is`
          : `positions ${previous.position + 1} to ${row.globalPosition - 1} are`;
      return problem(
        'removed',
        previous.position + 1,
        `Events were removed: ${range} missing, and the event at ${row.globalPosition} was chained to an event that is no longer in the store.`,
      );
    }
    if (previous.position === 0) {
      return problem(
        'removed',
        row.globalPosition,
        `The first event in the store, at ${describe(row)}, is chained to an event that is no longer in the store: the events before it were removed.`,
      );
    }
    return problem(
      'changed',
      previous.position,
      `The event at position ${previous.position} was changed and its hash recomputed: the event after it, at ${describe(row)}, was chained to a different one.`,
    );
  }

  // The row's hash does not cover its content here. Does it fit at another position?
  const [successor] = await rowsWhere(dataSource, `previous_hash = decode($1, 'hex')`, row.hash);
  const candidates = [chainedTo && chainedTo.globalPosition + 1, successor && successor.globalPosition - 1];
  const original = candidates.find((p) => p !== undefined && p !== row.globalPosition && hashOf(row, p) === row.hash);
  if (original !== undefined) {
    return problem(
      'reordered',
      row.globalPosition,
      `Position ${row.globalPosition} holds the event recorded at position ${original} (stream ${row.streamId}, version ${row.streamVersion}, ${row.type}, event ${row.eventId}): events were swapped or moved.`,
    );
  }

  const [next] = await readChainedEvents(dataSource, row.globalPosition, Number.MAX_SAFE_INTEGER, 1);
  const bypassed = next?.previousHash === previous.hash;
  if (bypassed || (row.previousHash !== previous.hash && (gap || !next))) {
    const where = bypassed
      ? `the chain runs around it (the event at ${next.globalPosition} is chained to the one at ${previous.position})`
      : next
        ? `it sits past a gap after position ${previous.position} and is not chained to any event`
        : 'it is the newest row but is not chained to the event before it';
    return problem(
      'inserted',
      row.globalPosition,
      `A row that the application did not append is at ${describe(row)}: its hash does not match its content and ${where}.`,
    );
  }
  return problem(
    'changed',
    row.globalPosition,
    `The event at ${describe(row)} was changed after it was recorded: its content no longer matches its hash.`,
  );
}

function exportedHeadProblem(
  exported: Pick<ChainHead, 'globalPosition' | 'hash'>,
  row: ChainedEvent,
): ChainProblem | undefined {
  if (row.globalPosition !== exported.globalPosition) {
    return {
      kind: 'removed',
      position: exported.globalPosition,
      check: 'exported-head',
      message: `The exported head names position ${exported.globalPosition}, which is no longer in the store although the chain runs intact past it: the history up to there was removed and rewritten.`,
      whatToDo: WHAT_TO_DO.removed,
    };
  }
  if (row.hash === exported.hash) return undefined;
  return {
    kind: 'changed',
    position: exported.globalPosition,
    check: 'exported-head',
    message: `The event at position ${exported.globalPosition} has hash ${row.hash}, not the exported ${exported.hash}: the history up to that position was rewritten and every hash recomputed, so the chain alone looks intact.`,
    whatToDo: `${WHAT_TO_DO.changed} Compare with a backup from the time of the export to find the first event that differs.`,
  };
}

/**
 * The first event, up to `upTo`, whose stream version does not follow its predecessor's in the
 * same stream (1, 2, 3…) or whose predecessor comes later in global order. PostgreSQL does the
 * work, so memory stays flat here too.
 */
async function firstStreamProblem(dataSource: DataSource, upTo: number): Promise<ChainProblem | undefined> {
  const [row] = await dataSource.query<
    {
      global_position: string;
      stream_id: string;
      stream_version: number;
      previous_version: number | null;
      previous_position: string | null;
    }[]
  >(
    `SELECT global_position, stream_id, stream_version, previous_version, previous_position
       FROM (SELECT global_position, stream_id, stream_version,
                    lag(stream_version) OVER w AS previous_version,
                    lag(global_position) OVER w AS previous_position
               FROM events WHERE global_position <= $1
             WINDOW w AS (PARTITION BY stream_id ORDER BY stream_version)) AS s
      WHERE stream_version <> coalesce(previous_version, 0) + 1 OR global_position < previous_position
      ORDER BY global_position LIMIT 1`,
    [upTo],
  );
  if (!row) return undefined;
  const position = Number(row.global_position);
  const expected = (row.previous_version ?? 0) + 1;
  const at = `position ${position} (stream ${row.stream_id}, version ${row.stream_version})`;
  const problem = (kind: TamperKind, message: string): ChainProblem => ({
    kind,
    position,
    check: 'stream-versions',
    message,
    whatToDo: WHAT_TO_DO[kind],
  });
  if (row.previous_position !== null && position < Number(row.previous_position)) {
    return problem(
      'reordered',
      `The event at ${at} comes before version ${row.previous_version} of its stream, which is at position ${row.previous_position}.`,
    );
  }
  if (row.stream_version > expected) {
    return problem(
      'removed',
      `The event at ${at} follows version ${expected - 1} of its stream: version${row.stream_version - expected > 1 ? `s ${expected} to ${row.stream_version - 1} are` : ` ${expected} is`} missing, although the hash chain is intact — the chain was recomputed after the removal.`,
    );
  }
  return problem('inserted', `The event at ${at} repeats version ${row.stream_version} of its stream.`);
}

interface RawRow extends ContentRow {
  readonly previous_hash: string;
  readonly hash: string;
}

function toChainedEvent(row: RawRow): ChainedEvent {
  return { ...contentOf(row), previousHash: row.previous_hash, hash: row.hash };
}
