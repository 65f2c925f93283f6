import { randomUUID } from 'node:crypto';
import { EventStore } from '@warm-handover/persistence';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database';
import { testEvent } from '../../../../test/support/events';
import { CaseAccess } from './case-access.service';

const KEN = 'vt-kennemerland';
const AMS = 'vt-amsterdam-amstelland';
const UTR = 'vt-utrecht';
const person = (organisation: string, role = 'professional') => ({ subject: `ps-${organisation}`, organisation, role });

/** CaseAccess on real PostgreSQL: a list of cases read in one go keeps the rule of reading one. */
describe('CaseAccess.readMany on real PostgreSQL', () => {
  let db: TestDatabase;
  let store: EventStore;
  let access: CaseAccess;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.dataSource);
    access = new CaseAccess(store);
  });
  afterAll(() => db.drop());

  const handover = async (caseId: string, fromOrg: string, toOrg: string) => {
    const handoverId = randomUUID();
    await store.append(`handover-${handoverId}`, [
      testEvent(
        'HandoverRequested',
        {
          handoverId,
          caseId,
          childIds: [`kind-${handoverId.slice(0, 4)}`],
          fromOrg,
          toOrg,
          requestedAt: new Date().toISOString(),
        },
        caseId,
      ),
    ]);
  };

  it('given cases of which an organisation takes part in some, when it reads them in one go, then it gets exactly those it may read, each as reading it alone gives; an inspector gets all', async () => {
    const [ours, theirs, alsoOurs] = [randomUUID(), randomUUID(), randomUUID()];
    await handover(ours, KEN, AMS);
    await handover(theirs, KEN, UTR);
    await handover(alsoOurs, UTR, AMS);
    await handover(ours, AMS, UTR);

    const read = await access.readMany(person(AMS), [ours, theirs, alsoOurs, randomUUID()]);

    expect(read.map((c) => c.caseId).sort()).toEqual([ours, alsoOurs].sort());
    for (const view of read) {
      const alone = await access.read(person(AMS), view.caseId);
      expect(view.events).toEqual(alone.events);
      expect(view.facts).toEqual(alone.facts);
    }
    await expect(access.read(person(AMS), theirs)).rejects.toMatchObject({ problem: { status: 404 } });
    expect(
      (await access.readMany(person('inspectie-gezondheidszorg-en-jeugd', 'inspector'), [ours, theirs]))
        .map((c) => c.caseId)
        .sort(),
    ).toEqual([ours, theirs].sort());
    expect(await access.readMany(person(AMS), [])).toEqual([]);
  });
});
