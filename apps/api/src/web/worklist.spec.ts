import type { Actor } from '@warm-handover/contracts';
import type { CaseState, HandoverView, NoticeSummary } from '@warm-handover/domain';
import { byUrgency, type WorkItem, worklistOf } from './worklist';

const NOW = '2026-03-10T12:00:00.000Z';
const HOUR = 3_600_000;

function item(overrides: Partial<WorkItem> & Pick<WorkItem, 'handoverId'>): WorkItem {
  return {
    kind: 'incoming',
    caseId: 'case-1',
    status: 'requested',
    childIds: [],
    lateMs: 0,
    level: 0,
    since: '2026-03-01T00:00:00.000Z',
    ...overrides,
  };
}

function handover(overrides: Partial<HandoverView>): HandoverView {
  return {
    handoverId: 'h',
    caseId: 'case-1',
    childIds: ['child-1a'],
    fromOrg: 'vt-kennemerland',
    toOrg: 'vt-amsterdam-amstelland',
    reason: 'family-moved',
    status: 'requested',
    open: true,
    responsibleOrg: 'vt-kennemerland',
    requestedAt: '2026-03-09T09:00:00.000Z',
    deadlines: { receiptDueAt: '2026-03-10T09:00:00.000Z', startDueAt: '2026-03-20T09:00:00.000Z' },
    escalation: { level: 0, repeat: 0 },
    contactFailures: 0,
    version: 1,
    ...overrides,
  };
}

function caseState(openHandovers: HandoverView[], notices: NoticeSummary[] = []): CaseState {
  return {
    caseId: 'case-1',
    at: NOW,
    asRecordedAt: NOW,
    basis: 'effective-time',
    events: { recorded: 1, inEffect: 1 },
    children: [],
    chains: {},
    openHandovers,
    notices,
  };
}

const professional = (organisation: string): Actor => ({ subject: 'ps-1', organisation, role: 'professional' });

describe('byUrgency (the order of "Mijn werk")', () => {
  it('given late and on-time items, then the late ones come first, the higher escalation level first, then the later', () => {
    const onTimeSoon = item({ handoverId: 'on-time-soon', dueAt: '2026-03-10T13:00:00.000Z' });
    const onTimeLater = item({ handoverId: 'on-time-later', dueAt: '2026-03-11T13:00:00.000Z' });
    const lateLevel0Long = item({ handoverId: 'late-0-long', lateMs: 30 * HOUR, level: 0 });
    const lateLevel1Short = item({ handoverId: 'late-1-short', lateMs: HOUR, level: 1 });
    const lateLevel1Long = item({ handoverId: 'late-1-long', lateMs: 5 * HOUR, level: 1 });
    const noDeadline = item({ handoverId: 'no-deadline', kind: 'decision' });
    const sorted = [noDeadline, onTimeLater, lateLevel0Long, onTimeSoon, lateLevel1Short, lateLevel1Long].sort(
      byUrgency,
    );
    expect(sorted.map((i) => i.handoverId)).toEqual([
      'late-1-long',
      'late-1-short',
      'late-0-long',
      'on-time-soon',
      'on-time-later',
      'no-deadline',
    ]);
  });

  it('given an acknowledged escalation at a higher level and an open one, then the open one comes first', () => {
    const acknowledged = item({
      handoverId: 'ack',
      kind: 'escalation',
      level: 3,
      lateMs: 9 * HOUR,
      acknowledged: true,
    });
    const open = item({ handoverId: 'open', kind: 'escalation', level: 1, lateMs: HOUR, acknowledged: false });
    expect([acknowledged, open].sort(byUrgency).map((i) => i.handoverId)).toEqual(['open', 'ack']);
  });

  it('given two items alike but for when they began, then the older comes first', () => {
    const newer = item({ handoverId: 'newer', since: '2026-03-05T00:00:00.000Z' });
    const older = item({ handoverId: 'older', since: '2026-03-02T00:00:00.000Z' });
    expect([newer, older].sort(byUrgency).map((i) => i.handoverId)).toEqual(['older', 'newer']);
  });
});

describe('worklistOf', () => {
  const overdueIncoming = handover({
    handoverId: 'incoming-late',
    pending: { step: 'receipt', dueAt: '2026-03-10T09:00:00.000Z', overdue: true },
    escalation: { level: 1, repeat: 0 },
  });
  const sentOnTime = handover({
    handoverId: 'sent-on-time',
    fromOrg: 'vt-amsterdam-amstelland',
    toOrg: 'vt-kennemerland',
    pending: { step: 'receipt', dueAt: '2026-03-11T09:00:00.000Z', overdue: false },
  });
  const elsewhere = handover({ handoverId: 'not-ours', fromOrg: 'politie-amsterdam', toOrg: 'politie-noord-holland' });

  it('given a professional of the receiver, then incoming and sent handovers of the organisation are listed, late first, with how late', () => {
    const items = worklistOf(
      professional('vt-amsterdam-amstelland'),
      [{ caseId: 'case-1', state: caseState([sentOnTime, overdueIncoming, elsewhere]), unresolved: [] }],
      NOW,
    );
    expect(items.map((i) => [i.kind, i.handoverId, i.lateMs, i.level])).toEqual([
      ['incoming', 'incoming-late', 3 * HOUR, 1],
      ['sent', 'sent-on-time', 0, 0],
    ]);
  });

  it('given a rejected handover the sender has not decided on, then it is on the sender’s list only', () => {
    const unresolved = [
      {
        handoverId: 'rejected-1',
        status: 'rejected' as const,
        closedAt: '2026-03-09T10:00:00.000Z',
        reason: 'no-capacity',
        sender: 'vt-kennemerland',
        dueAt: '2026-03-16T10:00:00.000Z',
        level: 0 as const,
      },
    ];
    const state = caseState([]);
    expect(worklistOf(professional('vt-kennemerland'), [{ caseId: 'case-1', state, unresolved }], NOW)).toEqual([
      expect.objectContaining({ kind: 'decision', handoverId: 'rejected-1', status: 'rejected' }),
    ]);
    expect(worklistOf(professional('vt-amsterdam-amstelland'), [{ caseId: 'case-1', state, unresolved }], NOW)).toEqual(
      [],
    );
  });

  it('given a rejected handover whose follow-up deadline passed and escalated, then the sender’s list shows its deadline, how late and its level, ahead of what is on time', () => {
    const unresolved = [
      {
        handoverId: 'rejected-late',
        status: 'rejected' as const,
        closedAt: '2026-03-02T10:00:00.000Z',
        reason: 'no-capacity',
        sender: 'vt-kennemerland',
        dueAt: '2026-03-09T10:00:00.000Z',
        level: 1 as const,
      },
      {
        handoverId: 'withdrawn-on-time',
        status: 'withdrawn' as const,
        closedAt: '2026-03-09T10:00:00.000Z',
        reason: 'moved',
        sender: 'vt-kennemerland',
        dueAt: '2026-03-16T10:00:00.000Z',
        level: 0 as const,
      },
    ];
    const items = worklistOf(
      professional('vt-kennemerland'),
      [{ caseId: 'case-1', state: caseState([sentOnTime]), unresolved }],
      NOW,
    );
    expect(items.map((i) => [i.kind, i.handoverId, i.dueAt, i.lateMs > 0, i.level])).toEqual([
      ['decision', 'rejected-late', '2026-03-09T10:00:00.000Z', true, 1],
      ['incoming', 'sent-on-time', '2026-03-11T09:00:00.000Z', false, 0],
      ['decision', 'withdrawn-on-time', '2026-03-16T10:00:00.000Z', false, 0],
    ]);
  });

  it('given escalation notices, then a team lead sees those to the team lead of the organisation, open before acknowledged, and no informational ones', () => {
    const notice = (noticeId: string, overrides: Partial<NoticeSummary>): NoticeSummary => ({
      noticeId,
      causeType: 'HandoverEscalated',
      handoverId: 'incoming-late',
      level: 1,
      recipient: { organisation: 'vt-amsterdam-amstelland', role: 'team-lead', channel: 'email' },
      status: 'sent',
      attempts: 1,
      sentAt: '2026-03-10T09:05:00.000Z',
      ...overrides,
    });
    const state = caseState(
      [overdueIncoming],
      [
        notice('acknowledged', { status: 'acknowledged', level: 2 }),
        notice('open', {}),
        notice('other-rung', {
          recipient: { organisation: 'vt-amsterdam-amstelland', role: 'manager', channel: 'email' },
        }),
        notice('other-org', { recipient: { organisation: 'vt-kennemerland', role: 'team-lead', channel: 'email' } }),
        notice('informational', { causeType: 'HandoverRequested' }),
      ],
    );
    const teamLead: Actor = { subject: 'ps-2', organisation: 'vt-amsterdam-amstelland', role: 'team-lead' };
    const items = worklistOf(teamLead, [{ caseId: 'case-1', state, unresolved: [] }], NOW);
    expect(items.map((i) => [i.noticeId, i.acknowledged, i.lateMs])).toEqual([
      ['open', false, 3 * HOUR],
      ['acknowledged', true, 3 * HOUR],
    ]);
    expect(
      worklistOf(professional('vt-amsterdam-amstelland'), [{ caseId: 'case-1', state, unresolved: [] }], NOW),
    ).toEqual([expect.objectContaining({ kind: 'incoming' })]);
  });
});
