import type { EscalationRole } from '../organisations/organisation';
import { type MeldingState, type TermState, termStatus, type TermStatus } from './melding.decider';
import type { SafetyAgreementState } from './safety-agreement.decider';
import type { MonitoringOutcome, SafetyAgreementCode } from './safety-agreement.events';

/** A safety agreement as the API answers it. */
export interface SafetyAgreementView {
  readonly agreementId: string;
  readonly caseId: string;
  readonly status: 'open' | 'ended';
  readonly code: SafetyAgreementCode;
  readonly description?: string;
  readonly memberIds: readonly string[];
  readonly monitor: { readonly organisation: string; readonly role: EscalationRole };
  readonly madeBy: string;
  readonly madeAt: string;
  readonly moments: readonly {
    readonly moment: string;
    readonly outcome: MonitoringOutcome | null;
    readonly escalationLevel: number | null;
  }[];
  /** Decisions on the monitor role for handovers that have not started yet. */
  readonly monitorDecisions: Readonly<Record<string, 'hand-over' | 'keep'>>;
}

export function toSafetyAgreementView(state: SafetyAgreementState): SafetyAgreementView | null {
  const a = state.agreement;
  if (!a || state.status === 'none') return null;
  return {
    agreementId: a.agreementId,
    caseId: a.caseId,
    status: state.status,
    code: a.code,
    ...(a.description ? { description: a.description } : {}),
    memberIds: a.memberIds,
    monitor: { organisation: state.monitor!.organisation, role: state.monitor!.role },
    madeBy: a.madeBy,
    madeAt: a.madeAt,
    moments: state.moments.map((m) => ({
      moment: m.moment,
      outcome: m.outcome ?? null,
      escalationLevel: m.level < 0 ? null : m.level,
    })),
    monitorDecisions: Object.fromEntries(Object.entries(state.pendingDecisions).map(([h, d]) => [h, d.decision])),
  };
}

interface TermView {
  readonly dueAt: string;
  readonly status: TermStatus;
  readonly completedAt: string | null;
  readonly warnedAt: string | null;
  readonly escalationLevel: number | null;
  readonly reporterInformedAt: string | null;
}

/** A report to Veilig Thuis and its terms as the API answers it. */
export interface MeldingView {
  readonly meldingId: string;
  readonly caseId: string;
  readonly veiligThuis: string;
  readonly status: Exclude<MeldingState['status'], 'none'>;
  readonly receivedAt: string;
  readonly reporterKind: string;
  readonly assessment: TermView & { readonly outcome: string | null };
  readonly investigation: (TermView & { readonly startedAt: string; readonly outcome: string | null }) | null;
}

function termView(t: TermState, now: string): TermView {
  return {
    dueAt: t.dueAt,
    status: termStatus(t, now)!,
    completedAt: t.completedAt ?? null,
    warnedAt: t.warnedAt ?? null,
    escalationLevel: t.level < 0 ? null : t.level,
    reporterInformedAt: t.reporterInformedAt ?? null,
  };
}

export function toMeldingView(state: MeldingState, now: string): MeldingView | null {
  const m = state.melding;
  if (!m || state.status === 'none') return null;
  return {
    meldingId: m.meldingId,
    caseId: m.caseId,
    veiligThuis: m.veiligThuis,
    status: state.status,
    receivedAt: m.receivedAt,
    reporterKind: m.reporterKind,
    assessment: { ...termView(state.assessment!, now), outcome: state.assessment!.outcome ?? null },
    investigation: state.investigation
      ? {
          ...termView(state.investigation, now),
          startedAt: state.investigation.startedAt,
          outcome: state.investigation.outcome ?? null,
        }
      : null,
  };
}

/** Nothing more can happen to the report: every term completed and the reporter told (or anonymous). */
export function meldingDone(state: MeldingState): boolean {
  const informed = (t: { reporterInformedAt?: string } | undefined) =>
    state.melding?.reporterKind === 'anonymous' || Boolean(t?.reporterInformedAt);
  if (state.status === 'investigated') return informed(state.investigation) && informed(state.assessment);
  if (state.status === 'assessed') return state.assessment?.outcome !== 'investigation' && informed(state.assessment);
  return false;
}
