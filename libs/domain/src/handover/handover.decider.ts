import { ESCALATION_ROLES, type EscalationLevel } from '../organisations/organisation';
import type {
  AcceptHandover,
  ConfirmStart,
  EscalateHandover,
  HandoverCommand,
  HandoverCommandType,
  RequestHandover,
} from './handover.commands';
import { CommandRefused } from '../shared/command-refused';
import type { HandoverEvent, LadderRecipient } from './handover.events';
import {
  awaitsFollowUp,
  type HandoverState,
  type HandoverStatus,
  isOpen,
  responsibleOrganisation,
} from './handover.state';

/** What may happen next in each state; the 409 answer lists these. */
export const ALLOWED_COMMANDS: Readonly<Record<HandoverStatus, readonly HandoverCommandType[]>> = {
  none: ['RequestHandover'],
  requested: ['AcknowledgeReceipt', 'RejectHandover', 'ReportContactFailure', 'WithdrawHandover', 'EscalateHandover'],
  received: ['AcceptHandover', 'RejectHandover', 'ReportContactFailure', 'WithdrawHandover', 'EscalateHandover'],
  accepted: ['ConfirmStart', 'RejectHandover', 'ReportContactFailure', 'WithdrawHandover', 'EscalateHandover'],
  started: [],
  // Only the follow-up escalation: the sender has not decided after the rejection (R2a).
  rejected: ['EscalateHandover'],
  withdrawn: ['EscalateHandover'],
};

/** How a person names each command (and the API path that carries it). */
export const COMMAND_LABELS: Readonly<Record<HandoverCommandType, string>> = {
  RequestHandover: 'request a handover (POST /handovers)',
  AcknowledgeReceipt: 'acknowledge receipt (POST /handovers/{id}/receipt)',
  AcceptHandover: 'accept (POST /handovers/{id}/acceptance)',
  RejectHandover: 'reject (POST /handovers/{id}/rejection)',
  ConfirmStart: 'confirm that care started (POST /handovers/{id}/start-confirmation)',
  ReportContactFailure: 'report failed contact (POST /handovers/{id}/contact-failure)',
  WithdrawHandover: 'withdraw (POST /handovers/{id}/withdrawal)',
  EscalateHandover: 'escalate (timers only)',
};

/**
 * Failed contact (care avoidance, R6) is not among these: any party of the case may report it at
 * any step of an open handover, the sender too; the case's access check admits only parties.
 */
const RECEIVER_COMMANDS: readonly HandoverCommandType[] = [
  'AcknowledgeReceipt',
  'AcceptHandover',
  'RejectHandover',
  'ConfirmStart',
];

const MAX_TEXT = 2000;

/**
 * Decides what a command means for a handover: the events to record, or a refusal that says
 * why and what to do instead. Pure: time comes in with the command.
 */
export function decide(command: HandoverCommand, state: HandoverState): HandoverEvent[] {
  authorise(command, state);
  if (!ALLOWED_COMMANDS[state.status].includes(command.type)) throw wrongState(command.type, state);
  const request = state.request;
  if (command.type === 'RequestHandover') return [requested(command)];
  if (!request) throw new Error('a handover past "none" always has its request');
  const ids = { handoverId: request.handoverId, caseId: request.caseId };

  switch (command.type) {
    case 'AcknowledgeReceipt':
      return [{ type: 'HandoverReceived', data: { ...ids, receivedAt: command.now } }];
    case 'AcceptHandover':
      return [
        {
          type: 'HandoverAccepted',
          data: { ...ids, plannedStartDate: plannedStart(command, request.requestedAt), acceptedAt: command.now },
        },
      ];
    case 'RejectHandover':
      return [
        { type: 'HandoverRejected', data: { ...ids, reason: text('reason', command.reason), rejectedAt: command.now } },
      ];
    case 'WithdrawHandover':
      return [
        {
          type: 'HandoverWithdrawn',
          data: { ...ids, reason: text('reason', command.reason), withdrawnAt: command.now },
        },
      ];
    case 'ConfirmStart':
      return [
        {
          type: 'HandoverStarted',
          data: {
            ...ids,
            fromOrg: request.fromOrg,
            toOrg: request.toOrg,
            startedAt: startMoment(command, state.receivedAt ?? request.requestedAt),
            startedBy: text('startedBy', command.startedBy),
            confirmedAt: command.now,
          },
        },
      ];
    case 'ReportContactFailure': {
      const failed: HandoverEvent = {
        type: 'HandoverContactFailed',
        data: { ...ids, reason: text('reason', command.reason), occurredAt: command.now },
      };
      // R6: care avoidance reaches the sender at once and goes one level up straight away.
      return [failed, escalated({ ...command, type: 'EscalateHandover', reason: 'contact-failed' }, state)];
    }
    case 'EscalateHandover':
      return [escalated(command, state)];
    default: {
      const unknown: never = command;
      throw new Error(`unknown handover command ${JSON.stringify(unknown)}`);
    }
  }
}

function authorise(command: HandoverCommand, state: HandoverState): void {
  if (command.type === 'EscalateHandover') return;
  if (command.actor.role === 'inspector') {
    throw new CommandRefused('forbidden', 'Inspectors read handovers; they cannot change them.');
  }
  if (command.type === 'RequestHandover') {
    if (command.actor.organisation !== command.fromOrg) {
      throw new CommandRefused(
        'forbidden',
        `Only the sending organisation may request a handover: you act for ${command.actor.organisation}, the request names ${command.fromOrg} as sender.`,
      );
    }
    return;
  }
  const request = state.request;
  if (!request) return;
  if (RECEIVER_COMMANDS.includes(command.type) && command.actor.organisation !== request.toOrg) {
    throw new CommandRefused(
      'forbidden',
      `Only the receiving organisation (${request.toOrg}) may ${COMMAND_LABELS[command.type].replace(/ \(.*$/, '')}; you act for ${command.actor.organisation}.`,
    );
  }
  if (command.type === 'WithdrawHandover' && command.actor.organisation !== request.fromOrg) {
    throw new CommandRefused(
      'forbidden',
      `Only the sending organisation (${request.fromOrg}) may withdraw this handover; you act for ${command.actor.organisation}.`,
    );
  }
}

function wrongState(type: HandoverCommandType, state: HandoverState): CommandRefused {
  const allowed = ALLOWED_COMMANDS[state.status].filter((c) => c !== 'EscalateHandover');
  const next =
    allowed.length > 0
      ? `What can happen now: ${allowed.map((c) => COMMAND_LABELS[c]).join('; ')}.`
      : 'It is closed; nothing more can happen to it.';
  return new CommandRefused(
    'wrong-state',
    `The handover is ${state.status}, so you cannot ${COMMAND_LABELS[type].replace(/ \(.*$/, '')} now. ${next}`,
    { status: state.status, allowed },
  );
}

function requested(command: RequestHandover): HandoverEvent {
  if (command.fromOrg === command.toOrg) {
    throw new CommandRefused(
      'invalid',
      'fromOrg and toOrg are the same organisation; a handover goes to another organisation.',
      { field: 'toOrg' },
    );
  }
  if (command.childIds.length === 0) {
    throw new CommandRefused('invalid', 'childIds must name at least one (pseudonymous) child.', {
      field: 'childIds',
    });
  }
  if (!(Date.parse(command.receiptDueAt) <= Date.parse(command.startDueAt))) {
    throw new CommandRefused('invalid', 'the start deadline must not fall before the receipt deadline.', {
      field: 'deadlines.start',
    });
  }
  return {
    type: 'HandoverRequested',
    data: {
      handoverId: command.handoverId,
      caseId: command.caseId,
      childIds: [...command.childIds],
      fromOrg: command.fromOrg,
      toOrg: command.toOrg,
      reason: command.reason,
      ...(command.reasonNote ? { reasonNote: text('reasonNote', command.reasonNote) } : {}),
      ...(command.riskAssessmentRef ? { riskAssessmentRef: command.riskAssessmentRef } : {}),
      safetyAgreementRefs: [...command.safetyAgreementRefs],
      deadlines: command.deadlines,
      receiptDueAt: command.receiptDueAt,
      startDueAt: command.startDueAt,
      ladders: command.ladders,
      requestedAt: command.now,
    },
  };
}

function escalated(command: EscalateHandover, state: HandoverState): HandoverEvent {
  const request = state.request!;
  if (command.reason === 'follow-up-overdue') return followUpEscalated(command, state);
  if (!isOpen(state)) throw wrongState(command.type, state);
  if (command.reason === 'receipt-overdue' && state.status !== 'requested') throw wrongState(command.type, state);
  if (command.reason === 'start-overdue' && state.status === 'requested') throw wrongState(command.type, state);
  const { level, repeat } = nextRung(state.escalation);
  const recipients: LadderRecipient[] = [
    ...[request.fromOrg, request.toOrg].map((organisation, i) => {
      const step = (i === 0 ? request.ladders.from : request.ladders.to).find((s) => s.level === level)!;
      return { organisation, role: step.role, title: step.title };
    }),
  ];
  const dueAt =
    command.reason === 'receipt-overdue'
      ? request.receiptDueAt
      : command.reason === 'start-overdue'
        ? request.startDueAt
        : undefined;
  return {
    type: 'HandoverEscalated',
    data: {
      handoverId: request.handoverId,
      caseId: request.caseId,
      level,
      reason: command.reason,
      ...(dueAt ? { dueAt } : {}),
      repeat,
      recipients,
      responsibleOrg: responsibleOrganisation(state)!,
      escalatedAt: command.now,
    },
  };
}

/** One rung up the ladder; at the top it stays there and counts the reminders. */
function nextRung(escalation: { readonly level: EscalationLevel; readonly repeat: number }): {
  level: EscalationLevel;
  repeat: number;
} {
  const top = (ESCALATION_ROLES.length - 1) as EscalationLevel;
  if (escalation.level === top) return { level: top, repeat: escalation.repeat + 1 };
  return { level: (escalation.level + 1) as EscalationLevel, repeat: 0 };
}

/**
 * R2a: a rejected or withdrawn handover whose sender recorded no decision in time escalates up
 * the sender's ladder alone (the receiver said no; the child is the sender's to place), one rung
 * per interval, reminding at the top. Responsibility never left the sender (R2).
 */
function followUpEscalated(command: EscalateHandover, state: HandoverState): HandoverEvent {
  const request = state.request!;
  if (!awaitsFollowUp(state)) throw wrongState(command.type, state);
  const { level, repeat } = nextRung(state.followUp ?? { level: 0, repeat: 0 });
  const step = request.ladders.from.find((s) => s.level === level)!;
  return {
    type: 'HandoverEscalated',
    data: {
      handoverId: request.handoverId,
      caseId: request.caseId,
      level,
      reason: 'follow-up-overdue',
      ...(state.closedAt ? { dueAt: state.closedAt } : {}),
      repeat,
      recipients: [{ organisation: request.fromOrg, role: step.role, title: step.title }],
      responsibleOrg: request.fromOrg,
      escalatedAt: command.now,
    },
  };
}

function text(field: string, value: string | undefined): string {
  const trimmed = (value ?? '').trim();
  if (trimmed.length === 0)
    throw new CommandRefused('invalid', `${field} is required: say why, in a sentence.`, { field });
  if (trimmed.length > MAX_TEXT)
    throw new CommandRefused('invalid', `${field} is longer than ${MAX_TEXT} characters.`, { field });
  return trimmed;
}

function plannedStart(command: AcceptHandover, requestedAt: string): string {
  const date = command.plannedStartDate;
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
    Number.isNaN(Date.parse(`${date}T00:00:00Z`)) ||
    new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date
  ) {
    throw new CommandRefused('invalid', `plannedStartDate must be a calendar date like 2026-12-01, got "${date}".`, {
      field: 'plannedStartDate',
    });
  }
  if (date < requestedAt.slice(0, 10)) {
    throw new CommandRefused(
      'invalid',
      `plannedStartDate ${date} lies before the handover was requested (${requestedAt.slice(0, 10)}).`,
      { field: 'plannedStartDate' },
    );
  }
  return date;
}

/** Care cannot have started before the receiver received the handover, nor after now. */
function startMoment(command: ConfirmStart, receivedAt: string): string {
  const at = Date.parse(command.startedAt);
  if (Number.isNaN(at)) {
    throw new CommandRefused('invalid', `startedAt must be an ISO-8601 date-time, got "${command.startedAt}".`, {
      field: 'startedAt',
    });
  }
  if (at > Date.parse(command.now)) {
    throw new CommandRefused(
      'invalid',
      `startedAt ${command.startedAt} lies in the future (it is ${command.now} now); confirm the start once care has actually started.`,
      { field: 'startedAt' },
    );
  }
  if (at < Date.parse(receivedAt)) {
    throw new CommandRefused(
      'invalid',
      `startedAt lies before the handover was received (${receivedAt}); care starts after receipt.`,
      { field: 'startedAt' },
    );
  }
  return new Date(at).toISOString();
}
