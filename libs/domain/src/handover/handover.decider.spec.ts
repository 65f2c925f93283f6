import type { EscalateHandover, HandoverCommand, RequestHandover } from './handover.commands';
import { ALLOWED_COMMANDS, decide } from './handover.decider';
import { CommandRefused, type RefusalCode } from '../shared/command-refused';
import type { FrozenLadders, HandoverEvent } from './handover.events';
import { foldHandover, type HandoverStatus } from './handover.state';

const NOW = '2026-11-23T09:00:00.000Z';
const ladder = (titles: [string, string, string, string]) =>
  (['professional', 'team-lead', 'manager', 'director'] as const).map((role, level) => ({
    level: level as 0 | 1 | 2 | 3,
    role,
    title: titles[level]!,
  }));
const LADDERS: FrozenLadders = {
  directoryVersion: 'test',
  from: ladder(['Jeugdprofessional', 'Teamleider', 'Manager', 'Bestuurder']),
  to: ladder(['Medewerker', 'Teamleider', 'Manager', 'Directeur']),
};
const sender = { subject: 'p-101', organisation: 'vt-kennemerland', role: 'professional' };
const receiver = { subject: 'p-202', organisation: 'vt-amsterdam-amstelland', role: 'professional' };
const outsider = { subject: 'p-303', organisation: 'vt-gooi-en-vechtstreek', role: 'professional' };
const system = { subject: 'system:timer', organisation: 'warm-handover', role: 'system' };

const request: RequestHandover = {
  type: 'RequestHandover',
  actor: sender,
  now: '2026-11-20T10:00:00.000Z',
  handoverId: 'h-1',
  caseId: 'case-1',
  childIds: ['child-a', 'child-b'],
  fromOrg: 'vt-kennemerland',
  toOrg: 'vt-amsterdam-amstelland',
  reason: 'family-moved',
  safetyAgreementRefs: ['sa-1'],
  riskAssessmentRef: 'ra-1',
  deadlines: { receipt: 1, start: 10, escalationInterval: 1 },
  receiptDueAt: '2026-11-23T10:00:00.000Z',
  startDueAt: '2026-12-04T10:00:00.000Z',
  ladders: LADDERS,
};

/** Events that bring a handover into each state. */
function historyFor(status: HandoverStatus): HandoverEvent[] {
  if (status === 'none') return [];
  const events = decide(request, foldHandover([]));
  const step = (command: HandoverCommand) => events.push(...decide(command, foldHandover(events)));
  if (status === 'rejected') step({ type: 'RejectHandover', actor: receiver, now: NOW, reason: 'no capacity' });
  if (status === 'withdrawn') step({ type: 'WithdrawHandover', actor: sender, now: NOW, reason: 'family stays' });
  if (['received', 'accepted', 'started'].includes(status))
    step({ type: 'AcknowledgeReceipt', actor: receiver, now: NOW });
  if (['accepted', 'started'].includes(status))
    step({ type: 'AcceptHandover', actor: receiver, now: NOW, plannedStartDate: '2026-11-30' });
  if (status === 'started')
    step({ type: 'ConfirmStart', actor: receiver, now: NOW, startedAt: NOW, startedBy: 'p-202' });
  return events;
}

/** A valid command of each type, by the organisation allowed to send it. */
const COMMANDS: Record<HandoverCommand['type'], HandoverCommand> = {
  RequestHandover: request,
  AcknowledgeReceipt: { type: 'AcknowledgeReceipt', actor: receiver, now: NOW },
  AcceptHandover: { type: 'AcceptHandover', actor: receiver, now: NOW, plannedStartDate: '2026-11-30' },
  RejectHandover: { type: 'RejectHandover', actor: receiver, now: NOW, reason: 'no capacity' },
  ConfirmStart: { type: 'ConfirmStart', actor: receiver, now: NOW, startedAt: NOW, startedBy: 'p-202' },
  ReportContactFailure: { type: 'ReportContactFailure', actor: receiver, now: NOW, reason: 'family did not show up' },
  WithdrawHandover: { type: 'WithdrawHandover', actor: sender, now: NOW, reason: 'family stays' },
  EscalateHandover: { type: 'EscalateHandover', actor: system, now: NOW, reason: 'receipt-overdue' },
};

const EXPECTED_EVENTS: Record<HandoverCommand['type'], HandoverEvent['type'][]> = {
  RequestHandover: ['HandoverRequested'],
  AcknowledgeReceipt: ['HandoverReceived'],
  AcceptHandover: ['HandoverAccepted'],
  RejectHandover: ['HandoverRejected'],
  ConfirmStart: ['HandoverStarted'],
  ReportContactFailure: ['HandoverContactFailed', 'HandoverEscalated'],
  WithdrawHandover: ['HandoverWithdrawn'],
  EscalateHandover: ['HandoverEscalated'],
};

function refusal(fn: () => unknown): CommandRefused {
  try {
    fn();
  } catch (error) {
    if (error instanceof CommandRefused) return error;
    throw error;
  }
  throw new Error('expected a refusal, but the command was accepted');
}

const STATUSES: HandoverStatus[] = ['none', 'requested', 'received', 'accepted', 'started', 'rejected', 'withdrawn'];

describe('handover decider', () => {
  describe('every command in every state', () => {
    const cases = STATUSES.flatMap((status) =>
      (Object.keys(COMMANDS) as HandoverCommand['type'][]).map((type) => [status, type] as const),
    );
    it.each(cases)('given a %s handover, when %s arrives from the right organisation', (status, type) => {
      const state = foldHandover(historyFor(status));
      let command = COMMANDS[type];
      // Escalation names the step that is overdue: receipt while requested, start after that,
      // and after a rejection or withdrawal the sender's missing decision (R2a).
      if (command.type === 'EscalateHandover' && status !== 'requested')
        command = {
          ...command,
          reason: status === 'rejected' || status === 'withdrawn' ? 'follow-up-overdue' : 'start-overdue',
        };
      if (ALLOWED_COMMANDS[status].includes(type)) {
        expect(decide(command, state).map((e) => e.type)).toEqual(EXPECTED_EVENTS[type]);
      } else {
        const refused = refusal(() => decide(command, state));
        expect(refused.code).toBe('wrong-state');
        expect(refused.details.status).toBe(status);
        expect(refused.message).toContain(`The handover is ${status}`);
      }
    });
  });

  describe('who may do what', () => {
    const receiverOnly = ['AcknowledgeReceipt', 'RejectHandover'] as const;
    it.each(receiverOnly)(
      'given a received handover, when the sender sends %s, then it is forbidden and names the receiver',
      (type) => {
        const state = foldHandover(historyFor(type === 'AcknowledgeReceipt' ? 'requested' : 'received'));
        const refused = refusal(() => decide({ ...COMMANDS[type], actor: sender }, state));
        expect(refused.code).toBe('forbidden');
        expect(refused.message).toContain('Only the receiving organisation (vt-amsterdam-amstelland)');
      },
    );

    it('given an accepted handover, when the sender confirms the start, then it is forbidden', () => {
      expect(
        refusal(() => decide({ ...COMMANDS.ConfirmStart, actor: sender }, foldHandover(historyFor('accepted')))).code,
      ).toBe('forbidden');
    });

    it('given a received handover, when the sender tries to accept it, then it is forbidden', () => {
      expect(
        refusal(() => decide({ ...COMMANDS.AcceptHandover, actor: sender }, foldHandover(historyFor('received')))).code,
      ).toBe('forbidden');
    });

    it('given a requested handover, when the receiver tries to withdraw it, then it is forbidden and names the sender', () => {
      const refused = refusal(() =>
        decide({ ...COMMANDS.WithdrawHandover, actor: receiver }, foldHandover(historyFor('requested'))),
      );
      expect(refused.code).toBe('forbidden');
      expect(refused.message).toContain('Only the sending organisation (vt-kennemerland)');
    });

    it('given a handover between two organisations, when a third organisation acts on it, then it is forbidden', () => {
      expect(
        refusal(() =>
          decide({ ...COMMANDS.AcknowledgeReceipt, actor: outsider }, foldHandover(historyFor('requested'))),
        ).code,
      ).toBe('forbidden');
    });

    it('given no handover, when an organisation requests one in another organisation’s name, then it is forbidden', () => {
      expect(refusal(() => decide({ ...request, actor: outsider }, foldHandover([]))).code).toBe('forbidden');
    });

    it('given any handover, when an inspector sends a command, then it is forbidden: inspectors only read', () => {
      const inspector = { subject: 'i-1', organisation: 'vt-amsterdam-amstelland', role: 'inspector' };
      expect(
        refusal(() =>
          decide({ ...COMMANDS.AcknowledgeReceipt, actor: inspector }, foldHandover(historyFor('requested'))),
        ).code,
      ).toBe('forbidden');
    });
  });

  describe('what a command must carry', () => {
    const invalid: [string, HandoverStatus, HandoverCommand, string][] = [
      [
        'a rejection without a reason',
        'requested',
        { ...COMMANDS.RejectHandover, reason: '  ' } as HandoverCommand,
        'reason',
      ],
      [
        'a withdrawal without a reason',
        'requested',
        { ...COMMANDS.WithdrawHandover, reason: '' } as HandoverCommand,
        'reason',
      ],
      [
        'a contact failure without a reason',
        'received',
        { ...COMMANDS.ReportContactFailure, reason: '' } as HandoverCommand,
        'reason',
      ],
      [
        'an acceptance with a date that does not exist',
        'received',
        { ...COMMANDS.AcceptHandover, plannedStartDate: '2026-02-30' } as HandoverCommand,
        'plannedStartDate',
      ],
      [
        'an acceptance planned before the request',
        'received',
        { ...COMMANDS.AcceptHandover, plannedStartDate: '2026-11-01' } as HandoverCommand,
        'plannedStartDate',
      ],
      [
        'a start in the future',
        'accepted',
        { ...COMMANDS.ConfirmStart, startedAt: '2026-11-24T09:00:00Z' } as HandoverCommand,
        'startedAt',
      ],
      [
        'a start before the request',
        'accepted',
        { ...COMMANDS.ConfirmStart, startedAt: '2026-11-19T09:00:00Z' } as HandoverCommand,
        'startedAt',
      ],
      [
        'a start at no time',
        'accepted',
        { ...COMMANDS.ConfirmStart, startedAt: 'yesterday' } as HandoverCommand,
        'startedAt',
      ],
      ['a request to the sender itself', 'none', { ...request, toOrg: 'vt-kennemerland' }, 'toOrg'],
      ['a request without children', 'none', { ...request, childIds: [] }, 'childIds'],
      [
        'a request whose start is due before its receipt',
        'none',
        { ...request, startDueAt: '2026-11-21T00:00:00Z' },
        'deadlines.start',
      ],
    ];
    it.each(invalid)(
      'given %s, when decided, then it is refused as invalid naming the field',
      (_what, status, command, field) => {
        const refused = refusal(() => decide(command, foldHandover(historyFor(status))));
        expect(refused.code).toBe<RefusalCode>('invalid');
        expect(refused.details.field).toBe(field);
      },
    );
  });

  describe('escalation up the ladder of both organisations', () => {
    it('given a requested handover past its receipt deadline, when escalated, then team leads of both organisations are the recipients and the sender stays responsible', () => {
      const [event] = decide(COMMANDS.EscalateHandover, foldHandover(historyFor('requested')));
      expect(event).toMatchObject({
        type: 'HandoverEscalated',
        data: {
          level: 1,
          reason: 'receipt-overdue',
          dueAt: request.receiptDueAt,
          repeat: 0,
          responsibleOrg: 'vt-kennemerland',
          recipients: [
            { organisation: 'vt-kennemerland', role: 'team-lead', title: 'Teamleider' },
            { organisation: 'vt-amsterdam-amstelland', role: 'team-lead', title: 'Teamleider' },
          ],
        },
      });
    });

    it('given repeated misses, when escalated five times, then it climbs to the director and then keeps reminding the directors', () => {
      const events = historyFor('requested');
      for (let i = 0; i < 5; i++) events.push(...decide(COMMANDS.EscalateHandover, foldHandover(events)));
      const escalations = events
        .filter((e) => e.type === 'HandoverEscalated')
        .map((e) => [e.data.level, e.data.repeat]);
      expect(escalations).toEqual([
        [1, 0],
        [2, 0],
        [3, 0],
        [3, 1],
        [3, 2],
      ]);
      const last = events.at(-1)!;
      expect(last.type === 'HandoverEscalated' && last.data.recipients.map((r) => r.title)).toEqual([
        'Bestuurder',
        'Directeur',
      ]);
    });

    it('given an escalated receipt, when receipt is acknowledged, then the start step climbs its own ladder from the bottom again', () => {
      const events = historyFor('requested');
      events.push(...decide(COMMANDS.EscalateHandover, foldHandover(events)));
      events.push(...decide(COMMANDS.EscalateHandover, foldHandover(events)));
      events.push(...decide(COMMANDS.AcknowledgeReceipt, foldHandover(events)));
      const [next] = decide(
        { ...(COMMANDS.EscalateHandover as EscalateHandover), reason: 'start-overdue' },
        foldHandover(events),
      );
      expect(next).toMatchObject({ data: { level: 1, reason: 'start-overdue', dueAt: request.startDueAt } });
    });

    it('given a received handover, when the receipt deadline fires late, then it is refused: receipt is no longer pending', () => {
      expect(refusal(() => decide(COMMANDS.EscalateHandover, foldHandover(historyFor('received')))).code).toBe(
        'wrong-state',
      );
    });

    it('given a received handover, when contact with the family fails, then it is recorded and escalated one level at once, and stays open', () => {
      const events = historyFor('received');
      const decided = decide(COMMANDS.ReportContactFailure, foldHandover(events));
      expect(decided[1]).toMatchObject({
        type: 'HandoverEscalated',
        data: { level: 1, reason: 'contact-failed', responsibleOrg: 'vt-kennemerland' },
      });
      expect(foldHandover([...events, ...decided]).status).toBe('received');
    });
  });

  describe('responsibility (R1, R2)', () => {
    it('given an accepted handover, when nothing started yet, then the sender is still responsible; once care started, the receiver is', () => {
      const accepted = historyFor('accepted');
      const [started] = decide(COMMANDS.ConfirmStart, foldHandover(accepted));
      expect(started).toMatchObject({
        type: 'HandoverStarted',
        data: { fromOrg: 'vt-kennemerland', toOrg: 'vt-amsterdam-amstelland', startedAt: NOW },
      });
    });
  });
});
