import type { NoticeEvent } from './notice.events';
import { escalationOfFailedNotice, noticeCauseOf, noticesOfCase, stepSettled } from './notice.rules';

const escalated = (repeat: number, reason = 'receipt-overdue') => ({
  eventId: 'e-1',
  type: 'HandoverEscalated',
  data: {
    handoverId: 'h-1',
    caseId: 'case-1',
    level: 1,
    reason,
    dueAt: '2026-11-20T09:00:00Z',
    repeat,
    recipients: [
      { organisation: 'vt-kennemerland', role: 'team-lead', title: 'Teamleider' },
      { organisation: 'vt-amsterdam-amstelland', role: 'team-lead', title: 'Teamleider' },
    ],
    responsibleOrg: 'vt-kennemerland',
    escalatedAt: '2026-11-20T09:00:01Z',
  },
});

const recipient = {
  organisation: 'vt-kennemerland',
  role: 'team-lead' as const,
  contactPointId: 'cp-1',
  contactPointVersion: 1,
  channel: 'email' as const,
  address: 'teamleiding@vt-kennemerland.example',
};
const ids = {
  noticeId: 'n-1',
  caseId: 'case-1',
  causeEventId: 'e-1',
  causeType: 'HandoverEscalated' as const,
  handoverId: 'h-1',
  level: 1 as const,
  recipient,
};

describe('notice rules', () => {
  it('given an escalation, when its cause is taken, then it names the recipients, reason, deadline and who is responsible', () => {
    expect(noticeCauseOf(escalated(0))).toMatchObject({
      causeEventId: 'e-1',
      causeType: 'HandoverEscalated',
      level: 1,
      reason: 'receipt-overdue',
      dueAt: '2026-11-20T09:00:00Z',
      responsibleOrg: 'vt-kennemerland',
      recipients: [{ organisation: 'vt-kennemerland' }, { organisation: 'vt-amsterdam-amstelland' }],
    });
  });

  it('given a stalled lead negotiation, when its escalation is taken, then it names the round, reason and recipients, and leaves who is responsible to the case', () => {
    const cause = noticeCauseOf({
      eventId: 'e-9',
      type: 'LeadNegotiationEscalated',
      data: {
        negotiationId: 'l-1',
        caseId: 'case-1',
        chain: 'safety',
        round: 1,
        level: 2,
        reason: 'silence',
        dueAt: '2026-11-20T09:00:00Z',
        repeat: 0,
        recipients: [{ organisation: 'politie-amsterdam', role: 'manager', title: 'Districtschef' }],
        escalatedAt: '2026-11-21T09:00:00Z',
      },
    });
    expect(cause).toMatchObject({
      causeType: 'LeadNegotiationEscalated',
      negotiationId: 'l-1',
      round: 1,
      level: 2,
      reason: 'silence',
    });
    expect(cause?.responsibleOrg).toBeUndefined();
  });

  it('given a contact failure (recorded with its own escalation) or a top-level reminder, when causes are taken, then neither causes a notice of its own', () => {
    expect(
      noticeCauseOf({ eventId: 'e-0', type: 'HandoverContactFailed', data: { handoverId: 'h-1', caseId: 'case-1' } }),
    ).toBeUndefined();
    expect(noticeCauseOf(escalated(2))).toBeUndefined();
    expect(noticeCauseOf({ eventId: 'e-3', type: 'HandoverReceived', data: {} })).toBeUndefined();
  });

  it('given a failed notice below the top, when it escalates, then the next rung of the same organisation is told; at the top nobody is', () => {
    const subject = noticeCauseOf(escalated(0))!;
    const failed = { ...ids, attempts: 8, lastError: 'HTTP 503', failedAt: '2026-11-20T10:00:00Z' };
    expect(escalationOfFailedNotice('f-1', failed, subject, (_org, level) => `title ${level}`)).toMatchObject({
      causeEventId: 'f-1',
      causeType: 'NoticeFailed',
      level: 2,
      reason: 'receipt-overdue',
      recipients: [{ organisation: 'vt-kennemerland', role: 'manager', title: 'title 2' }],
    });
    expect(escalationOfFailedNotice('f-2', { ...failed, level: 3 }, subject, () => 'x')).toBeUndefined();
  });

  it.each([
    ['receipt-overdue', 'HandoverReceived', true],
    ['start-overdue', 'HandoverReceived', false],
    ['start-overdue', 'HandoverStarted', true],
    ['contact-failed', 'HandoverWithdrawn', true],
  ])('given a notice about %s, when %s is recorded, then the step counts as settled: %s', (reason, type, settled) => {
    const subject = { caseId: 'case-1', handoverId: 'h-1', reason: reason as 'receipt-overdue' };
    expect(stepSettled(subject, [{ type, data: { handoverId: 'h-1' } }])).toBe(settled);
    expect(stepSettled(subject, [{ type, data: { handoverId: 'another' } }])).toBe(false);
  });

  it('given a stalled lead negotiation, when a lead is agreed in that round or decided later, then it is settled; an older round does not count', () => {
    const subject = { caseId: 'case-1', negotiationId: 'l-1', round: 2, reason: 'silence' as const };
    expect(stepSettled(subject, [{ type: 'LeadAgreed', data: { negotiationId: 'l-1', round: 1 } }])).toBe(false);
    expect(stepSettled(subject, [{ type: 'LeadAgreed', data: { negotiationId: 'l-1', round: 2 } }])).toBe(true);
    expect(stepSettled(subject, [{ type: 'LeadDecided', data: { negotiationId: 'l-1', round: 3 } }])).toBe(true);
  });

  it('given attempts, a delivery, a repeat and an acknowledgement, when folded, then the notice shows each', () => {
    const events: NoticeEvent[] = [
      {
        type: 'NoticeAttemptFailed',
        data: { ...ids, attempt: 1, error: 'refused', nextAttemptAt: 'x', failedAt: 'y' },
      },
      { type: 'NoticeSent', data: { ...ids, attempt: 2, repeat: 0, subject: 'S', sentAt: '2026-11-20T10:00:00Z' } },
      { type: 'NoticeSent', data: { ...ids, attempt: 1, repeat: 1, subject: 'S', sentAt: '2026-11-21T10:00:00Z' } },
      {
        type: 'NoticeAcknowledged',
        data: {
          noticeId: 'n-1',
          caseId: 'case-1',
          acknowledgedBy: { subject: 'contact-point:cp-1', organisation: 'vt-kennemerland', role: 'team-lead' },
          acknowledgedAt: '2026-11-21T11:00:00Z',
        },
      },
    ];
    expect(noticesOfCase(events)).toEqual([
      expect.objectContaining({
        noticeId: 'n-1',
        status: 'sent',
        attempts: 3,
        deliveries: 2,
        firstSentAt: '2026-11-20T10:00:00Z',
        acknowledged: { by: expect.objectContaining({ subject: 'contact-point:cp-1' }), at: '2026-11-21T11:00:00Z' },
      }),
    ]);
  });
});
