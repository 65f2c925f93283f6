import { CommandRefused } from '../shared/command-refused';
import type { CommandActor } from '../shared/actor';
import type { LadderRecipient } from '../shared/ladders';
import { pseudonymousIdProblem } from '../shared/pseudonymous-id';
import {
  ESCALATION_ROLES,
  type EscalationLevel,
  type EscalationRole,
  isEscalationRole,
  type LadderStep,
} from '../organisations/organisation';
import {
  AGREEMENT_END_REASONS,
  type AgreementEndReason,
  type MemberSafetyEffect,
  type Monitor,
  MONITORING_OUTCOMES,
  type MonitoringOutcome,
  type MonitoringRhythm,
  SAFETY_AGREEMENT_CODES,
  SAFETY_EFFECTS,
  type SafetyAgreementCode,
  type SafetyAgreementEvent,
  type SafetyAgreementMade,
} from './safety-agreement.events';
import { neutralDescriptionProblem } from './neutral-text';

interface CommandBase {
  readonly actor: CommandActor;
  readonly now: string;
}

export interface MakeSafetyAgreement extends CommandBase {
  readonly type: 'MakeSafetyAgreement';
  readonly agreementId: string;
  readonly caseId: string;
  readonly code: SafetyAgreementCode;
  readonly description?: string;
  readonly memberIds: readonly string[];
  readonly monitor: Monitor;
  /** Either dates (YYYY-MM-DD) or a rhythm. */
  readonly moments?: readonly string[];
  readonly rhythm?: MonitoringRhythm;
}

export interface RecordMonitoringResult extends CommandBase {
  readonly type: 'RecordMonitoringResult';
  readonly moment: string;
  readonly outcome: MonitoringOutcome;
  readonly effects: readonly MemberSafetyEffect[];
  /** The calendar date the monitor checked; not before the agreement, not in the future. */
  readonly checkedOn: string;
  /** Who must hear of a breach at once: looked up from the case by the host. */
  readonly responsibleOrg: string;
  readonly leadOrgs: readonly string[];
  readonly breachRecipients: readonly LadderRecipient[];
}

/** Issued by the agreement's timer when a moment's result is overdue. */
export interface EscalateMonitoring extends CommandBase {
  readonly type: 'EscalateMonitoring';
  readonly moment: string;
  readonly dueAt: string;
}

/** Before a handover of the family starts: what happens to the monitor role when it does. */
export interface DecideMonitorRole extends CommandBase {
  readonly type: 'DecideMonitorRole';
  readonly handoverId: string;
  readonly decision: 'hand-over' | 'keep';
  readonly toRole?: EscalationRole;
}

/** Hand the role to another organisation now (no handover involved). */
export interface TransferMonitorRole extends CommandBase {
  readonly type: 'TransferMonitorRole';
  readonly to: Monitor;
}

/** Responsibility moved (a handover of the family started): the host applies the decision. */
export interface ApplyResponsibilityMove extends CommandBase {
  readonly type: 'ApplyResponsibilityMove';
  readonly handoverId: string;
  readonly fromOrg: string;
  readonly toOrg: string;
  /** The receiver's ladder, for when it takes the role. */
  readonly toLadder: readonly LadderStep[];
  readonly startedAt: string;
}

export interface EndSafetyAgreement extends CommandBase {
  readonly type: 'EndSafetyAgreement';
  readonly reason: AgreementEndReason;
}

export type SafetyAgreementCommand =
  | MakeSafetyAgreement
  | RecordMonitoringResult
  | EscalateMonitoring
  | DecideMonitorRole
  | TransferMonitorRole
  | ApplyResponsibilityMove
  | EndSafetyAgreement;

export interface MomentState {
  readonly moment: string;
  readonly outcome?: MonitoringOutcome;
  readonly recordedAt?: string;
  /** Highest escalation level reached for this moment, -1 when never escalated. */
  readonly level: number;
  readonly repeat: number;
  readonly lastEscalatedAt?: string;
}

export interface SafetyAgreementState {
  readonly status: 'none' | 'open' | 'ended';
  readonly agreement?: SafetyAgreementMade['data'];
  readonly monitor?: Monitor;
  readonly moments: readonly MomentState[];
  /** Decisions recorded for handovers that have not started yet, by handover id. */
  readonly pendingDecisions: Readonly<Record<string, { decision: 'hand-over' | 'keep'; toRole?: EscalationRole }>>;
  readonly version: number;
}

export const initialSafetyAgreementState: SafetyAgreementState = {
  status: 'none',
  moments: [],
  pendingDecisions: {},
  version: 0,
};

const MAX_MOMENTS = 60;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const RHYTHM_DAYS = { week: 7, 'two-weeks': 14, 'four-weeks': 28 } as const;

function isDate(value: unknown): value is string {
  return typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

function invalid(field: string, message: string): never {
  throw new CommandRefused('invalid', message, { field });
}

/** The dates of a rhythm, from its first moment up to and including `until`. */
export function expandRhythm(rhythm: MonitoringRhythm): string[] {
  const step = RHYTHM_DAYS[rhythm.every] * 86_400_000;
  const dates: string[] = [];
  for (let t = Date.parse(`${rhythm.from}T00:00:00Z`); t <= Date.parse(`${rhythm.until}T00:00:00Z`); t += step) {
    dates.push(new Date(t).toISOString().slice(0, 10));
    if (dates.length > MAX_MOMENTS) break;
  }
  return dates;
}

function ladderRecipient(monitor: Monitor, level: EscalationLevel): LadderRecipient {
  const step = monitor.ladder.find((s) => s.level === level);
  const role = ESCALATION_ROLES[level];
  return { organisation: monitor.organisation, role, title: step?.title ?? role };
}

function validateMonitor(monitor: Monitor | undefined, field: string): Monitor {
  if (!monitor || typeof monitor.organisation !== 'string' || monitor.organisation.length === 0)
    invalid(field, `${field}.organisation must name the organisation that monitors the agreement.`);
  if (!isEscalationRole(monitor.role))
    invalid(`${field}.role`, `${field}.role must be one of ${ESCALATION_ROLES.join(', ')}: the rung that monitors.`);
  if (!Array.isArray(monitor.ladder) || monitor.ladder.length !== ESCALATION_ROLES.length)
    invalid(field, `${field} has no escalation ladder; choose an organisation from GET /organisations.`);
  return monitor;
}

function openMonitor(state: SafetyAgreementState, actor: CommandActor, what: string): Monitor {
  if (state.status !== 'open')
    throw new CommandRefused(
      state.status === 'none' ? 'not-found' : 'wrong-state',
      state.status === 'none'
        ? 'No such safety agreement; make one with POST /cases/{caseId}/safety-agreements.'
        : `The safety agreement has ended; ${what} is only possible for an open agreement. Make a new one if monitoring must go on.`,
      { status: state.status, allowed: [] },
    );
  return state.monitor!;
}

/**
 * Decides a command on a safety agreement: the events to record, or a refusal that says what to
 * do. Pure; time, ladders and the case's responsible organisation come in with the command.
 */
export function decideSafetyAgreement(
  command: SafetyAgreementCommand,
  state: SafetyAgreementState,
): SafetyAgreementEvent[] {
  switch (command.type) {
    case 'MakeSafetyAgreement':
      return make(command, state);
    case 'RecordMonitoringResult':
      return recordResult(command, state);
    case 'EscalateMonitoring':
      return escalate(command, state);
    case 'DecideMonitorRole': {
      const monitor = openMonitor(state, command.actor, 'deciding on the monitor role');
      const agreement = state.agreement!;
      if (command.actor.organisation !== monitor.organisation)
        throw new CommandRefused(
          'forbidden',
          `Only the monitor (${monitor.organisation}) decides whether it hands over or keeps the monitor role.`,
        );
      if (pseudonymousIdProblem('handoverId', command.handoverId))
        invalid('handoverId', pseudonymousIdProblem('handoverId', command.handoverId)!);
      if (command.decision !== 'hand-over' && command.decision !== 'keep')
        invalid('decision', 'decision must be "hand-over" (to the receiver when care starts) or "keep".');
      if (command.decision === 'hand-over' && command.toRole !== undefined && !isEscalationRole(command.toRole))
        invalid('toRole', `toRole must be one of ${ESCALATION_ROLES.join(', ')}.`);
      return [
        {
          type: 'MonitorRoleDecided',
          data: {
            agreementId: agreement.agreementId,
            caseId: agreement.caseId,
            handoverId: command.handoverId,
            decision: command.decision,
            ...(command.decision === 'hand-over' ? { toRole: command.toRole ?? 'professional' } : {}),
            decidedBy: command.actor.organisation,
            decidedAt: command.now,
          },
        },
      ];
    }
    case 'TransferMonitorRole': {
      const monitor = openMonitor(state, command.actor, 'handing over the monitor role');
      const agreement = state.agreement!;
      if (command.actor.organisation !== monitor.organisation)
        throw new CommandRefused(
          'forbidden',
          `Only the monitor (${monitor.organisation}) hands over the monitor role.`,
        );
      const to = validateMonitor(command.to, 'to');
      if (to.organisation === monitor.organisation && to.role === monitor.role)
        throw new CommandRefused('wrong-state', `${monitor.organisation} already monitors at that rung.`, {
          status: 'open',
        });
      return [
        {
          type: 'MonitorRoleTransferred',
          data: {
            agreementId: agreement.agreementId,
            caseId: agreement.caseId,
            from: { organisation: monitor.organisation, role: monitor.role },
            to,
            basis: 'handed-over',
            transferredAt: command.now,
          },
        },
      ];
    }
    case 'ApplyResponsibilityMove':
      return applyMove(command, state);
    case 'EndSafetyAgreement': {
      const monitor = openMonitor(state, command.actor, 'ending');
      const agreement = state.agreement!;
      if (command.actor.organisation !== monitor.organisation && command.actor.organisation !== agreement.madeBy)
        throw new CommandRefused(
          'forbidden',
          `Only the monitor (${monitor.organisation}) or the organisation that made the agreement ends it.`,
        );
      if (!(AGREEMENT_END_REASONS as readonly string[]).includes(command.reason))
        invalid('reason', `reason must be one of ${AGREEMENT_END_REASONS.join(', ')}.`);
      return [
        {
          type: 'SafetyAgreementEnded',
          data: {
            agreementId: agreement.agreementId,
            caseId: agreement.caseId,
            reason: command.reason,
            endedBy: command.actor.organisation,
            endedAt: command.now,
          },
        },
      ];
    }
    default: {
      const unknown: never = command;
      throw new CommandRefused('invalid', `Unknown command ${(unknown as { type: string }).type}.`);
    }
  }
}

function make(command: MakeSafetyAgreement, state: SafetyAgreementState): SafetyAgreementEvent[] {
  if (state.status !== 'none')
    throw new CommandRefused('wrong-state', 'This safety agreement already exists; record results on it instead.', {
      status: state.status,
    });
  for (const [field, value] of [
    ['agreementId', command.agreementId],
    ['caseId', command.caseId],
  ] as const) {
    const problem = pseudonymousIdProblem(field, value);
    if (problem) throw new CommandRefused('personal-data', problem, { field });
  }
  if (!(SAFETY_AGREEMENT_CODES as readonly string[]).includes(command.code))
    invalid(
      'code',
      `code must be one of ${SAFETY_AGREEMENT_CODES.join(', ')}; with "other", add a short neutral description.`,
    );
  if (command.code === 'other') {
    const problem = neutralDescriptionProblem('description', command.description);
    if (problem) throw new CommandRefused('personal-data', problem, { field: 'description' });
  } else if (command.description !== undefined)
    invalid('description', 'A description goes only with code "other"; the code says what the agreement is.');
  const memberIds: readonly string[] = Array.isArray(command.memberIds) ? (command.memberIds as readonly string[]) : [];
  if (memberIds.length === 0)
    invalid('memberIds', 'memberIds must name at least one family member (pseudonymous ids) the agreement protects.');
  for (const id of memberIds) {
    const problem = pseudonymousIdProblem('memberIds', id);
    if (problem) throw new CommandRefused('personal-data', problem, { field: 'memberIds' });
  }
  if (new Set(memberIds).size !== memberIds.length) invalid('memberIds', 'memberIds names a family member twice.');
  const monitor = validateMonitor(command.monitor, 'monitor');
  if ((command.moments === undefined) === (command.rhythm === undefined))
    invalid('moments', 'Give the monitoring moments either as dates (moments) or as a rhythm, not both or neither.');
  let moments: string[];
  if (command.rhythm) {
    const r = command.rhythm;
    if (!isDate(r.from) || !isDate(r.until) || r.until < r.from)
      invalid('rhythm', 'rhythm.from and rhythm.until must be dates (YYYY-MM-DD), until on or after from.');
    if (!(r.every in RHYTHM_DAYS)) invalid('rhythm.every', 'rhythm.every must be week, two-weeks or four-weeks.');
    moments = expandRhythm(r);
  } else {
    if (!Array.isArray(command.moments) || command.moments.length === 0 || !command.moments.every(isDate))
      invalid('moments', 'moments must be one or more calendar dates (YYYY-MM-DD).');
    moments = [...new Set(command.moments)].sort();
  }
  if (moments.length > MAX_MOMENTS)
    invalid('moments', `At most ${MAX_MOMENTS} monitoring moments per agreement; make a follow-up agreement later.`);
  if (moments[0]! < command.now.slice(0, 10))
    invalid('moments', 'A monitoring moment lies before today; moments are planned from today on.');
  return [
    {
      type: 'SafetyAgreementMade',
      data: {
        agreementId: command.agreementId,
        caseId: command.caseId,
        code: command.code,
        ...(command.code === 'other' ? { description: command.description!.trim() } : {}),
        memberIds: [...memberIds],
        monitor,
        moments,
        ...(command.rhythm ? { rhythm: command.rhythm } : {}),
        madeBy: command.actor.organisation,
        madeAt: command.now,
      },
    },
  ];
}

function recordResult(command: RecordMonitoringResult, state: SafetyAgreementState): SafetyAgreementEvent[] {
  const monitor = openMonitor(state, command.actor, 'recording a result');
  const agreement = state.agreement!;
  if (command.actor.organisation !== monitor.organisation)
    throw new CommandRefused(
      'forbidden',
      `Only the monitor (${monitor.organisation}) records monitoring results; ask it, or have the role handed over.`,
    );
  const moment = state.moments.find((m) => m.moment === command.moment);
  if (!moment)
    invalid(
      'moment',
      `No monitoring moment on ${String(command.moment)}; the moments are ${state.moments.map((m) => m.moment).join(', ')}.`,
    );
  if (moment.outcome)
    throw new CommandRefused('wrong-state', `The result of ${moment.moment} is already recorded (${moment.outcome}).`, {
      status: 'recorded',
    });
  if (!(MONITORING_OUTCOMES as readonly string[]).includes(command.outcome))
    invalid('outcome', `outcome must be one of ${MONITORING_OUTCOMES.join(', ')}.`);
  if (!isDate(command.checkedOn) || command.checkedOn > command.now.slice(0, 10))
    invalid('checkedOn', 'checkedOn must be the date (YYYY-MM-DD) the monitor checked, not in the future.');
  if (command.checkedOn < agreement.madeAt.slice(0, 10))
    invalid('checkedOn', 'checkedOn lies before the agreement was made.');
  const effects: readonly MemberSafetyEffect[] = Array.isArray(command.effects) ? command.effects : [];
  const missing = agreement.memberIds.filter((id) => !effects.some((e) => e.memberId === id));
  if (missing.length > 0)
    invalid('effects', `Give the effect on the safety of every family member; missing: ${missing.join(', ')}.`);
  const stranger = effects.find((e) => !agreement.memberIds.includes(e.memberId));
  if (stranger) invalid('effects', `${stranger.memberId} is not a family member of this agreement.`);
  if (effects.length !== agreement.memberIds.length) invalid('effects', 'One effect per family member.');
  const badEffect = effects.find((e) => !(SAFETY_EFFECTS as readonly string[]).includes(e.effect));
  if (badEffect) invalid('effects', `effect must be one of ${SAFETY_EFFECTS.join(', ')}.`);
  const events: SafetyAgreementEvent[] = [
    {
      type: 'MonitoringResultRecorded',
      data: {
        agreementId: agreement.agreementId,
        caseId: agreement.caseId,
        moment: moment.moment,
        outcome: command.outcome,
        effects: agreement.memberIds.map((memberId) => effects.find((e) => e.memberId === memberId)!),
        recordedBy: command.actor.organisation,
        checkedOn: command.checkedOn,
        recordedAt: command.now,
      },
    },
  ];
  if (command.outcome === 'not-kept') {
    if (command.breachRecipients.length === 0)
      throw new CommandRefused(
        'invalid',
        'A broken agreement must reach the responsible organisation and the lead; none known.',
      );
    events.push({
      type: 'SafetyAgreementBreachReported',
      data: {
        agreementId: agreement.agreementId,
        caseId: agreement.caseId,
        moment: moment.moment,
        responsibleOrg: command.responsibleOrg,
        leadOrgs: [...command.leadOrgs],
        recipients: [...command.breachRecipients],
        reportedAt: command.now,
      },
    });
  }
  return events;
}

/** The next escalation of an overdue moment: one rung above the monitor, then one a time; at the top it repeats. */
function escalate(command: EscalateMonitoring, state: SafetyAgreementState): SafetyAgreementEvent[] {
  if (state.status !== 'open') return [];
  const agreement = state.agreement!;
  const monitor = state.monitor!;
  const moment = state.moments.find((m) => m.moment === command.moment);
  if (!moment) invalid('moment', `No monitoring moment on ${command.moment}.`);
  if (moment.outcome) return [];
  const first = Math.min(ESCALATION_ROLES.indexOf(monitor.role) + 1, 3);
  const level = (moment.level < 0 ? first : Math.min(Math.max(moment.level + 1, first), 3)) as EscalationLevel;
  const repeat = moment.level === 3 && level === 3 ? moment.repeat + 1 : 0;
  return [
    {
      type: 'MonitoringEscalated',
      data: {
        agreementId: agreement.agreementId,
        caseId: agreement.caseId,
        moment: moment.moment,
        reason: 'monitoring-result-overdue',
        dueAt: command.dueAt,
        level,
        repeat,
        recipients: [ladderRecipient(monitor, level)],
        escalatedAt: command.now,
      },
    },
  ];
}

/**
 * When a handover of the family starts, the monitor role never lapses silently: if the monitor
 * was the sender, it moves to the receiver as decided, is kept as decided, or — when nobody
 * decided — the receiver inherits it, recorded as such (basis `inherited-at-start`), so its
 * ladder is told of missed moments from then on. A monitor other than the sender is untouched.
 */
function applyMove(command: ApplyResponsibilityMove, state: SafetyAgreementState): SafetyAgreementEvent[] {
  if (state.status !== 'open') return [];
  const agreement = state.agreement!;
  const monitor = state.monitor!;
  if (monitor.organisation !== command.fromOrg || command.toOrg === command.fromOrg) return [];
  const decided = state.pendingDecisions[command.handoverId];
  if (decided?.decision === 'keep')
    return [
      {
        type: 'MonitorRoleKept',
        data: {
          agreementId: agreement.agreementId,
          caseId: agreement.caseId,
          organisation: monitor.organisation,
          handoverId: command.handoverId,
          keptAt: command.now,
        },
      },
    ];
  const role = decided?.toRole ?? 'professional';
  return [
    {
      type: 'MonitorRoleTransferred',
      data: {
        agreementId: agreement.agreementId,
        caseId: agreement.caseId,
        from: { organisation: monitor.organisation, role: monitor.role },
        to: { organisation: command.toOrg, role, ladder: command.toLadder },
        basis: decided ? 'handed-over' : 'inherited-at-start',
        handoverId: command.handoverId,
        transferredAt: command.now,
      },
    },
  ];
}

export function evolveSafetyAgreement(state: SafetyAgreementState, event: SafetyAgreementEvent): SafetyAgreementState {
  const version = state.version + 1;
  const updateMoment = (moment: string, change: (m: MomentState) => MomentState) =>
    state.moments.map((m) => (m.moment === moment ? change(m) : m));
  switch (event.type) {
    case 'SafetyAgreementMade':
      return {
        ...state,
        status: 'open',
        agreement: event.data,
        monitor: event.data.monitor,
        moments: event.data.moments.map((moment) => ({ moment, level: -1, repeat: 0 })),
        version,
      };
    case 'MonitoringResultRecorded':
      return {
        ...state,
        moments: updateMoment(event.data.moment, (m) => ({
          ...m,
          outcome: event.data.outcome,
          recordedAt: event.data.recordedAt,
        })),
        version,
      };
    case 'SafetyAgreementBreachReported':
      return { ...state, version };
    case 'MonitoringEscalated':
      return {
        ...state,
        moments: updateMoment(event.data.moment, (m) => ({
          ...m,
          level: event.data.level,
          repeat: event.data.repeat,
          lastEscalatedAt: event.data.escalatedAt,
        })),
        version,
      };
    case 'MonitorRoleDecided':
      return {
        ...state,
        pendingDecisions: {
          ...state.pendingDecisions,
          [event.data.handoverId]: {
            decision: event.data.decision,
            ...(event.data.toRole ? { toRole: event.data.toRole } : {}),
          },
        },
        version,
      };
    case 'MonitorRoleTransferred':
      // A new monitor starts its own ladder from the bottom for moments still overdue.
      return {
        ...state,
        monitor: event.data.to,
        moments: state.moments.map((m) => (m.outcome ? m : { ...m, level: -1, repeat: 0 })),
        version,
      };
    case 'MonitorRoleKept':
      return { ...state, version };
    case 'SafetyAgreementEnded':
      return { ...state, status: 'ended', version };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** The first moment without a result, whose result the timer waits for. */
export function nextOpenMoment(state: SafetyAgreementState): MomentState | undefined {
  return state.status === 'open' ? state.moments.find((m) => !m.outcome) : undefined;
}

/** Is this ladder step list a whole ladder (four rungs)? */
export function isWholeLadder(ladder: readonly LadderStep[]): boolean {
  return ladder.length === ESCALATION_ROLES.length;
}
