import { asCaseEvent, type CaseRecord, effectiveTime } from '../case/case-record';
import { type CaseParty, foldCaseFacts, responsibilityByChildAt } from '../case/case.facts';
import type { LeadEvent, LeadRegionMismatch } from '../lead/lead.events';
import { leadsAt } from '../lead/leads.projection';
import type { CareAvoidanceCode, FamilyChangeCode, GoalResult, RiskOutcome } from './family.events';
import { type CaseDirector, type CareAvoidanceSignal, foldFamilyFacts, signalsInWindow } from './family.facts';

/**
 * The family in one overview (R9, R10): its children and who is responsible for each, every
 * organisation involved and in which role, the case director, every change of the family and
 * whether each responsible organisation re-assessed it, the care-avoidance signals and the plan's
 * goals; now or at any past moment, on both clocks, as the case state: `asRecordedAt` keeps the
 * events recorded by then (what the system knew), `at` those in effect by then.
 */

export interface FamilyOverviewQuery {
  readonly at: string;
  readonly asRecordedAt: string;
  /** Window of the signal count; 30 days by default. */
  readonly signalWindowDays?: number;
}

export interface OrganisationRole {
  readonly organisation: string;
  /** How it became a party (opened the case, sent or received a handover, involved, …). */
  readonly bases: CaseParty['bases'];
  readonly reasons?: CaseParty['reasons'];
  /** The chains it leads at that moment. */
  readonly leads: readonly ('care' | 'safety')[];
  /** The children it is responsible for at that moment. */
  readonly responsibleFor: readonly string[];
  readonly caseDirector: boolean;
}

export type ReassessmentState = 'reassessed' | 'due' | 'overdue';

export interface FamilyChangeView {
  readonly changeId: string;
  readonly code: FamilyChangeCode;
  readonly occurredAt: string;
  readonly recordedBy: string;
  readonly recordedAt: string;
  readonly childId?: string;
  /** True once every organisation that owed a re-assessment recorded one. */
  readonly reassessed: boolean;
  readonly reassessments: readonly {
    readonly organisation: string;
    readonly dueAt: string;
    readonly basis: 'working-days' | 'hours';
    readonly state: ReassessmentState;
    readonly assessedAt?: string;
    readonly outcome?: RiskOutcome;
    readonly documentRef?: string;
    /** 0 while not escalated; 1 team lead, 2 manager, 3 director. */
    readonly escalationLevel: number;
  }[];
}

export interface GoalView {
  readonly goalId: string;
  readonly code: string;
  readonly label?: string;
  readonly targetDate: string;
  readonly owner: string;
  readonly state: 'open' | 'overdue' | GoalResult;
  readonly resultAt?: string;
  readonly escalationLevel: number;
}

export interface FamilyOverview {
  readonly caseId: string;
  readonly at: string;
  readonly asRecordedAt: string;
  readonly basis: 'effective-time';
  readonly children: readonly { readonly childId: string; readonly responsible: string; readonly since: string }[];
  readonly organisations: readonly OrganisationRole[];
  readonly leads: { readonly care?: string; readonly safety?: string };
  readonly caseDirector?: CaseDirector;
  readonly changes: readonly FamilyChangeView[];
  readonly latestAssessments: readonly {
    readonly organisation: string;
    readonly outcome: RiskOutcome;
    readonly assessedAt: string;
    readonly documentRef: string;
  }[];
  readonly signals: {
    readonly count: number;
    readonly windowDays: number;
    readonly inWindow: number;
    readonly list: readonly (Omit<CareAvoidanceSignal, 'code'> & { readonly code: CareAvoidanceCode })[];
  };
  readonly goals: readonly GoalView[];
}

export function familyOverviewAt(
  caseId: string,
  records: readonly CaseRecord[],
  query: FamilyOverviewQuery,
): FamilyOverview {
  const at = Date.parse(query.at);
  const atIso = new Date(at).toISOString();
  const known = records.filter((r) => Date.parse(r.recordedAt) <= Date.parse(query.asRecordedAt));
  const inEffect = known.filter((r) => Date.parse(effectiveTime(r)) <= at).map(asCaseEvent);
  const caseFacts = foldCaseFacts(inEffect);
  const family = foldFamilyFacts(inEffect);
  const children = responsibilityByChildAt(caseFacts, atIso);
  const leads = leadsAt(
    caseId,
    inEffect.filter((e) => e.type.startsWith('Lead')) as (LeadEvent | LeadRegionMismatch)[],
    atIso,
  );
  const windowDays = query.signalWindowDays ?? 30;

  const organisations = [...caseFacts.parties.values()].map((party) => ({
    organisation: party.organisation,
    bases: party.bases,
    ...(party.reasons ? { reasons: party.reasons } : {}),
    leads: (['care', 'safety'] as const).filter((chain) => leads[chain]?.organisation === party.organisation),
    responsibleFor: children.filter((c) => c.responsible.organisation === party.organisation).map((c) => c.childId),
    caseDirector: family.director?.organisation === party.organisation,
  }));

  const latest = new Map<string, FamilyOverview['latestAssessments'][number]>();
  for (const a of family.assessments)
    latest.set(a.organisation, {
      organisation: a.organisation,
      outcome: a.outcome,
      assessedAt: a.assessedAt,
      documentRef: a.documentRef,
    });

  return {
    caseId,
    at: atIso,
    asRecordedAt: new Date(query.asRecordedAt).toISOString(),
    basis: 'effective-time',
    children: children.map((c) => ({
      childId: c.childId,
      responsible: c.responsible.organisation,
      since: c.responsible.since,
    })),
    organisations,
    leads: {
      ...(leads.care ? { care: leads.care.organisation } : {}),
      ...(leads.safety ? { safety: leads.safety.organisation } : {}),
    },
    ...(family.director ? { caseDirector: family.director } : {}),
    changes: family.changes.map((change) => {
      const reassessments: FamilyChangeView['reassessments'][number][] = change.reassessments.map((r) => ({
        organisation: r.organisation,
        dueAt: r.dueAt,
        basis: r.basis,
        state: r.assessedAt ? 'reassessed' : Date.parse(r.dueAt) <= at ? 'overdue' : 'due',
        ...(r.assessedAt ? { assessedAt: r.assessedAt, outcome: r.outcome!, documentRef: r.documentRef! } : {}),
        escalationLevel: r.escalation.level,
      }));
      return {
        changeId: change.changeId,
        code: change.code,
        occurredAt: change.occurredAt,
        recordedBy: change.recordedBy,
        recordedAt: change.recordedAt,
        ...(change.childId ? { childId: change.childId } : {}),
        reassessed: reassessments.every((r) => r.state === 'reassessed'),
        reassessments,
      };
    }),
    latestAssessments: [...latest.values()],
    signals: {
      count: family.signals.length,
      windowDays,
      inWindow: signalsInWindow(family, atIso, windowDays).length,
      list: family.signals,
    },
    goals: family.goals.map((g) => ({
      goalId: g.goalId,
      code: g.code,
      ...(g.label !== undefined ? { label: g.label } : {}),
      targetDate: g.targetDate,
      owner: g.owner,
      state: g.result ?? (Date.parse(g.dueAt) <= at ? 'overdue' : 'open'),
      ...(g.resultAt ? { resultAt: g.resultAt } : {}),
      escalationLevel: g.escalation.level,
    })),
  };
}
