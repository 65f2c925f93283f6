import type { LadderRecipient } from '../shared/ladders';
import type { EscalationLevel, EscalationRole, LadderStep } from '../organisations/organisation';

/**
 * Safety agreements (veiligheidsafspraken, R7), one stream per agreement: `safety-<agreementId>`.
 * Seed 004 criterion 1.3/1.5: "it is recorded who oversees the agreements" and "with whom and
 * when monitoring is done", the outcome of each moment and whether the safety of every family
 * member is restored. Codes, dates and pseudonymous ids only; the one free text (a short
 * neutral description, when no code fits) is kept outside the hash chain by the event store.
 */

/** What an agreement is about, as a code; `other` needs a short neutral description. */
export const SAFETY_AGREEMENT_CODES = [
  'no-contact-with-suspect',
  'supervised-contact-only',
  'no-violence-in-presence-of-children',
  'no-substance-use-while-caring',
  'children-attend-school-or-day-care',
  'parent-follows-treatment',
  'family-accepts-home-visits',
  'family-cooperates-with-help',
  'safe-place-to-stay',
  'other',
] as const;
export type SafetyAgreementCode = (typeof SAFETY_AGREEMENT_CODES)[number];

/** The outcome of one monitoring moment (004 criterion 1.5). */
export const MONITORING_OUTCOMES = ['kept', 'not-kept', 'could-not-be-checked'] as const;
export type MonitoringOutcome = (typeof MONITORING_OUTCOMES)[number];

/** The effect on one family member's safety, as seen at the moment. */
export const SAFETY_EFFECTS = ['safe', 'improved', 'unchanged', 'worse', 'unsafe', 'unknown'] as const;
export type SafetyEffect = (typeof SAFETY_EFFECTS)[number];

/** A rhythm of monitoring moments, expanded into dates when the agreement is made. */
export interface MonitoringRhythm {
  readonly every: 'week' | 'two-weeks' | 'four-weeks';
  /** First moment, a calendar date (YYYY-MM-DD). */
  readonly from: string;
  /** Last possible moment, inclusive. */
  readonly until: string;
}

/** Who monitors an agreement: an organisation and the rung of its ladder that does it. */
export interface Monitor {
  readonly organisation: string;
  readonly role: EscalationRole;
  /** The monitor's ladder, frozen when the role was given: a missed moment escalates up it. */
  readonly ladder: readonly LadderStep[];
}

export interface SafetyAgreementMade {
  readonly type: 'SafetyAgreementMade';
  readonly data: {
    readonly agreementId: string;
    readonly caseId: string;
    readonly code: SafetyAgreementCode;
    /** Only with code `other`: a short neutral description (no names, numbers or addresses). */
    readonly description?: string;
    /** Pseudonymous ids of the family members the agreement protects (children and adults). */
    readonly memberIds: readonly string[];
    readonly monitor: Monitor;
    /** The moments as calendar dates (YYYY-MM-DD), sorted; from the dates given or the rhythm. */
    readonly moments: readonly string[];
    readonly rhythm?: MonitoringRhythm;
    readonly madeBy: string;
    readonly madeAt: string;
  };
}

export interface MemberSafetyEffect {
  readonly memberId: string;
  readonly effect: SafetyEffect;
}

export interface MonitoringResultRecorded {
  readonly type: 'MonitoringResultRecorded';
  readonly data: {
    readonly agreementId: string;
    readonly caseId: string;
    /** The moment (YYYY-MM-DD) this result belongs to. */
    readonly moment: string;
    readonly outcome: MonitoringOutcome;
    /** One effect per family member of the agreement (004: "is the safety of all members restored"). */
    readonly effects: readonly MemberSafetyEffect[];
    readonly recordedBy: string;
    /** When the monitor checked (effective time). */
    readonly checkedOn: string;
    readonly recordedAt: string;
  };
}

/**
 * An agreement not kept tells the organisation responsible for the family and the lead at once,
 * whatever the monitor's own ladder does (R7; 002 §2.5: who is responsible must know).
 */
export interface SafetyAgreementBreachReported {
  readonly type: 'SafetyAgreementBreachReported';
  readonly data: {
    readonly agreementId: string;
    readonly caseId: string;
    readonly moment: string;
    readonly responsibleOrg: string;
    readonly leadOrgs: readonly string[];
    readonly recipients: readonly LadderRecipient[];
    readonly reportedAt: string;
  };
}

/** A moment whose result was not recorded in time escalates up the monitor's ladder (R3). */
export interface MonitoringEscalated {
  readonly type: 'MonitoringEscalated';
  readonly data: {
    readonly agreementId: string;
    readonly caseId: string;
    readonly moment: string;
    readonly reason: 'monitoring-result-overdue';
    /** When the result was due. */
    readonly dueAt: string;
    readonly level: EscalationLevel;
    /** 0 for the first escalation to this level, 1, 2… for reminders at the top of the ladder. */
    readonly repeat: number;
    readonly recipients: readonly LadderRecipient[];
    readonly escalatedAt: string;
  };
}

/** How the monitor role came to another organisation. */
export type MonitorTransferBasis = 'handed-over' | 'inherited-at-start';

/**
 * The monitor role moved: handed over explicitly, or (when responsibility moved by a started
 * handover and nobody decided) inherited by the receiver — recorded, never implied.
 */
export interface MonitorRoleTransferred {
  readonly type: 'MonitorRoleTransferred';
  readonly data: {
    readonly agreementId: string;
    readonly caseId: string;
    readonly from: { readonly organisation: string; readonly role: EscalationRole };
    readonly to: Monitor;
    readonly basis: MonitorTransferBasis;
    readonly handoverId?: string;
    readonly transferredAt: string;
  };
}

/** The monitor keeps the role although responsibility moves (or is about to move). */
export interface MonitorRoleKept {
  readonly type: 'MonitorRoleKept';
  readonly data: {
    readonly agreementId: string;
    readonly caseId: string;
    readonly organisation: string;
    readonly handoverId?: string;
    readonly keptAt: string;
  };
}

/** For a handover not yet started: the decision is recorded now and takes effect at the start (R1). */
export interface MonitorRoleDecided {
  readonly type: 'MonitorRoleDecided';
  readonly data: {
    readonly agreementId: string;
    readonly caseId: string;
    readonly handoverId: string;
    readonly decision: 'hand-over' | 'keep';
    /** For hand-over: the rung of the receiver that takes the role. */
    readonly toRole?: EscalationRole;
    readonly decidedBy: string;
    readonly decidedAt: string;
  };
}

export const AGREEMENT_END_REASONS = ['fulfilled', 'replaced', 'safety-restored', 'case-closed'] as const;
export type AgreementEndReason = (typeof AGREEMENT_END_REASONS)[number];

export interface SafetyAgreementEnded {
  readonly type: 'SafetyAgreementEnded';
  readonly data: {
    readonly agreementId: string;
    readonly caseId: string;
    readonly reason: AgreementEndReason;
    readonly endedBy: string;
    readonly endedAt: string;
  };
}

export type SafetyAgreementEvent =
  | SafetyAgreementMade
  | MonitoringResultRecorded
  | SafetyAgreementBreachReported
  | MonitoringEscalated
  | MonitorRoleDecided
  | MonitorRoleTransferred
  | MonitorRoleKept
  | SafetyAgreementEnded;

export const SAFETY_AGREEMENT_EVENT_TYPES: readonly SafetyAgreementEvent['type'][] = [
  'SafetyAgreementMade',
  'MonitoringResultRecorded',
  'SafetyAgreementBreachReported',
  'MonitoringEscalated',
  'MonitorRoleDecided',
  'MonitorRoleTransferred',
  'MonitorRoleKept',
  'SafetyAgreementEnded',
];

export function safetyAgreementStreamId(agreementId: string): string {
  return `safety-${agreementId}`;
}
