import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { NewEvent, RecordedEvent } from '@warm-handover/contracts';

/**
 * Free text kept outside the hash-chained events, so that it can be erased (AVG art. 17) while
 * the chain still verifies (issue 16, item 6). Done at the event store's boundary, so deciders,
 * workflows and projections keep seeing `reason: "…"` as before:
 *
 * - on append, each field named in FREE_TEXT_FIELDS is moved into `free_texts` and the stored
 *   event carries `<field>Ref: { digest }` instead; the chain hashes that reference;
 * - on read, the reference is resolved back into the field, or `[gewist]` once erased;
 * - events stored before this (text inline) are read as they are: stored events keep their
 *   meaning forever, and their text stays in the chain.
 *
 * The digest is SHA-256 over a random salt and the text, both kept in the row: it names the text
 * without revealing it, and after erasure (salt and text deleted) nobody can confirm a guess of
 * what it said.
 */
export const FREE_TEXT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  HandoverRejected: ['reason'],
  HandoverWithdrawn: ['reason'],
  HandoverContactFailed: ['reason'],
  CaseKeptBySender: ['reason'],
  LeadProposed: ['rationale'],
  LeadDecided: ['rationale'],
  LeadDecisionTaken: ['rationale'],
  LeadRenegotiationOpened: ['reason'],
  SafetyAgreementMade: ['description'],
};

/** What an erased text reads as. */
export const ERASED_TEXT = '[gewist]';

export interface FreeTextRef {
  readonly digest: string;
}

const refField = (field: string) => `${field}Ref`;

/** Moves the free text of `events` into `free_texts` (in the caller's transaction); returns them with references. */
export async function externaliseFreeTexts(manager: EntityManager, events: readonly NewEvent[]): Promise<NewEvent[]> {
  const texts: { digest: string; salt: Buffer; text: string }[] = [];
  const stored = events.map((event) => {
    const fields = FREE_TEXT_FIELDS[event.type];
    const data = event.data as Record<string, unknown> | null;
    if (!fields || typeof data !== 'object' || data === null) return event;
    const copy: Record<string, unknown> = { ...data };
    for (const field of fields) {
      const text = copy[field];
      if (typeof text !== 'string') continue;
      const salt = randomBytes(16);
      const digest = `sha256:${createHash('sha256').update(salt).update(text, 'utf8').digest('hex')}`;
      texts.push({ digest, salt, text });
      delete copy[field];
      copy[refField(field)] = { digest } satisfies FreeTextRef;
    }
    return { ...event, data: copy };
  });
  if (texts.length > 0) {
    await manager.query(
      `INSERT INTO free_texts (digest, salt, text)
       SELECT * FROM unnest($1::text[], $2::bytea[], $3::text[])`,
      [texts.map((t) => t.digest), texts.map((t) => t.salt), texts.map((t) => t.text)],
    );
  }
  return stored;
}

/** Resolves the references of recorded events back into their fields (ERASED_TEXT when erased). */
export async function inlineFreeTexts(manager: EntityManager, events: RecordedEvent[]): Promise<RecordedEvent[]> {
  const wanted = new Set<string>();
  for (const event of events) forEachRef(event, (_field, ref) => wanted.add(ref.digest));
  if (wanted.size === 0) return events;
  const rows: { digest: string; text: string }[] = await manager.query(
    'SELECT digest, text FROM free_texts WHERE digest = ANY($1::text[])',
    [[...wanted]],
  );
  const texts = new Map(rows.map((r) => [r.digest, r.text]));
  return events.map((event) => {
    let data: Record<string, unknown> | undefined;
    forEachRef(event, (field, ref) => {
      data ??= { ...(event.data as Record<string, unknown>) };
      delete data[refField(field)];
      data[field] = texts.get(ref.digest) ?? ERASED_TEXT;
    });
    return data ? { ...event, data } : event;
  });
}

function forEachRef(event: RecordedEvent, visit: (field: string, ref: FreeTextRef) => void): void {
  const fields = FREE_TEXT_FIELDS[event.type];
  const data = event.data as Record<string, unknown> | null;
  if (!fields || typeof data !== 'object' || data === null) return;
  for (const field of fields) {
    const ref = data[refField(field)] as Partial<FreeTextRef> | undefined;
    if (ref && typeof ref.digest === 'string') visit(field, ref as FreeTextRef);
  }
}

/**
 * Erases free text: the text and its salt are deleted; the events keep their references, so the
 * hash chain still verifies, and read as ERASED_TEXT. Returns how many texts were erased.
 */
export class FreeTextEraser {
  constructor(private readonly dataSource: DataSource) {}

  /** Every free text of the events of one case (e.g. an erasure request about a child). */
  async eraseCase(caseId: string): Promise<number> {
    const rows: { digest: string }[] = await this.dataSource.query(
      `SELECT ref.value->>'digest' AS digest
         FROM events, jsonb_each(data) AS ref
        WHERE metadata->>'caseId' = $1 AND ref.key LIKE '%Ref' AND jsonb_typeof(ref.value) = 'object'`,
      [caseId],
    );
    return this.erase(rows.map((r) => r.digest));
  }

  async erase(digests: readonly string[]): Promise<number> {
    if (digests.length === 0) return 0;
    const [{ erased }]: [{ erased: number }] = await this.dataSource.query(
      'WITH gone AS (DELETE FROM free_texts WHERE digest = ANY($1::text[]) RETURNING digest) SELECT count(*)::int AS erased FROM gone',
      [digests],
    );
    return erased;
  }
}
