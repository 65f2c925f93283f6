import type { LadderRecipient } from '../shared/ladders';
import type { EscalationLevel, LadderStep } from '../organisations/organisation';

/**
 * A report (melding) to Veilig Thuis and its statutory terms (R8; 004 criterion 2.1), one stream
 * per report: `melding-<meldingId>`. The safety assessment is due 5 working days after receipt;
 * an investigation, once started, 10 weeks after its start. The reporter is told the outcome
 * after each. Nothing pauses these clocks: a handover to follow-up care is not an input here
 * (002 §2.5, 004 §6: "de overdracht … mag niet tot een vertraging van de wettelijke termijn leiden").
 */

/** Who reported, as a kind: never the reporter's identity. */
export const REPORTER_KINDS = ['professional', 'police', 'citizen', 'anonymous', 'self'] as const;
export type ReporterKind = (typeof REPORTER_KINDS)[number];

/** Decisions of the safety assessment (veiligheidsbeoordeling). */
export const ASSESSMENT_OUTCOMES = [
  'no-further-action',
  'advice-given',
  'handover-to-local-team',
  'handover-to-care-provider',
  'investigation',
  'acute-intervention',
] as const;
export type AssessmentOutcome = (typeof ASSESSMENT_OUTCOMES)[number];

export const INVESTIGATION_OUTCOMES = [
  'abuse-established',
  'abuse-not-confirmed',
  'no-abuse',
  'handover-to-care-provider',
  'child-protection-board-request',
] as const;
export type InvestigationOutcome = (typeof INVESTIGATION_OUTCOMES)[number];

export type StatutoryTerm = 'safety-assessment' | 'investigation';

export interface MeldingReceived {
  readonly type: 'MeldingReceived';
  readonly data: {
    readonly meldingId: string;
    readonly caseId: string;
    /** The Veilig Thuis organisation that received it. */
    readonly veiligThuis: string;
    readonly reporterKind: ReporterKind;
    readonly receivedAt: string;
    /** 5 working days after receipt (Dutch calendar), computed when it was recorded. */
    readonly assessmentDueAt: string;
    /** The Veilig Thuis ladder, frozen at receipt: warnings and escalations climb it. */
    readonly ladder: readonly LadderStep[];
  };
}

export interface SafetyAssessmentCompleted {
  readonly type: 'SafetyAssessmentCompleted';
  readonly data: {
    readonly meldingId: string;
    readonly caseId: string;
    readonly outcome: AssessmentOutcome;
    readonly completedAt: string;
    readonly dueAt: string;
    readonly withinTerm: boolean;
  };
}

export interface InvestigationStarted {
  readonly type: 'InvestigationStarted';
  readonly data: {
    readonly meldingId: string;
    readonly caseId: string;
    readonly startedAt: string;
    /** 10 weeks after the start. */
    readonly dueAt: string;
  };
}

export interface InvestigationCompleted {
  readonly type: 'InvestigationCompleted';
  readonly data: {
    readonly meldingId: string;
    readonly caseId: string;
    readonly outcome: InvestigationOutcome;
    readonly completedAt: string;
    readonly dueAt: string;
    readonly withinTerm: boolean;
  };
}

/** The reporter was told the outcome (of the assessment or of the investigation). */
export interface ReporterInformed {
  readonly type: 'ReporterInformed';
  readonly data: {
    readonly meldingId: string;
    readonly caseId: string;
    readonly about: StatutoryTerm;
    readonly informedAt: string;
  };
}

/** A term about to pass: the Veilig Thuis team lead is warned. */
export interface StatutoryTermWarned {
  readonly type: 'StatutoryTermWarned';
  readonly data: {
    readonly meldingId: string;
    readonly caseId: string;
    readonly term: StatutoryTerm;
    readonly dueAt: string;
    readonly recipients: readonly LadderRecipient[];
    readonly warnedAt: string;
  };
}

/** A passed term escalates up the Veilig Thuis ladder, above the team lead already warned (R3). */
export interface StatutoryTermEscalated {
  readonly type: 'StatutoryTermEscalated';
  readonly data: {
    readonly meldingId: string;
    readonly caseId: string;
    readonly term: StatutoryTerm;
    readonly reason: 'statutory-term-passed';
    readonly dueAt: string;
    readonly level: EscalationLevel;
    readonly repeat: number;
    readonly recipients: readonly LadderRecipient[];
    readonly escalatedAt: string;
  };
}

export type MeldingEvent =
  | MeldingReceived
  | SafetyAssessmentCompleted
  | InvestigationStarted
  | InvestigationCompleted
  | ReporterInformed
  | StatutoryTermWarned
  | StatutoryTermEscalated;

export const MELDING_EVENT_TYPES: readonly MeldingEvent['type'][] = [
  'MeldingReceived',
  'SafetyAssessmentCompleted',
  'InvestigationStarted',
  'InvestigationCompleted',
  'ReporterInformed',
  'StatutoryTermWarned',
  'StatutoryTermEscalated',
];

export function meldingStreamId(meldingId: string): string {
  return `melding-${meldingId}`;
}

/** Statutory terms: 5 working days for the assessment, 10 weeks for an investigation. */
export const SAFETY_ASSESSMENT_WORKING_DAYS = 5;
export const INVESTIGATION_WEEKS = 10;
/** National norms of the share on time (004 criterion 2.1). */
export const NATIONAL_NORMS = { 'safety-assessment': 0.9, investigation: 0.8 } as const;
