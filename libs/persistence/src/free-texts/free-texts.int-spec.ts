import type { RecordedEvent } from '@warm-handover/contracts';
import { createTestDatabase, type TestDatabase, withClient } from '../../../../test/support/database';
import { testEvent } from '../../../../test/support/events';
import { verifyChain } from '../audit/chain-verifier';
import { EventStore } from '../event-store/event-store';
import { ERASED_TEXT, FreeTextEraser, inlineFreeTexts } from './free-texts';

const PERSONAL = 'Moeder Jansen (Kerkstraat 12) wil niet verhuizen naar Haarlem';

describe('free text outside the hash chain, and its erasure', () => {
  let db: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.dataSource);
  });
  afterAll(() => db?.drop());

  const occurrences = () =>
    withClient(db.url, async (c) => {
      const rows = await c.query<{ events: string; texts: string }>(
        `SELECT (SELECT count(*) FROM events WHERE data::text LIKE '%Jansen%') AS events,
                (SELECT count(*) FROM free_texts WHERE text LIKE '%Jansen%') AS texts`,
      );
      return { events: Number(rows.rows[0]!.events), texts: Number(rows.rows[0]!.texts) };
    });

  it('given a rejection with a reason, when appended, then the stored event holds only a digest, and reads show the text', async () => {
    const appended = await store.append('handover-h1', [
      testEvent('HandoverRequested', { handoverId: 'h1', fromOrg: 'vt-kennemerland', toOrg: 'vt-utrecht' }, 'case-e1'),
      testEvent(
        'HandoverRejected',
        { handoverId: 'h1', reason: PERSONAL, rejectedAt: '2026-01-05T10:00:00Z' },
        'case-e1',
      ),
    ]);
    await store.append('handover-h2', [
      testEvent('HandoverWithdrawn', { handoverId: 'h2', reason: 'kept' }, 'case-e2'),
    ]);

    expect(appended.events[1]!.data).toEqual({
      handoverId: 'h1',
      reason: PERSONAL,
      rejectedAt: '2026-01-05T10:00:00Z',
    });
    const stored = await withClient(db.url, (c) =>
      c.query<{ data: Record<string, unknown> }>(`SELECT data FROM events WHERE event_type = 'HandoverRejected'`),
    );
    expect(stored.rows[0]!.data).toEqual({
      handoverId: 'h1',
      reasonRef: { digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
      rejectedAt: '2026-01-05T10:00:00Z',
    });
    expect(await occurrences()).toEqual({ events: 0, texts: 1 });
    expect((await store.readCase('case-e1'))[1]!.data).toMatchObject({ reason: PERSONAL });
    expect((await verifyChain(db.dataSource)).intact).toBe(true);
  });

  it('given an erasure request for the case, when erased, then the text is gone, reads show [gewist], other cases keep theirs, and the chain still verifies', async () => {
    const erased = await new FreeTextEraser(db.dataSource).eraseCase('case-e1');

    expect(erased).toBe(1);
    expect(await occurrences()).toEqual({ events: 0, texts: 0 });
    const [, rejected] = await store.readStream('handover-h1');
    expect(rejected!.data).toEqual({ handoverId: 'h1', reason: ERASED_TEXT, rejectedAt: '2026-01-05T10:00:00Z' });
    expect((await store.readStream('handover-h2'))[0]!.data).toMatchObject({ reason: 'kept' });
    const verdict = await verifyChain(db.dataSource);
    expect(verdict).toMatchObject({ intact: true, checked: 3 });
  });

  it('given an event stored before free text moved out (text inline), when read, then it reads as it was', async () => {
    const old = {
      type: 'CaseKeptBySender',
      data: { caseId: 'case-old', reason: 'inline, as recorded in 2025' },
    } as unknown as RecordedEvent;

    expect(await inlineFreeTexts(db.dataSource.manager, [old])).toEqual([old]);
  });
});
