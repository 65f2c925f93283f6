import type { HandoverEvent } from '../handover/handover.events';
import { type CommandRefused } from '../shared/command-refused';
import { type CaseEvent, decideKeepCase, unresolvedHandover } from './case.decisions';
import { unresolvedFollowUps } from './case.follow-ups';

const ev = (type: string, data: Record<string, unknown>) =>
  ({ type, data: { caseId: 'case-1', ...data } }) as unknown as HandoverEvent;
const requested = (id: string) =>
  ev('HandoverRequested', {
    handoverId: id,
    fromOrg: 'vt-kennemerland',
    toOrg: 'vt-amsterdam-amstelland',
    childIds: ['child-1'],
    requestedAt: `2026-11-${id === 'h-1' ? '19' : '21'}T10:00:00Z`,
  });
const rejected = (id: string) =>
  ev('HandoverRejected', { handoverId: id, reason: 'no capacity', rejectedAt: '2026-11-20T10:00:00Z' });
const sender = { subject: 's', organisation: 'vt-kennemerland', role: 'professional' };
const keep = (events: CaseEvent[], actor = sender) =>
  decideKeepCase(
    { actor, caseId: 'case-1', reason: 'We continue the help ourselves.', now: '2026-11-21T09:00:00Z' },
    events,
  );

describe('unresolved handovers and the decision to keep a case', () => {
  it('given a rejected handover, when nothing else happened, then the case shows it as unresolved, for the sender to resolve', () => {
    expect(unresolvedHandover([requested('h-1'), rejected('h-1')])).toMatchObject({
      handoverId: 'h-1',
      status: 'rejected',
      sender: 'vt-kennemerland',
    });
  });

  it('given a rejection followed by a new request, when asked, then nothing is unresolved', () => {
    expect(unresolvedHandover([requested('h-1'), rejected('h-1'), requested('h-2')])).toBeUndefined();
  });

  it('given a rejection, when the sender records that it keeps the case, then it is resolved', () => {
    const events: CaseEvent[] = [requested('h-1'), rejected('h-1')];
    const decision = keep(events);
    expect(decision).toMatchObject({
      type: 'CaseKeptBySender',
      data: { organisation: 'vt-kennemerland', handoverId: 'h-1' },
    });
    expect(unresolvedHandover([...events, decision])).toBeUndefined();
  });

  it('given a rejection, when the receiver tries to record a keep decision, then it is forbidden', () => {
    const refused = (() => {
      try {
        keep([requested('h-1'), rejected('h-1')], { ...sender, organisation: 'vt-amsterdam-amstelland' });
      } catch (e) {
        return e as CommandRefused;
      }
      return undefined;
    })();
    expect(refused?.code).toBe('forbidden');
  });

  it('given no unresolved handover, when a keep decision is recorded, then it is refused as wrong state', () => {
    expect(() => keep([requested('h-1')])).toThrow(/nothing to keep/);
  });
});

describe('the follow-up deadline of a rejected or withdrawn handover (R2a)', () => {
  const requestedWith = (id: string, followUp?: number | string) =>
    ev('HandoverRequested', {
      handoverId: id,
      fromOrg: 'vt-kennemerland',
      toOrg: 'vt-amsterdam-amstelland',
      childIds: [`child-${id}`],
      requestedAt: '2026-11-16T10:00:00Z',
      deadlines: { receipt: 1, start: 10, escalationInterval: 1, ...(followUp === undefined ? {} : { followUp }) },
    });
  // Friday 20 November 2026, 10:00 UTC.
  const closed = (id: string, type = 'HandoverRejected') =>
    ev(type, {
      handoverId: id,
      reason: 'no capacity',
      [type === 'HandoverRejected' ? 'rejectedAt' : 'withdrawnAt']: '2026-11-20T10:00:00.000Z',
    });
  const escalated = (id: string, level: number, reason = 'follow-up-overdue') =>
    ev('HandoverEscalated', { handoverId: id, level, reason, repeat: 0, escalatedAt: '2026-11-25T10:00:00.000Z' });

  it('given a handover rejected on a Friday with a follow-up of 2 working days, then the sender must decide by Tuesday, at level 0 until it escalates', () => {
    expect(unresolvedFollowUps([requestedWith('h-1', 2), closed('h-1')])).toEqual([
      expect.objectContaining({ handoverId: 'h-1', status: 'rejected', dueAt: '2026-11-24T10:00:00.000Z', level: 0 }),
    ]);
  });

  it('given a withdrawn handover requested without a follow-up, then the default of 5 working days counts; a follow-up escalation sets the level, another escalation does not', () => {
    expect(
      unresolvedFollowUps([
        requestedWith('h-1'),
        escalated('h-1', 1, 'receipt-overdue'),
        closed('h-1', 'HandoverWithdrawn'),
        escalated('h-1', 2),
      ]),
    ).toEqual([
      expect.objectContaining({ handoverId: 'h-1', status: 'withdrawn', dueAt: '2026-11-27T10:00:00.000Z', level: 2 }),
    ]);
    expect(unresolvedFollowUps([requestedWith('h-1'), escalated('h-1', 1, 'receipt-overdue'), closed('h-1')])).toEqual([
      expect.objectContaining({ level: 0 }),
    ]);
  });

  it('given a demo duration, then the deadline is that long after the rejection; once the sender decided, nothing is due', () => {
    const events: CaseEvent[] = [requestedWith('h-1', 'PT20S'), closed('h-1')];
    expect(unresolvedFollowUps(events)).toEqual([expect.objectContaining({ dueAt: '2026-11-20T10:00:20.000Z' })]);
    expect(unresolvedFollowUps([...events, keep(events)])).toEqual([]);
  });
});
