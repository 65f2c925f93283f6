import type { HandoverEvent } from './handover.events';
import { responsibleAt, responsibilityTimeline } from './responsibility.projection';

const requested = (handoverId: string, fromOrg: string, toOrg: string, requestedAt: string): HandoverEvent =>
  ({ type: 'HandoverRequested', data: { handoverId, caseId: 'case-1', fromOrg, toOrg, requestedAt } }) as HandoverEvent;
const started = (handoverId: string, fromOrg: string, toOrg: string, startedAt: string): HandoverEvent => ({
  type: 'HandoverStarted',
  data: { handoverId, caseId: 'case-1', fromOrg, toOrg, startedAt, startedBy: 'p', confirmedAt: startedAt },
});
const rejected = (handoverId: string, at: string): HandoverEvent => ({
  type: 'HandoverRejected',
  data: { handoverId, caseId: 'case-1', reason: 'no capacity', rejectedAt: at },
});

describe('responsibility timeline of a case', () => {
  const events = [
    requested('h-1', 'vt-kennemerland', 'vt-amsterdam-amstelland', '2026-11-02T09:00:00Z'),
    rejected('h-1', '2026-11-03T09:00:00Z'),
    requested('h-2', 'vt-kennemerland', 'vt-amsterdam-amstelland', '2026-11-04T09:00:00Z'),
    started('h-2', 'vt-kennemerland', 'vt-amsterdam-amstelland', '2026-11-10T13:00:00Z'),
    requested('h-3', 'vt-amsterdam-amstelland', 'gemeente-amsterdam', '2026-11-20T09:00:00Z'),
  ];
  const timeline = responsibilityTimeline('case-1', events);

  it('given a rejection and a later started handover, when the timeline is built, then the sender stayed responsible until care started', () => {
    expect(timeline.periods).toEqual([
      {
        organisation: 'vt-kennemerland',
        since: '2026-11-02T09:00:00Z',
        until: '2026-11-10T13:00:00Z',
        reason: 'first-known-as-sender',
        handoverId: 'h-1',
      },
      {
        organisation: 'vt-amsterdam-amstelland',
        since: '2026-11-10T13:00:00Z',
        reason: 'care-started-after-handover',
        handoverId: 'h-2',
      },
    ]);
  });

  it.each([
    ['2026-11-02T09:00:00Z', 'vt-kennemerland'],
    ['2026-11-03T12:00:00Z', 'vt-kennemerland'], // after the rejection: still the sender (R2)
    ['2026-11-10T12:59:59Z', 'vt-kennemerland'], // accepted but not started: still the sender (R1)
    ['2026-11-10T13:00:00Z', 'vt-amsterdam-amstelland'],
    ['2026-11-21T00:00:00Z', 'vt-amsterdam-amstelland'], // a new open handover changes nothing yet
  ])('given the case, when asked who was responsible at %s, then it is %s', (at, organisation) => {
    expect(responsibleAt(timeline, at)?.organisation).toBe(organisation);
  });

  it('given a moment before the case was known, when asked, then there is no period (the API says the case was not yet known)', () => {
    expect(responsibleAt(timeline, '2026-11-01T00:00:00Z')).toBeUndefined();
  });
});
