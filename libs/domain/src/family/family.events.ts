import type { LadderRecipient } from '../shared/ladders';
import type { EscalationLevel } from '../organisations/organisation';

/**
 * The family as the case (R5, R6, R9), in the stream `family-<caseId>` with `metadata.caseId`
 * set, so the case's timeline, state and report hold them beside handovers and leads. New event
 * types only: the case's own events keep their meaning. Codes, dates and references, never free
 * text: a change of the family, an outcome, a signal is a code; a risk assessment is a reference
 * to the document in the organisation's own file, never its content.
 */

/** What changed in the family's situation, each a reason to re-assess the children's safety (002 §2.4). */
export const FAMILY_CHANGE_CODES = [
  'moved',
  'new-partner',
  'partner-left',
  'parent-dismissed',
  'mental-health-admission',
  'mental-health-treatment',
  'mental-health-discharge',
  'birth',
  'parent-detained',
  'parent-released',
] as const;
export type FamilyChangeCode = (typeof FAMILY_CHANGE_CODES)[number];

/** The outcome of a risk (re-)assessment: safe, unsafe with conditions needed, or acutely unsafe (004 §1). */
export const RISK_OUTCOMES = ['safe', 'unsafe-conditions-needed', 'acutely-unsafe'] as const;
export type RiskOutcome = (typeof RISK_OUTCOMES)[number];

/** How the family avoids care (R6): did not show, withdrew from care, refused contact. */
export const CARE_AVOIDANCE_CODES = ['no-show', 'withdrew', 'refused-contact'] as const;
export type CareAvoidanceCode = (typeof CARE_AVOIDANCE_CODES)[number];

/** The result recorded for a goal of the family plan. */
export const GOAL_RESULTS = ['achieved', 'partly-achieved', 'not-achieved'] as const;
export type GoalResult = (typeof GOAL_RESULTS)[number];

/** What an escalation of the family is about. */
export type FamilyEscalationReason =
  'reassessment-overdue' | 'care-avoidance-signalled' | 'care-avoidance-repeated' | 'goal-overdue';

/** One organisation's re-assessment owed for a change: due in working days, or in hours after an acutely unsafe outcome. */
export interface ReassessmentDue {
  readonly organisation: string;
  readonly dueAt: string;
  readonly basis: 'working-days' | 'hours';
}

/** Any party records a change of the family's situation; each organisation responsible for a child owes a re-assessment (R5). */
export interface FamilyChangeRecorded {
  readonly type: 'FamilyChangeRecorded';
  readonly data: {
    readonly caseId: string;
    readonly changeId: string;
    readonly code: FamilyChangeCode;
    /** When it happened (effective time); at or before recordedAt. */
    readonly occurredAt: string;
    /** For a birth: the child (pseudonymous id), once added to the case. */
    readonly childId?: string;
    readonly recordedBy: string;
    readonly recordedAt: string;
    readonly reassessments: readonly ReassessmentDue[];
  };
}

/** An organisation responsible for a child records its risk re-assessment; it answers every change it owed one for. */
export interface RiskReassessed {
  readonly type: 'RiskReassessed';
  readonly data: {
    readonly caseId: string;
    readonly organisation: string;
    readonly outcome: RiskOutcome;
    /** A reference to the document in the organisation's own file (a pseudonymous id), never its content. */
    readonly documentRef: string;
    readonly assessedAt: string;
    /** The changes this re-assessment answers (those it was due for). */
    readonly answers: readonly string[];
  };
}

/** Care avoidance, recorded by any party at any time, with or without an open handover (R6). */
export interface CareAvoidanceSignalled {
  readonly type: 'CareAvoidanceSignalled';
  readonly data: {
    readonly caseId: string;
    readonly signalId: string;
    readonly code: CareAvoidanceCode;
    readonly occurredAt: string;
    readonly handoverId?: string;
    readonly signalledBy: string;
    readonly signalledAt: string;
  };
}

/** A case director (regisseur, 1Gezin1Plan1Regisseur) proposed by a party: a pseudonymous professional of an organisation. */
export interface CaseDirectorProposed {
  readonly type: 'CaseDirectorProposed';
  readonly data: {
    readonly caseId: string;
    readonly proposalId: string;
    readonly organisation: string;
    /** Pseudonymous id of the professional, from the organisation's own file. */
    readonly professionalId: string;
    readonly proposedBy: string;
    readonly proposedAt: string;
  };
}

/**
 * The proposal confirmed: by the named organisation when another party proposed it, by another
 * party when the organisation proposed its own professional. From then on the case director.
 */
export interface CaseDirectorConfirmed {
  readonly type: 'CaseDirectorConfirmed';
  readonly data: {
    readonly caseId: string;
    readonly proposalId: string;
    readonly organisation: string;
    readonly professionalId: string;
    readonly proposedBy: string;
    readonly confirmedBy: string;
    readonly confirmedAt: string;
  };
}

/** A goal of the family plan (002 §2.1): a code, optionally a short neutral label, a target date, the owning organisation. */
export interface PlanGoalSet {
  readonly type: 'PlanGoalSet';
  readonly data: {
    readonly caseId: string;
    readonly goalId: string;
    readonly code: string;
    readonly label?: string;
    /** Calendar date (YYYY-MM-DD); overdue once that day has ended in Amsterdam without a result. */
    readonly targetDate: string;
    /** The end of the target date, Amsterdam time: when the goal becomes overdue. */
    readonly dueAt: string;
    readonly owner: string;
    readonly setBy: string;
    readonly setAt: string;
  };
}

export interface PlanGoalResultRecorded {
  readonly type: 'PlanGoalResultRecorded';
  readonly data: {
    readonly caseId: string;
    readonly goalId: string;
    readonly result: GoalResult;
    readonly recordedBy: string;
    readonly recordedAt: string;
  };
}

/**
 * An escalation of the family, of one organisation, in the shape of a handover's: level, repeat,
 * recipients from the organisation's ladder, the instant it happened, the next one due. The
 * notifier tells each recipient.
 */
export interface FamilyEscalated {
  readonly type: 'FamilyEscalated';
  readonly data: {
    readonly caseId: string;
    readonly reason: FamilyEscalationReason;
    /** The change, signal or goal it is about. */
    readonly subjectId: string;
    /** The organisation whose ladder it climbs (for a signal: every organisation told). */
    readonly organisations: readonly string[];
    readonly level: EscalationLevel;
    /** 0 for the first escalation to this level; reminders at the top are not recorded (the notice repeats itself). */
    readonly repeat: number;
    /** The deadline missed (a re-assessment, a goal); absent for a signal. */
    readonly dueAt?: string;
    readonly recipients: readonly LadderRecipient[];
    readonly escalatedAt: string;
    /** When it goes one rung up if still not settled; absent at the top and for signals. */
    readonly nextAt?: string;
  };
}

export type FamilyEvent =
  | FamilyChangeRecorded
  | RiskReassessed
  | CareAvoidanceSignalled
  | CaseDirectorProposed
  | CaseDirectorConfirmed
  | PlanGoalSet
  | PlanGoalResultRecorded
  | FamilyEscalated;

export const FAMILY_EVENT_TYPES: readonly FamilyEvent['type'][] = [
  'FamilyChangeRecorded',
  'RiskReassessed',
  'CareAvoidanceSignalled',
  'CaseDirectorProposed',
  'CaseDirectorConfirmed',
  'PlanGoalSet',
  'PlanGoalResultRecorded',
  'FamilyEscalated',
];

export function familyStreamId(caseId: string): string {
  return `family-${caseId}`;
}
