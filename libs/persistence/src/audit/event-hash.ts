/**
 * Tamper evidence for the event store: every event carries a SHA-256 hash over its content and
 * the previous event's hash, one chain over the whole store in global order. Anyone holding an
 * export of the `events` table can recompute it without our code:
 *
 *   hash = lowercase hex of SHA-256( UTF-8( JCS({
 *            previousHash, globalPosition, eventId, streamId, streamVersion,
 *            type, data, metadata, recordedAt }) ) )
 *
 * - JCS is the JSON Canonicalization Scheme, RFC 8785: keys sorted by UTF-16 code units, no
 *   whitespace, numbers as IEEE-754 doubles written the ECMAScript way (1.50 → 1.5, 1e21 → 1e+21),
 *   strings escaped minimally. `data` and `metadata` are the stored jsonb values parsed as JSON,
 *   so jsonb's own key order and number spelling do not matter.
 * - previousHash: the `hash` of the event before in global order, as 64 lowercase hex digits;
 *   for the first event it is GENESIS_HASH (64 zeros).
 * - globalPosition, streamVersion: JSON numbers. eventId: the UUID in PostgreSQL's output form
 *   (lowercase, 8-4-4-4-12). streamId, type: the stored text. column `event_type` is `type`.
 * - recordedAt: `recorded_at` in UTC with exactly six fractional digits, as PostgreSQL stores it:
 *   2026-11-23T09:00:00.123456Z (RECORDED_AT_TEXT renders it so).
 *
 * Positions may have gaps from before the chain existed (rolled-back appends used to consume
 * identity values); the chain links across them, so a gap alone is not evidence — a broken link is.
 *
 * Personal data never enters the hashed content in clear: events hold pseudonymous ids only
 * (case, child and subject ids; organisation slugs; functional contact addresses), and what links
 * those ids to people lives outside the store. An erasure request is served there, and the chain
 * stays verifiable. A test checks the hashed content of every event type for such fields.
 *
 * What the chain proves, and what not: any change, removal, insertion or reordering of recorded
 * events shows as a broken chain, unless whoever changed the rows also recomputed every hash after
 * the change — the formula is public on purpose. Such a rewrite is caught by comparing with a head
 * (position and hash) exported earlier and kept outside our control (`npm run audit:head`).
 * Changing this definition changes every hash: it would need a new chain, not an edit.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The previous hash of the first event in the store. */
export const GENESIS_HASH = '0'.repeat(64);

/** The columns of one event that its hash covers, in the form they are hashed in. */
export interface ChainedContent {
  readonly globalPosition: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  /** UTC with microseconds, e.g. 2026-11-23T09:00:00.123456Z. */
  readonly recordedAt: string;
}

/** An event's hashed content with its links in the chain. */
export interface ChainedEvent extends ChainedContent {
  readonly previousHash: string;
  readonly hash: string;
}

/** The select list that reads an event in the form it is hashed in; rows map with contentOf. */
export const CONTENT_COLUMNS = `global_position, event_id::text AS event_id, stream_id, stream_version, event_type,
  data, metadata, ${recordedAtText()} AS recorded_at`;

export interface ContentRow {
  readonly global_position: string;
  readonly event_id: string;
  readonly stream_id: string;
  readonly stream_version: number;
  readonly event_type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly recorded_at: string;
}

export function contentOf(row: ContentRow): ChainedContent {
  return {
    globalPosition: Number(row.global_position),
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    type: row.event_type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
  };
}

/** The exact string whose SHA-256 is the event's hash. */
export function canonicalEventContent(content: ChainedContent, previousHash: string): string {
  const hashed = {
    previousHash,
    globalPosition: content.globalPosition,
    eventId: content.eventId,
    streamId: content.streamId,
    streamVersion: content.streamVersion,
    type: content.type,
    data: content.data,
    metadata: content.metadata,
    recordedAt: content.recordedAt,
  };
  const text = canonicalize(hashed);
  if (text === undefined) throw new Error('an event cannot be canonicalised');
  return text;
}

/** The hash of an event that follows the one whose hash is `previousHash`. */
export function eventHash(content: ChainedContent, previousHash: string): string {
  return createHash('sha256').update(canonicalEventContent(content, previousHash), 'utf8').digest('hex');
}

/** Hashes events one after another onto a chain whose newest hash is `head`. */
export class HashChain {
  constructor(private head: string = GENESIS_HASH) {}

  /** The link of the next event: the hash it is chained to and its own. */
  append(content: ChainedContent): { readonly previousHash: string; readonly hash: string } {
    const previousHash = this.head;
    this.head = eventHash(content, previousHash);
    return { previousHash, hash: this.head };
  }
}

/** A moment (ms since the epoch) written the way `recorded_at` is hashed: UTC, six fractional digits. */
export function microsecondTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

/** SQL that renders `recorded_at` (or another timestamptz given) the way it is hashed. */
export function recordedAtText(column = 'recorded_at'): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/**
 * A UUID in PostgreSQL's output form, so the id that is hashed is the id that is read back.
 * Accepts what callers send (any case, with or without hyphens or braces).
 */
export function canonicalUuid(id: string): string {
  const hex = id.replace(/[{}-]/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error(`event id ${JSON.stringify(id)} is not a UUID`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
