import { findOrganisation } from '../organisations/directory';
import type { NoticeEvent } from './notice.events';
import {
  escalationOfFailedNotice,
  mayCauseNotice,
  noticeCauseOf,
  noticesOfCase,
  responsibleForNotice,
  stepSettled,
} from './notice.rules';

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

/** A handover between two organisations of the directory, as the case's events hold it. */
function requested(handoverId: string, fromOrg: string, toOrg: string, childIds: string[], requestedAt: string) {
  return {
    eventId: `req-${handoverId}`,
    type: 'HandoverRequested',
    data: {
      handoverId,
      caseId: 'case-1',
      childIds,
      fromOrg,
      toOrg,
      reason: 'family-moved',
      safetyAgreementRefs: [],
      deadlines: { receipt: 1, start: 10, escalationInterval: 1 },
      receiptDueAt: '2026-11-21T09:00:00Z',
      startDueAt: '2026-12-04T09:00:00Z',
      ladders: {
        directoryVersion: 'test',
        from: findOrganisation(fromOrg)!.ladder,
        to: findOrganisation(toOrg)!.ladder,
      },
      requestedAt,
    },
  };
}
const started = (handoverId: string, fromOrg: string, toOrg: string, at: string) => ({
  eventId: `start-${handoverId}`,
  type: 'HandoverStarted',
  data: { handoverId, caseId: 'case-1', fromOrg, toOrg, startedAt: at, startedBy: 'p-1', confirmedAt: at },
});
const KENNEMERLAND = 'vt-kennemerland';
const AMSTERDAM = 'vt-amsterdam-amstelland';

describe('notice rules: nothing goes silent', () => {
  const request = requested('h-1', KENNEMERLAND, AMSTERDAM, ['c-1', 'c-2'], '2026-11-20T09:00:00Z');

  it("given a handover request, when its cause is taken, then the receiver's intake rung (professional, level 0) is told once, with the receipt deadline", () => {
    expect(mayCauseNotice(request)).toBe(true);
    expect(noticeCauseOf(request)).toEqual({
      causeEventId: 'req-h-1',
      causeType: 'HandoverRequested',
      caseId: 'case-1',
      handoverId: 'h-1',
      reason: 'handover-arrived',
      dueAt: '2026-11-21T09:00:00Z',
      level: 0,
      occurredAt: '2026-11-20T09:00:00Z',
      recipients: [
        { organisation: AMSTERDAM, role: 'professional', title: findOrganisation(AMSTERDAM)!.ladder[0]!.title },
      ],
    });
  });

  it.each([
    ['HandoverReceived', { receivedAt: '2026-11-20T10:00:00Z' }, 'handover-received', {}],
    [
      'HandoverAccepted',
      { plannedStartDate: '2026-11-25', acceptedAt: '2026-11-20T10:00:00Z' },
      'handover-accepted',
      { plannedStartDate: '2026-11-25' },
    ],
    ['HandoverRejected', { reason: 'not ours', rejectedAt: '2026-11-20T10:00:00Z' }, 'handover-rejected', {}],
    [
      'HandoverStarted',
      {
        fromOrg: KENNEMERLAND,
        toOrg: AMSTERDAM,
        startedAt: '2026-11-19T08:00:00Z',
        startedBy: 'p',
        confirmedAt: '2026-11-20T10:00:00Z',
      },
      'handover-started',
      { startedAt: '2026-11-19T08:00:00Z' },
    ],
  ])(
    "given a handover step %s, when its cause is taken with the case, then the sender's professional rung is told",
    (type, data, reason, extra) => {
      const event = { eventId: 'step-1', type, data: { handoverId: 'h-1', caseId: 'case-1', ...data } };
      expect(mayCauseNotice(event)).toBe(true);
      expect(noticeCauseOf(event, [request])).toEqual({
        causeEventId: 'step-1',
        causeType: type,
        caseId: 'case-1',
        handoverId: 'h-1',
        reason,
        ...extra,
        level: 0,
        occurredAt: '2026-11-20T10:00:00Z',
        recipients: [
          { organisation: KENNEMERLAND, role: 'professional', title: findOrganisation(KENNEMERLAND)!.ladder[0]!.title },
        ],
      });
      // Without the request the sender is unknown: no notice rather than a guess.
      expect(noticeCauseOf(event, [])).toBeUndefined();
    },
  );

  it('given a withdrawal, when causes are taken, then the sender that withdrew is not told of its own step', () => {
    const withdrawn = { eventId: 'w-1', type: 'HandoverWithdrawn', data: { handoverId: 'h-1', caseId: 'case-1' } };
    expect(mayCauseNotice(withdrawn)).toBe(false);
    expect(noticeCauseOf(withdrawn, [request])).toBeUndefined();
  });

  it('given a lead-area mismatch, when its cause is taken, then the care lead, the safety lead and the municipality are each told at their professional rung', () => {
    const mismatch = {
      eventId: 'm-1',
      type: 'LeadRegionMismatch',
      data: {
        caseId: 'case-1',
        careLead: KENNEMERLAND,
        careLeadPoliceUnit: 'politie-noord-holland',
        safetyLead: 'politie-amsterdam',
        recipients: [KENNEMERLAND, 'politie-amsterdam', 'gemeente-haarlemmermeer'].map((organisation) => ({
          organisation,
          role: 'professional',
        })),
        suggestedAction: 'renegotiate',
        detectedAt: '2026-11-20T12:00:00Z',
      },
    };
    const cause = noticeCauseOf(mismatch);
    expect(cause).toMatchObject({
      causeType: 'LeadRegionMismatch',
      reason: 'lead-region-mismatch',
      careLead: KENNEMERLAND,
      safetyLead: 'politie-amsterdam',
      level: 0,
      occurredAt: '2026-11-20T12:00:00Z',
    });
    expect(cause?.recipients.map((r) => [r.organisation, r.role])).toEqual([
      [KENNEMERLAND, 'professional'],
      ['politie-amsterdam', 'professional'],
      ['gemeente-haarlemmermeer', 'professional'],
    ]);
    expect(cause?.recipients[2]?.title).toBe(findOrganisation('gemeente-haarlemmermeer')!.ladder[0]!.title);
  });

  it('given an informational notice, when asked whether its step is settled, then it always is: it never repeats', () => {
    for (const reason of ['handover-arrived', 'handover-started', 'lead-region-mismatch'] as const)
      expect(stepSettled({ caseId: 'case-1', handoverId: 'h-1', reason }, [])).toBe(true);
  });

  describe('a follow-up after a rejection or withdrawal (R2a)', () => {
    const subject = { caseId: 'case-1', handoverId: 'h-1', reason: 'follow-up-overdue' as const };
    const rejected = {
      type: 'HandoverRejected',
      data: { handoverId: 'h-1', caseId: 'case-1', reason: 'x', rejectedAt: '2026-11-21T09:00:00Z' },
    };

    it('given a rejected handover without a decision, when asked, then it is not settled, although the handover itself is closed', () => {
      expect(stepSettled(subject, [request, rejected])).toBe(false);
    });

    it('given the sender records that it keeps the case, when asked, then it is settled', () => {
      const kept = {
        type: 'CaseKeptBySender',
        data: {
          caseId: 'case-1',
          organisation: KENNEMERLAND,
          handoverId: 'h-1',
          reason: 'r',
          decidedAt: '2026-11-22T09:00:00Z',
        },
      };
      expect(stepSettled(subject, [request, rejected, kept])).toBe(true);
    });

    it('given a new handover of only one of the two children, when asked, then it is not settled; of both, it is', () => {
      const one = requested('h-2', KENNEMERLAND, 'vt-utrecht', ['c-1'], '2026-11-22T09:00:00Z');
      const other = requested('h-3', KENNEMERLAND, 'vt-utrecht', ['c-2'], '2026-11-22T10:00:00Z');
      expect(stepSettled(subject, [request, rejected, one])).toBe(false);
      expect(stepSettled(subject, [request, rejected, one, other])).toBe(true);
    });
  });

  describe('who a notice names as responsible', () => {
    it("given siblings handed over separately, when a notice about one handover is named, then it names who holds that handover's children now, from the case", () => {
      const first = requested('h-1', KENNEMERLAND, AMSTERDAM, ['c-1'], '2026-11-20T09:00:00Z');
      const second = requested('h-2', KENNEMERLAND, 'vt-utrecht', ['c-2'], '2026-11-20T09:05:00Z');
      const both = requested('h-3', KENNEMERLAND, 'vt-flevoland', ['c-1', 'c-2'], '2026-11-20T09:10:00Z');
      const events = [first, second, both, started('h-1', KENNEMERLAND, AMSTERDAM, '2026-11-21T09:00:00Z')];
      expect(responsibleForNotice({ handoverId: 'h-1' }, events)).toEqual([AMSTERDAM]);
      expect(responsibleForNotice({ handoverId: 'h-2' }, events)).toEqual([KENNEMERLAND]);
      expect(responsibleForNotice({ handoverId: 'h-3' }, events)).toEqual([AMSTERDAM, KENNEMERLAND]);
      expect(responsibleForNotice({}, events)).toEqual([AMSTERDAM, KENNEMERLAND]);
    });

    it('given an escalation that copied a responsible organisation, when care started since, then the notice names the new one, not the copy', () => {
      const events = [request, started('h-1', KENNEMERLAND, AMSTERDAM, '2026-11-21T09:00:00Z')];
      expect(noticeCauseOf(escalated(0))?.responsibleOrg).toBe(KENNEMERLAND);
      expect(responsibleForNotice({ handoverId: 'h-1' }, events)).toEqual([AMSTERDAM]);
    });
  });
});
