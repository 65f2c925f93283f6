import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { type ChainedEvent, HashChain, microsecondTime } from '@warm-handover/persistence';

/**
 * Test-only: fills an empty, migrated store fast with a valid hash chain. The rows and their
 * hashes are built here and inserted with multi-row INSERTs (unnest) in batches, which is some
 * fifty times faster than appending them one by one through the store.
 */
export interface FillOptions {
  /** Positions left out, as rolled-back appends left them before the chain existed. */
  readonly gapsAt?: readonly number[];
  /** Events per stream before the next stream starts. */
  readonly perStream?: number;
  readonly batchSize?: number;
}

const TYPES = ['HandoverRequested', 'HandoverReceived', 'HandoverEscalated', 'HandoverAccepted', 'HandoverStarted'];
const START = Date.parse('2026-01-05T08:00:00Z');

export async function fillChainedStore(
  dataSource: DataSource,
  count: number,
  options: FillOptions = {},
): Promise<void> {
  const gaps = new Set(options.gapsAt ?? []);
  const perStream = options.perStream ?? 10;
  const batchSize = options.batchSize ?? 5000;
  const chain = new HashChain();
  let position = 0;
  let streamId = '';
  let caseId = '';
  // Each batch is inserted while the next one is hashed: PostgreSQL and Node each keep a core busy.
  let inserting = Promise.resolve();
  for (let made = 0; made < count;) {
    const batch: ChainedEvent[] = [];
    for (; made < count && batch.length < batchSize; made++) {
      do position += 1;
      while (gaps.has(position));
      const version = (made % perStream) + 1;
      if (version === 1) {
        streamId = `handover-${randomUUID()}`;
        caseId = `case-${randomUUID().slice(0, 8)}`;
      }
      const content = {
        globalPosition: position,
        eventId: randomUUID(),
        streamId,
        streamVersion: version,
        type: TYPES[(version - 1) % TYPES.length]!,
        data: { handoverId: streamId.slice('handover-'.length), caseId, step: version, level: (made % 4) + 1 },
        metadata: {
          actor: { subject: 'system:test', organisation: 'vt-kennemerland', role: 'professional' },
          correlationId: streamId,
          caseId,
        },
        // A millisecond apart, plus some microseconds, so the hash depends on all six digits.
        recordedAt: microsecondTime(START + made).replace(/000Z$/, `${String(made % 1000).padStart(3, '0')}Z`),
      };
      batch.push({ ...content, ...chain.append(content) });
    }
    await inserting;
    inserting = insertBatch(dataSource, batch);
  }
  await inserting;
}

async function insertBatch(dataSource: DataSource, batch: readonly ChainedEvent[]): Promise<void> {
  await dataSource.query(
    `INSERT INTO events (global_position, event_id, stream_id, stream_version, event_type, data, metadata, recorded_at, previous_hash, hash)
     SELECT global_position, event_id, stream_id, stream_version, event_type, data, metadata, recorded_at,
            decode(previous_hash, 'hex'), decode(hash, 'hex')
       FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::jsonb[], $7::jsonb[],
                   $8::timestamptz[], $9::text[], $10::text[])
            AS r(global_position, event_id, stream_id, stream_version, event_type, data, metadata, recorded_at, previous_hash, hash)`,
    [
      batch.map((r) => r.globalPosition),
      batch.map((r) => r.eventId),
      batch.map((r) => r.streamId),
      batch.map((r) => r.streamVersion),
      batch.map((r) => r.type),
      batch.map((r) => JSON.stringify(r.data)),
      batch.map((r) => JSON.stringify(r.metadata)),
      batch.map((r) => r.recordedAt),
      batch.map((r) => r.previousHash),
      batch.map((r) => r.hash),
    ],
  );
}
