import type { LadderStep } from '../organisations/organisation';
import { ESCALATION_ROLES, type EscalationLevel } from '../organisations/organisation';
import type { CommandActor } from '../shared/actor';
import { isInspector } from '../shared/actor';
import { CommandRefused } from '../shared/command-refused';
import type { DeadlineSpec } from '../shared/deadlines';
import type { LadderRecipient } from '../shared/ladders';
import { codeProblem, neutralLabelProblem, personalDataProblem } from '../shared/neutral-code';
import { pseudonymousIdProblem } from '../shared/pseudonymous-id';
import {
  CARE_AVOIDANCE_CODES,
  type CareAvoidanceCode,
  type FamilyChangeCode,
  FAMILY_CHANGE_CODES,
  type FamilyEscalated,
  type FamilyEvent,
  GOAL_RESULTS,
  type GoalResult,
  RISK_OUTCOMES,
  type RiskOutcome,
} from './family.events';
import {
  type EscalationProgress,
  type FamilyFacts,
  latestAssessmentOf,
  openReassessments,
  signalsInWindow,
} from './family.facts';

/**
 * The family's rules (R5, R6, R9), pure:
 * - any party records a change of the family's situation; each organisation responsible for a
 *   child then owes a risk re-assessment within 5 working days, or within hours when its previous
 *   assessment found the child acutely unsafe (004 §1);
 * - an organisation responsible for a child records its re-assessment as an outcome and a
 *   reference to its own document;
 * - any party signals care avoidance; the responsible organisations and the leads are told at
 *   once, and a further signal within the window escalates to their team leads;
 * - the parties name one case director, proposed and confirmed by two of them;
 * - goals of the family plan have an owner and a target date; past it without a result, they
 *   escalate at the owner, as an overdue re-assessment does at its organisation.
 * What the case knows (parties, who is responsible, leads, ladders) comes in as the context;
 * deadlines are computed by the `calendar` given (the Dutch working-day calendar in the apps).
 */

/** What the case says, as the family's rules need it; read by the host from the case's events. */
export interface FamilyContext {
  readonly caseId: string;
  readonly parties: readonly string[];
  /** Organisations responsible for at least one child now. */
  readonly responsible: readonly string[];
  /** The lead of each chain in force now. */
  readonly leads: readonly string[];
  readonly childIds: readonly string[];
  readonly openHandoverIds: readonly string[];
  /** Each organisation's escalation ladder, as the directory has it now. */
  readonly ladders: Readonly<Record<string, readonly LadderStep[]>>;
}

export interface FamilyPolicy {
  /** Working days (or, in demo mode, a duration) for a re-assessment; 5 by default. */
  readonly reassessment: DeadlineSpec;
  /** Hours for a re-assessment after an acutely unsafe outcome; 4 by default (004 §1: hours, not days). */
  readonly acuteHours: number;
  /** Days in which a further care-avoidance signal escalates to the team leads; 30 by default. */
  readonly signalWindowDays: number;
  /** Working days (or a duration) between one rung of an escalation and the next; 1 by default. */
  readonly escalationInterval: DeadlineSpec;
}

export const DEFAULT_FAMILY_POLICY: FamilyPolicy = {
  reassessment: 5,
  acuteHours: 4,
  signalWindowDays: 30,
  escalationInterval: 1,
};

/** The instant a deadline falls on, counted from `from` (the Dutch working-day calendar in the apps). */
export type DeadlineCalendar = (from: string, spec: DeadlineSpec) => string;

export interface FamilyDeps {
  readonly calendar: DeadlineCalendar;
  readonly policy: FamilyPolicy;
}

interface Base {
  readonly actor: CommandActor;
  readonly now: string;
  readonly caseId: string;
}

export interface RecordFamilyChange extends Base {
  readonly type: 'RecordFamilyChange';
  readonly changeId: string;
  readonly code: string;
  readonly occurredAt: string;
  readonly childId?: string;
}

export interface RecordRiskReassessment extends Base {
  readonly type: 'RecordRiskReassessment';
  readonly outcome: string;
  readonly documentRef: string;
}

export interface SignalCareAvoidance extends Base {
  readonly type: 'SignalCareAvoidance';
  readonly signalId: string;
  readonly code: string;
  readonly occurredAt: string;
  readonly handoverId?: string;
}

export interface ProposeCaseDirector extends Base {
  readonly type: 'ProposeCaseDirector';
  readonly proposalId: string;
  readonly organisation: string;
  readonly professionalId: string;
}

export interface ConfirmCaseDirector extends Base {
  readonly type: 'ConfirmCaseDirector';
  readonly proposalId: string;
}

export interface SetPlanGoal extends Base {
  readonly type: 'SetPlanGoal';
  readonly goalId: string;
  readonly code: string;
  readonly label?: string;
  readonly targetDate: string;
  readonly owner: string;
}

export interface RecordGoalResult extends Base {
  readonly type: 'RecordGoalResult';
  readonly goalId: string;
  readonly result: string;
}

export type FamilyCommand =
  | RecordFamilyChange
  | RecordRiskReassessment
  | SignalCareAvoidance
  | ProposeCaseDirector
  | ConfirmCaseDirector
  | SetPlanGoal
  | RecordGoalResult;

export function decideFamily(
  command: FamilyCommand,
  facts: FamilyFacts,
  context: FamilyContext,
  deps: FamilyDeps,
): FamilyEvent[] {
  if (isInspector(command.actor))
    throw new CommandRefused('forbidden', 'Inspectors read cases; they cannot change them.');
  requireParty(command.actor, context);
  switch (command.type) {
    case 'RecordFamilyChange':
      return [changeRecorded(command, context, facts, deps)];
    case 'RecordRiskReassessment':
      return [reassessed(command, context, facts)];
    case 'SignalCareAvoidance':
      return signalled(command, context, facts, deps);
    case 'ProposeCaseDirector':
      return [directorProposed(command, context)];
    case 'ConfirmCaseDirector':
      return [directorConfirmed(command, facts)];
    case 'SetPlanGoal':
      return [goalSet(command, context, facts)];
    case 'RecordGoalResult':
      return [goalResult(command, facts)];
    default: {
      const unknown: never = command;
      throw new Error(`unknown family command ${JSON.stringify(unknown)}`);
    }
  }
}

function changeRecorded(command: RecordFamilyChange, context: FamilyContext, facts: FamilyFacts, deps: FamilyDeps) {
  const code = oneOf<FamilyChangeCode>('code', command.code, FAMILY_CHANGE_CODES);
  const occurredAt = pastInstant('occurredAt', command.occurredAt, command.now);
  if (command.childId !== undefined) {
    requireId('childId', command.childId);
    if (!context.childIds.includes(command.childId))
      throw new CommandRefused(
        'wrong-state',
        `The case holds no child ${command.childId}; add the child first (POST /cases/${command.caseId}/children), then record the birth.`,
        { field: 'childId' },
      );
  }
  uniqueId(
    'changeId',
    command.changeId,
    facts.changes.map((c) => c.changeId),
  );
  if (context.responsible.length === 0)
    throw new CommandRefused('wrong-state', `Case ${command.caseId} has no child yet; nobody could re-assess.`, {
      status: 'no-children',
    });
  return {
    type: 'FamilyChangeRecorded' as const,
    data: {
      caseId: command.caseId,
      changeId: command.changeId,
      code,
      occurredAt,
      ...(command.childId ? { childId: command.childId } : {}),
      recordedBy: command.actor.organisation,
      recordedAt: command.now,
      reassessments: context.responsible.map((organisation) => {
        const acute = latestAssessmentOf(facts, organisation)?.outcome === 'acutely-unsafe';
        return acute
          ? {
              organisation,
              dueAt: new Date(Date.parse(command.now) + deps.policy.acuteHours * 3_600_000).toISOString(),
              basis: 'hours' as const,
            }
          : {
              organisation,
              dueAt: deps.calendar(command.now, deps.policy.reassessment),
              basis: 'working-days' as const,
            };
      }),
    },
  };
}

function reassessed(command: RecordRiskReassessment, context: FamilyContext, facts: FamilyFacts) {
  const outcome = oneOf<RiskOutcome>('outcome', command.outcome, RISK_OUTCOMES);
  requireId('documentRef', command.documentRef);
  const organisation = command.actor.organisation;
  const owed = openReassessments(facts).filter((o) => o.due.organisation === organisation);
  if (!context.responsible.includes(organisation) && owed.length === 0)
    throw new CommandRefused(
      'forbidden',
      `Only an organisation responsible for a child of the family records its risk assessment; responsible now: ${context.responsible.join(', ')}.`,
    );
  return {
    type: 'RiskReassessed' as const,
    data: {
      caseId: command.caseId,
      organisation,
      outcome,
      documentRef: command.documentRef,
      assessedAt: command.now,
      answers: owed.map((o) => o.change.changeId),
    },
  };
}

function signalled(
  command: SignalCareAvoidance,
  context: FamilyContext,
  facts: FamilyFacts,
  deps: FamilyDeps,
): FamilyEvent[] {
  const code = oneOf<CareAvoidanceCode>('code', command.code, CARE_AVOIDANCE_CODES);
  const occurredAt = pastInstant('occurredAt', command.occurredAt, command.now);
  if (command.handoverId !== undefined) {
    requireId('handoverId', command.handoverId);
    if (!context.openHandoverIds.includes(command.handoverId))
      throw new CommandRefused(
        'wrong-state',
        `Handover ${command.handoverId} is not open in case ${command.caseId}; leave handoverId out to signal without one.`,
        { field: 'handoverId' },
      );
  }
  uniqueId(
    'signalId',
    command.signalId,
    facts.signals.map((s) => s.signalId),
  );
  const signal = {
    type: 'CareAvoidanceSignalled' as const,
    data: {
      caseId: command.caseId,
      signalId: command.signalId,
      code,
      occurredAt,
      ...(command.handoverId ? { handoverId: command.handoverId } : {}),
      signalledBy: command.actor.organisation,
      signalledAt: command.now,
    },
  };
  // R6: the responsible organisations and the leads are told at once.
  const told = [...new Set([...context.responsible, ...context.leads])];
  const events: FamilyEvent[] = [
    signal,
    escalation(command, context, told, 'care-avoidance-signalled', command.signalId, 0, undefined, undefined),
  ];
  const inWindow = signalsInWindow(
    { ...facts, signals: [...facts.signals, signal.data] },
    command.now,
    deps.policy.signalWindowDays,
  );
  if (inWindow.length >= 2)
    events.push(
      escalation(command, context, told, 'care-avoidance-repeated', command.signalId, 1, undefined, undefined),
    );
  return events;
}

function directorProposed(command: ProposeCaseDirector, context: FamilyContext) {
  requireId('professionalId', command.professionalId);
  requireId('proposalId', command.proposalId);
  // Not a mistake in the request but the case as it stands (409): involve it, then propose again.
  if (!context.parties.includes(command.organisation))
    throw new CommandRefused(
      'wrong-state',
      `${command.organisation} takes no part in case ${command.caseId}; the case director comes from one of its parties (${context.parties.join(', ')}). Involve it first.`,
      { field: 'organisation', allowed: ['InvolveParty'] },
    );
  if (context.parties.length < 2)
    throw new CommandRefused(
      'wrong-state',
      `A case director is named by two parties; case ${command.caseId} has one. Involve another organisation first.`,
      { status: 'one-party' },
    );
  return {
    type: 'CaseDirectorProposed' as const,
    data: {
      caseId: command.caseId,
      proposalId: command.proposalId,
      organisation: command.organisation,
      professionalId: command.professionalId,
      proposedBy: command.actor.organisation,
      proposedAt: command.now,
    },
  };
}

function directorConfirmed(command: ConfirmCaseDirector, facts: FamilyFacts) {
  const proposal = facts.proposal;
  if (!proposal || proposal.proposalId !== command.proposalId)
    throw new CommandRefused(
      'wrong-state',
      proposal
        ? `Proposal ${command.proposalId} is not the open one; confirm ${proposal.proposalId}.`
        : `No case director proposal waits for confirmation in case ${command.caseId}; propose one first.`,
      { status: proposal ? 'other-proposal-open' : 'no-proposal', allowed: proposal ? ['confirm'] : ['propose'] },
    );
  const by = command.actor.organisation;
  if (by === proposal.proposedBy)
    throw new CommandRefused('forbidden', 'Another party confirms the proposal; you proposed it.');
  if (proposal.proposedBy !== proposal.organisation && by !== proposal.organisation)
    throw new CommandRefused(
      'forbidden',
      `${proposal.organisation}, whose professional is proposed, confirms the proposal; you act for ${by}.`,
    );
  return {
    type: 'CaseDirectorConfirmed' as const,
    data: {
      caseId: command.caseId,
      proposalId: proposal.proposalId,
      organisation: proposal.organisation,
      professionalId: proposal.professionalId,
      proposedBy: proposal.proposedBy,
      confirmedBy: by,
      confirmedAt: command.now,
    },
  };
}

function goalSet(command: SetPlanGoal, context: FamilyContext, facts: FamilyFacts) {
  requireId('goalId', command.goalId);
  const personal = personalDataProblem('code', command.code) ?? personalDataProblem('label', command.label);
  if (personal) throw new CommandRefused('personal-data', personal, { field: 'code' });
  const codeIssue = codeProblem('code', command.code);
  if (codeIssue) throw new CommandRefused('invalid', codeIssue, { field: 'code' });
  if (command.label !== undefined) {
    const labelIssue = neutralLabelProblem('label', command.label);
    if (labelIssue) throw new CommandRefused('invalid', labelIssue, { field: 'label' });
  }
  if (!context.parties.includes(command.owner))
    throw new CommandRefused(
      'wrong-state',
      `owner ${command.owner} takes no part in case ${command.caseId}; a goal's owner is one of its parties (${context.parties.join(', ')}). Involve it first.`,
      { field: 'owner', allowed: ['InvolveParty'] },
    );
  if (!/^\d{4}-\d{2}-\d{2}$/.test(command.targetDate) || Number.isNaN(Date.parse(`${command.targetDate}T12:00:00Z`)))
    throw new CommandRefused('invalid', 'targetDate must be a calendar date such as 2026-12-31.', {
      field: 'targetDate',
    });
  const dueAt = endOfDayInAmsterdam(command.targetDate);
  if (Date.parse(dueAt) <= Date.parse(command.now))
    throw new CommandRefused('invalid', `targetDate ${command.targetDate} has passed; set a date from today on.`, {
      field: 'targetDate',
    });
  uniqueId(
    'goalId',
    command.goalId,
    facts.goals.map((g) => g.goalId),
  );
  return {
    type: 'PlanGoalSet' as const,
    data: {
      caseId: command.caseId,
      goalId: command.goalId,
      code: command.code,
      ...(command.label !== undefined ? { label: command.label } : {}),
      targetDate: command.targetDate,
      dueAt,
      owner: command.owner,
      setBy: command.actor.organisation,
      setAt: command.now,
    },
  };
}

function goalResult(command: RecordGoalResult, facts: FamilyFacts) {
  const result = oneOf<GoalResult>('result', command.result, GOAL_RESULTS);
  const goal = facts.goals.find((g) => g.goalId === command.goalId);
  if (!goal)
    throw new CommandRefused('not-found', `No goal ${command.goalId} in the plan of case ${command.caseId}.`, {
      field: 'goalId',
    });
  if (goal.result)
    throw new CommandRefused('wrong-state', `Goal ${goal.goalId} has its result (${goal.result}) already.`, {
      status: 'result-recorded',
      allowed: [],
    });
  const by = command.actor.organisation;
  if (by !== goal.owner && by !== facts.director?.organisation)
    throw new CommandRefused(
      'forbidden',
      `The goal's owner (${goal.owner}) or the case director's organisation records its result; you act for ${by}.`,
    );
  return {
    type: 'PlanGoalResultRecorded' as const,
    data: { caseId: command.caseId, goalId: goal.goalId, result, recordedBy: by, recordedAt: command.now },
  };
}

/**
 * The escalations due at `now`: every re-assessment past its deadline climbs its organisation's
 * ladder one rung (team lead first), and one more each interval up to the director; so does
 * every goal past its target date without a result, at its owner. Recorded by the family
 * workflow's timer; nothing when nothing is due, so a repeated tick records nothing twice.
 */
export function decideFamilyDeadlines(
  facts: FamilyFacts,
  context: FamilyContext,
  deps: FamilyDeps,
  now: string,
): FamilyEscalated[] {
  const t = Date.parse(now);
  const out: FamilyEscalated[] = [];
  const base = { actor: SYSTEM, now, caseId: context.caseId };
  const climb = (progress: EscalationProgress, dueAt: string): EscalationLevel | undefined => {
    if (progress.level === 0) return t >= Date.parse(dueAt) ? 1 : undefined;
    if (progress.level >= TOP || !progress.nextAt || t < Date.parse(progress.nextAt)) return undefined;
    return (progress.level + 1) as EscalationLevel;
  };
  for (const { change, due } of openReassessments(facts)) {
    const level = climb(due.escalation, due.dueAt);
    if (level === undefined) continue;
    out.push(
      escalation(base, context, [due.organisation], 'reassessment-overdue', change.changeId, level, due.dueAt, deps),
    );
  }
  for (const goal of facts.goals) {
    if (goal.result) continue;
    const level = climb(goal.escalation, goal.dueAt);
    if (level === undefined) continue;
    out.push(escalation(base, context, [goal.owner], 'goal-overdue', goal.goalId, level, goal.dueAt, deps));
  }
  return out;
}

const TOP = (ESCALATION_ROLES.length - 1) as EscalationLevel;
const SYSTEM = { subject: 'system:deadline-timer', organisation: 'warm-handover', role: 'system' } as const;

function escalation(
  command: Base,
  context: FamilyContext,
  organisations: readonly string[],
  reason: FamilyEscalated['data']['reason'],
  subjectId: string,
  level: EscalationLevel,
  dueAt: string | undefined,
  deps: FamilyDeps | undefined,
): FamilyEscalated {
  const recipients: LadderRecipient[] = organisations.map((organisation) => {
    const role = ESCALATION_ROLES[level];
    const step = context.ladders[organisation]?.find((s) => s.level === level);
    return { organisation, role, title: step?.title ?? role };
  });
  const nextAt = deps && level < TOP ? deps.calendar(command.now, deps.policy.escalationInterval) : undefined;
  return {
    type: 'FamilyEscalated',
    data: {
      caseId: command.caseId,
      reason,
      subjectId,
      organisations,
      level,
      repeat: 0,
      ...(dueAt ? { dueAt } : {}),
      recipients,
      escalatedAt: command.now,
      ...(nextAt ? { nextAt } : {}),
    },
  };
}

function requireParty(actor: CommandActor, context: FamilyContext): void {
  if (!context.parties.includes(actor.organisation))
    throw new CommandRefused(
      'not-found',
      `No case ${context.caseId} that your organisation takes part in. Check the case id; a party of the case can involve your organisation.`,
    );
}

function oneOf<T extends string>(field: string, value: string, allowed: readonly T[]): T {
  const personal = personalDataProblem(field, value);
  if (personal) throw new CommandRefused('personal-data', personal, { field });
  if (!(allowed as readonly string[]).includes(value))
    throw new CommandRefused('invalid', `${field} must be one of ${allowed.join(', ')}.`, { field });
  return value as T;
}

function requireId(field: string, value: string): void {
  const problem = pseudonymousIdProblem(field, value);
  if (problem) {
    const personal = personalDataProblem(field, value) !== undefined || /spaces|e-mail|BSN/.test(problem);
    throw new CommandRefused(personal ? 'personal-data' : 'invalid', problem, { field });
  }
}

function uniqueId(field: string, value: string, taken: readonly string[]): void {
  requireId(field, value);
  if (taken.includes(value))
    throw new CommandRefused('wrong-state', `${field} ${value} is recorded already; a repeat changes nothing.`, {
      field,
    });
}

function pastInstant(field: string, value: string, now: string): string {
  const t = Date.parse(value);
  if (typeof value !== 'string' || Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T/.test(value))
    throw new CommandRefused('invalid', `${field} must be an ISO-8601 instant such as 2026-04-23T10:00:00Z.`, {
      field,
    });
  if (t > Date.parse(now))
    throw new CommandRefused('invalid', `${field} lies in the future; record what happened, when it happened.`, {
      field,
    });
  return new Date(t).toISOString();
}

/** The instant a calendar date ends in Amsterdam (the start of the next day there). */
export function endOfDayInAmsterdam(date: string): string {
  const next = new Date(Date.parse(`${date}T12:00:00Z`) + 24 * 3_600_000).toISOString().slice(0, 10);
  for (const offset of ['+01:00', '+02:00']) {
    const candidate = new Date(`${next}T00:00:00${offset}`);
    const hour = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Amsterdam',
      hour: '2-digit',
      hourCycle: 'h23',
    }).format(candidate);
    if (hour === '00') return candidate.toISOString();
  }
  return new Date(`${next}T00:00:00+01:00`).toISOString();
}
