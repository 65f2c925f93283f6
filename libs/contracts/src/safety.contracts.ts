import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  ApplyResponsibilityMove,
  CompleteInvestigation,
  CompleteSafetyAssessment,
  DecideMonitorRole,
  EndSafetyAgreement,
  InformReporter,
  MakeSafetyAgreement,
  MeldingState,
  MeldingView,
  ReceiveMelding,
  RecordMonitoringResult,
  SafetyAgreementState,
  SafetyAgreementView,
  StartInvestigation,
  TransferMonitorRole,
} from '@warm-handover/domain';
import type { CommandMeta, HandoverActivities } from './handover.contracts';

type WithoutClock<T> = Omit<T, 'now' | 'actor'>;

export type MakeSafetyAgreementInput = Omit<WithoutClock<MakeSafetyAgreement>, 'type'>;

/** The commands people send to an agreement. */
export type SafetyAgreementCommandInput =
  | WithoutClock<RecordMonitoringResult>
  | WithoutClock<DecideMonitorRole>
  | WithoutClock<TransferMonitorRole>
  | WithoutClock<EndSafetyAgreement>;

/** A handover of the family started: sent by the system, never by a person. */
export type ResponsibilityMovedInput = Omit<WithoutClock<ApplyResponsibilityMove>, 'type'>;

export const makeSafetyAgreementUpdate = defineUpdate<
  SafetyAgreementView,
  [{ meta: CommandMeta; make: MakeSafetyAgreementInput }]
>('makeSafetyAgreement');
export const safetyAgreementCommandUpdate = defineUpdate<
  SafetyAgreementView,
  [{ meta: CommandMeta; command: SafetyAgreementCommandInput }]
>('safetyAgreementCommand');
export const responsibilityMovedUpdate = defineUpdate<
  SafetyAgreementView,
  [{ meta: CommandMeta; move: ResponsibilityMovedInput }]
>('responsibilityMoved');
export const safetyAgreementViewQuery = defineQuery<SafetyAgreementView | null>('safetyAgreementView');

/** POST /cases/{caseId}/meldingen as the workflow receives it; it computes the assessment's due instant. */
export type ReceiveMeldingInput = Omit<WithoutClock<ReceiveMelding>, 'type' | 'assessmentDueAt'>;

export type MeldingCommandInput =
  | WithoutClock<CompleteSafetyAssessment>
  | Omit<WithoutClock<StartInvestigation>, 'dueAt'>
  | WithoutClock<CompleteInvestigation>
  | WithoutClock<InformReporter>;

export const receiveMeldingUpdate = defineUpdate<MeldingView, [{ meta: CommandMeta; receive: ReceiveMeldingInput }]>(
  'receiveMelding',
);
export const meldingCommandUpdate = defineUpdate<MeldingView, [{ meta: CommandMeta; command: MeldingCommandInput }]>(
  'meldingCommand',
);
export const meldingViewQuery = defineQuery<MeldingView | null>('meldingView');

/** The instants the safety workflows wait for; computed on the Dutch working-day calendar. */
export type SafetyDueInput =
  | { readonly kind: 'monitoring-result'; readonly moment: string }
  | {
      readonly kind:
        'assessment-due' | 'assessment-warn' | 'investigation-due' | 'investigation-warn' | 'next-escalation';
      readonly from: string;
    };

export interface SafetyActivities {
  safetyDueAt(input: SafetyDueInput): Promise<string>;
  recordEvents: HandoverActivities['recordEvents'];
}

/**
 * What a run hands to the next when it continues as new (a bounded history): the aggregate's
 * state and the due instants already computed, so a calendar update cannot move a running
 * deadline. The first run gets nothing.
 */
export interface SafetyAgreementWorkflowInput {
  readonly carried?: {
    readonly state: SafetyAgreementState;
    /** Monitoring moment (YYYY-MM-DD) → when its result is due. */
    readonly resultDue: Readonly<Record<string, string>>;
    /** Last escalation instant → the next one. */
    readonly nextAfter: Readonly<Record<string, string>>;
  };
}

export interface MeldingWorkflowInput {
  readonly carried?: {
    readonly state: MeldingState;
    /** `<kind>:<from>` → the instant computed for it. */
    readonly computed: Readonly<Record<string, string>>;
  };
}

export const safetyAgreementWorkflowId = (agreementId: string) => `safety-agreement-${agreementId}`;
export const meldingWorkflowId = (meldingId: string) => `melding-${meldingId}`;
