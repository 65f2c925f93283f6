import type { CaseRecord } from '../case/case-record';
import { familyOverviewAt } from './family.overview';

const KEN = 'vt-kennemerland';
const GEM = 'gemeente-haarlemmermeer';
const rec = (type: string, data: Record<string, unknown>, recordedAt: string): CaseRecord => ({
  type,
  data: { caseId: 'case-9', ...data },
  recordedAt,
});

// The move happened on the 20th and was recorded on the 22nd; Kennemerland re-assessed on the 24th.
const records: CaseRecord[] = [
  rec(
    'CaseOpened',
    { openedBy: KEN, childIds: ['child-a'], openedAt: '2026-04-01T08:00:00.000Z' },
    '2026-04-01T08:00:00.000Z',
  ),
  rec(
    'PartyInvolved',
    { organisation: GEM, reason: 'municipality', involvedBy: KEN, involvedAt: '2026-04-02T08:00:00.000Z' },
    '2026-04-02T08:00:00.000Z',
  ),
  rec(
    'FamilyChangeRecorded',
    {
      changeId: 'chg-1',
      code: 'moved',
      occurredAt: '2026-04-20T08:00:00.000Z',
      recordedBy: GEM,
      recordedAt: '2026-04-22T08:00:00.000Z',
      reassessments: [{ organisation: KEN, dueAt: '2026-04-30T08:00:00.000Z', basis: 'working-days' }],
    },
    '2026-04-22T08:00:00.000Z',
  ),
  rec(
    'RiskReassessed',
    {
      organisation: KEN,
      outcome: 'unsafe-conditions-needed',
      documentRef: 'doc-1',
      assessedAt: '2026-04-24T08:00:00.000Z',
      answers: ['chg-1'],
    },
    '2026-04-24T08:00:00.000Z',
  ),
];

describe('the family overview at a moment, on both clocks', () => {
  it('given a move recorded two days late, when asked for the 21st today, then the change shows, re-assessment due; asked as recorded on the 21st, it does not', () => {
    const today = familyOverviewAt('case-9', records, {
      at: '2026-04-21T12:00:00Z',
      asRecordedAt: '2026-05-01T00:00:00Z',
    });
    expect(today.changes).toEqual([
      expect.objectContaining({
        changeId: 'chg-1',
        reassessed: false,
        reassessments: [expect.objectContaining({ state: 'due' })],
      }),
    ]);
    expect(today.organisations).toEqual([
      { organisation: KEN, bases: ['opened-the-case'], leads: [], responsibleFor: ['child-a'], caseDirector: false },
      {
        organisation: GEM,
        bases: ['involved-by-a-party'],
        reasons: ['municipality'],
        leads: [],
        responsibleFor: [],
        caseDirector: false,
      },
    ]);
    const then = familyOverviewAt('case-9', records, {
      at: '2026-04-21T12:00:00Z',
      asRecordedAt: '2026-04-21T12:00:00Z',
    });
    expect(then.changes).toEqual([]);
  });

  it('given the re-assessment on the 24th, when asked for the 25th, then the change is re-assessed with its outcome and reference', () => {
    const overview = familyOverviewAt('case-9', records, {
      at: '2026-04-25T00:00:00Z',
      asRecordedAt: '2026-04-25T00:00:00Z',
    });
    expect(overview.changes[0]).toMatchObject({
      reassessed: true,
      reassessments: [
        { organisation: KEN, state: 'reassessed', outcome: 'unsafe-conditions-needed', documentRef: 'doc-1' },
      ],
    });
    expect(overview.children).toEqual([{ childId: 'child-a', responsible: KEN, since: '2026-04-01T08:00:00.000Z' }]);
  });
});
