import { CommandRefused } from '../shared/command-refused';
import type { CommandActor } from '../shared/actor';
import type { LadderRecipient } from '../shared/ladders';
import { pseudonymousIdProblem } from '../shared/pseudonymous-id';
import { ESCALATION_ROLES, type EscalationLevel, type LadderStep } from '../organisations/organisation';
import {
  ASSESSMENT_OUTCOMES,
  type AssessmentOutcome,
  INVESTIGATION_OUTCOMES,
  type InvestigationOutcome,
  type MeldingEvent,
  type MeldingReceived,
  REPORTER_KINDS,
  type ReporterKind,
  type StatutoryTerm,
} from './melding.events';

interface CommandBase {
  readonly actor: CommandActor;
  readonly now: string;
}

export interface ReceiveMelding extends CommandBase {
  readonly type: 'ReceiveMelding';
  readonly meldingId: string;
  readonly caseId: string;
  readonly reporterKind: ReporterKind;
  /** When the report came in; defaults to now. */
  readonly receivedAt: string;
  /** Computed by the host: 5 working days after receipt. */
  readonly assessmentDueAt: string;
  readonly ladder: readonly LadderStep[];
}

export interface CompleteSafetyAssessment extends CommandBase {
  readonly type: 'CompleteSafetyAssessment';
  readonly outcome: AssessmentOutcome;
  readonly completedAt: string;
}

export interface StartInvestigation extends CommandBase {
  readonly type: 'StartInvestigation';
  readonly startedAt: string;
  /** Computed by the host: 10 weeks after the start. */
  readonly dueAt: string;
}

export interface CompleteInvestigation extends CommandBase {
  readonly type: 'CompleteInvestigation';
  readonly outcome: InvestigationOutcome;
  readonly completedAt: string;
}

export interface InformReporter extends CommandBase {
  readonly type: 'InformReporter';
  readonly about: StatutoryTerm;
  readonly informedAt: string;
}

export interface WarnTerm extends CommandBase {
  readonly type: 'WarnTerm';
  readonly term: StatutoryTerm;
}

export interface EscalateTerm extends CommandBase {
  readonly type: 'EscalateTerm';
  readonly term: StatutoryTerm;
}

export type MeldingCommand =
  | ReceiveMelding
  | CompleteSafetyAssessment
  | StartInvestigation
  | CompleteInvestigation
  | InformReporter
  | WarnTerm
  | EscalateTerm;

export interface TermState {
  readonly dueAt: string;
  readonly completedAt?: string;
  readonly withinTerm?: boolean;
  readonly warnedAt?: string;
  /** -1 when never escalated. */
  readonly level: number;
  readonly repeat: number;
  readonly lastEscalatedAt?: string;
  readonly reporterInformedAt?: string;
}

export interface MeldingState {
  readonly status: 'none' | 'received' | 'assessed' | 'investigating' | 'investigated';
  readonly melding?: MeldingReceived['data'];
  readonly assessment?: TermState & { readonly outcome?: AssessmentOutcome };
  readonly investigation?: TermState & { readonly outcome?: InvestigationOutcome; readonly startedAt: string };
  readonly version: number;
}

export const initialMeldingState: MeldingState = { status: 'none', version: 0 };

/** The rung a term about to pass warns; a passed term escalates from the rung above it. */
export const TERM_WARNING_LEVEL: EscalationLevel = 1;

function invalid(field: string, message: string): never {
  throw new CommandRefused('invalid', message, { field });
}

function instant(field: string, value: unknown, notBefore: string | undefined, now: string): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
    invalid(field, `${field} must be an ISO-8601 date-time.`);
  if (Date.parse(value) > Date.parse(now)) invalid(field, `${field} lies in the future; record it when it happened.`);
  if (notBefore && Date.parse(value) < Date.parse(notBefore))
    invalid(field, `${field} lies before ${notBefore}, the step it follows.`);
  return value;
}

function ladderRecipient(m: MeldingReceived['data'], level: EscalationLevel): LadderRecipient {
  const role = ESCALATION_ROLES[level];
  return { organisation: m.veiligThuis, role, title: m.ladder.find((s) => s.level === level)?.title ?? role };
}

function ownVeiligThuis(state: MeldingState, actor: CommandActor): MeldingReceived['data'] {
  if (state.status === 'none')
    throw new CommandRefused('not-found', 'No such report; record it first with POST /cases/{caseId}/meldingen.');
  const melding = state.melding!;
  if (actor.organisation !== melding.veiligThuis)
    throw new CommandRefused('forbidden', `Only ${melding.veiligThuis}, which received the report, records its steps.`);
  return melding;
}

function wrongState(state: MeldingState, message: string): never {
  throw new CommandRefused('wrong-state', message, { status: state.status, allowed: allowedIn(state) });
}

function allowedIn(state: MeldingState): string[] {
  switch (state.status) {
    case 'none':
      return ['ReceiveMelding'];
    case 'received':
      return ['CompleteSafetyAssessment'];
    case 'assessed':
      return [
        ...(state.assessment?.outcome === 'investigation' ? ['StartInvestigation'] : []),
        ...(state.assessment?.reporterInformedAt ? [] : ['InformReporter']),
      ];
    case 'investigating':
      return ['CompleteInvestigation', ...(state.assessment?.reporterInformedAt ? [] : ['InformReporter'])];
    case 'investigated':
      return state.investigation?.reporterInformedAt ? [] : ['InformReporter'];
  }
}

/**
 * Decides a command on a report to Veilig Thuis. Pure: due instants (working days, weeks) are
 * computed by the host and come in with the command, like time itself. No command pauses a
 * term: there is none for a handover, by design (R8).
 */
export function decideMelding(command: MeldingCommand, state: MeldingState): MeldingEvent[] {
  switch (command.type) {
    case 'ReceiveMelding': {
      if (state.status !== 'none') wrongState(state, 'This report is already recorded.');
      for (const [field, value] of [
        ['meldingId', command.meldingId],
        ['caseId', command.caseId],
      ] as const) {
        const problem = pseudonymousIdProblem(field, value);
        if (problem) throw new CommandRefused('personal-data', problem, { field });
      }
      if (!(REPORTER_KINDS as readonly string[]).includes(command.reporterKind))
        invalid('reporterKind', `reporterKind must be one of ${REPORTER_KINDS.join(', ')} (a kind, never who).`);
      const receivedAt = instant('receivedAt', command.receivedAt, undefined, command.now);
      if (command.ladder.length !== ESCALATION_ROLES.length)
        throw new CommandRefused('forbidden', 'Only a Veilig Thuis organisation of the directory records reports.');
      return [
        {
          type: 'MeldingReceived',
          data: {
            meldingId: command.meldingId,
            caseId: command.caseId,
            veiligThuis: command.actor.organisation,
            reporterKind: command.reporterKind,
            receivedAt,
            assessmentDueAt: command.assessmentDueAt,
            ladder: command.ladder,
          },
        },
      ];
    }
    case 'CompleteSafetyAssessment': {
      const melding = ownVeiligThuis(state, command.actor);
      if (state.status !== 'received')
        wrongState(state, 'The safety assessment is already completed; continue with what it decided.');
      if (!(ASSESSMENT_OUTCOMES as readonly string[]).includes(command.outcome))
        invalid('outcome', `outcome must be one of ${ASSESSMENT_OUTCOMES.join(', ')}.`);
      const completedAt = instant('completedAt', command.completedAt, melding.receivedAt, command.now);
      return [
        {
          type: 'SafetyAssessmentCompleted',
          data: {
            meldingId: melding.meldingId,
            caseId: melding.caseId,
            outcome: command.outcome,
            completedAt,
            dueAt: melding.assessmentDueAt,
            withinTerm: Date.parse(completedAt) <= Date.parse(melding.assessmentDueAt),
          },
        },
      ];
    }
    case 'StartInvestigation': {
      const melding = ownVeiligThuis(state, command.actor);
      if (state.status !== 'assessed' || state.assessment?.outcome !== 'investigation')
        wrongState(
          state,
          state.status === 'received'
            ? 'Complete the safety assessment first, with outcome "investigation".'
            : 'An investigation starts only after a safety assessment that decided on one, and only once.',
        );
      const startedAt = instant('startedAt', command.startedAt, state.assessment.completedAt, command.now);
      return [
        {
          type: 'InvestigationStarted',
          data: { meldingId: melding.meldingId, caseId: melding.caseId, startedAt, dueAt: command.dueAt },
        },
      ];
    }
    case 'CompleteInvestigation': {
      const melding = ownVeiligThuis(state, command.actor);
      if (state.status !== 'investigating') wrongState(state, 'There is no investigation running to complete.');
      if (!(INVESTIGATION_OUTCOMES as readonly string[]).includes(command.outcome))
        invalid('outcome', `outcome must be one of ${INVESTIGATION_OUTCOMES.join(', ')}.`);
      const investigation = state.investigation!;
      const completedAt = instant('completedAt', command.completedAt, investigation.startedAt, command.now);
      return [
        {
          type: 'InvestigationCompleted',
          data: {
            meldingId: melding.meldingId,
            caseId: melding.caseId,
            outcome: command.outcome,
            completedAt,
            dueAt: investigation.dueAt,
            withinTerm: Date.parse(completedAt) <= Date.parse(investigation.dueAt),
          },
        },
      ];
    }
    case 'InformReporter': {
      const melding = ownVeiligThuis(state, command.actor);
      if (melding.reporterKind === 'anonymous')
        invalid('about', 'The reporter is anonymous; there is nobody to inform.');
      const term = command.about === 'safety-assessment' ? state.assessment : state.investigation;
      if (command.about !== 'safety-assessment' && command.about !== 'investigation')
        invalid('about', 'about must be "safety-assessment" or "investigation".');
      if (!term?.completedAt)
        wrongState(state, `Tell the reporter the outcome once the ${command.about} is completed.`);
      if (term.reporterInformedAt)
        wrongState(state, `The reporter was already told the outcome of the ${command.about}.`);
      const informedAt = instant('informedAt', command.informedAt, term.completedAt, command.now);
      return [
        {
          type: 'ReporterInformed',
          data: { meldingId: melding.meldingId, caseId: melding.caseId, about: command.about, informedAt },
        },
      ];
    }
    case 'WarnTerm': {
      const term = openTerm(state, command.term);
      if (!term || term.warnedAt || term.level >= 0) return [];
      const melding = state.melding!;
      return [
        {
          type: 'StatutoryTermWarned',
          data: {
            meldingId: melding.meldingId,
            caseId: melding.caseId,
            term: command.term,
            dueAt: term.dueAt,
            recipients: [ladderRecipient(melding, TERM_WARNING_LEVEL)],
            warnedAt: command.now,
          },
        },
      ];
    }
    case 'EscalateTerm': {
      const term = openTerm(state, command.term);
      if (!term) return [];
      const melding = state.melding!;
      const level = (term.level < 0 ? TERM_WARNING_LEVEL + 1 : Math.min(term.level + 1, 3)) as EscalationLevel;
      const repeat = term.level === 3 ? term.repeat + 1 : 0;
      return [
        {
          type: 'StatutoryTermEscalated',
          data: {
            meldingId: melding.meldingId,
            caseId: melding.caseId,
            term: command.term,
            reason: 'statutory-term-passed',
            dueAt: term.dueAt,
            level,
            repeat,
            recipients: [ladderRecipient(melding, level)],
            escalatedAt: command.now,
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

/** The term if it is still running (not completed). */
export function openTerm(state: MeldingState, term: StatutoryTerm): TermState | undefined {
  const t = term === 'safety-assessment' ? state.assessment : state.investigation;
  return t && !t.completedAt ? t : undefined;
}

export function evolveMelding(state: MeldingState, event: MeldingEvent): MeldingState {
  const version = state.version + 1;
  switch (event.type) {
    case 'MeldingReceived':
      return {
        status: 'received',
        melding: event.data,
        assessment: { dueAt: event.data.assessmentDueAt, level: -1, repeat: 0 },
        version,
      };
    case 'SafetyAssessmentCompleted':
      return {
        ...state,
        status: 'assessed',
        assessment: {
          ...state.assessment!,
          outcome: event.data.outcome,
          completedAt: event.data.completedAt,
          withinTerm: event.data.withinTerm,
        },
        version,
      };
    case 'InvestigationStarted':
      return {
        ...state,
        status: 'investigating',
        investigation: { startedAt: event.data.startedAt, dueAt: event.data.dueAt, level: -1, repeat: 0 },
        version,
      };
    case 'InvestigationCompleted':
      return {
        ...state,
        status: 'investigated',
        investigation: {
          ...state.investigation!,
          outcome: event.data.outcome,
          completedAt: event.data.completedAt,
          withinTerm: event.data.withinTerm,
        },
        version,
      };
    case 'ReporterInformed':
      return event.data.about === 'safety-assessment'
        ? { ...state, assessment: { ...state.assessment!, reporterInformedAt: event.data.informedAt }, version }
        : { ...state, investigation: { ...state.investigation!, reporterInformedAt: event.data.informedAt }, version };
    case 'StatutoryTermWarned':
      return withTerm(state, event.data.term, { warnedAt: event.data.warnedAt }, version);
    case 'StatutoryTermEscalated':
      return withTerm(
        state,
        event.data.term,
        { level: event.data.level, repeat: event.data.repeat, lastEscalatedAt: event.data.escalatedAt },
        version,
      );
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

function withTerm(state: MeldingState, term: StatutoryTerm, change: Partial<TermState>, version: number): MeldingState {
  return term === 'safety-assessment'
    ? { ...state, assessment: { ...state.assessment!, ...change }, version }
    : { ...state, investigation: { ...state.investigation!, ...change }, version };
}

export type TermStatus = 'running' | 'overdue' | 'met' | 'missed';

/** How a term stands at `now`: running, overdue (still open, past due), met or missed. */
export function termStatus(term: TermState | undefined, now: string): TermStatus | undefined {
  if (!term) return undefined;
  if (term.completedAt) return term.withinTerm ? 'met' : 'missed';
  return Date.parse(now) > Date.parse(term.dueAt) ? 'overdue' : 'running';
}
