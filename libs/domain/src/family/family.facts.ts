import type { EscalationLevel } from '../organisations/organisation';
import type {
  CareAvoidanceSignalled,
  FamilyChangeCode,
  FamilyEscalationReason,
  FamilyEvent,
  GoalResult,
  PlanGoalSet,
  ReassessmentDue,
  RiskOutcome,
} from './family.events';

/**
 * What the family's own events say, folded in recorded order; pure. The deciders decide on it,
 * the family workflow's timers wake on it, and the overview shows it.
 */

/** How far an overdue item climbed its organisation's ladder. */
export interface EscalationProgress {
  readonly level: EscalationLevel | 0;
  readonly lastAt?: string;
  /** When it climbs again if still not settled; absent at the top. */
  readonly nextAt?: string;
}

export interface ReassessmentStatus extends ReassessmentDue {
  readonly assessedAt?: string;
  readonly outcome?: RiskOutcome;
  readonly documentRef?: string;
  readonly escalation: EscalationProgress;
}

export interface FamilyChange {
  readonly changeId: string;
  readonly code: FamilyChangeCode;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly recordedBy: string;
  readonly childId?: string;
  readonly reassessments: readonly ReassessmentStatus[];
}

export interface RiskAssessment {
  readonly organisation: string;
  readonly outcome: RiskOutcome;
  readonly documentRef: string;
  readonly assessedAt: string;
  readonly answers: readonly string[];
}

export interface CaseDirector {
  readonly proposalId: string;
  readonly organisation: string;
  readonly professionalId: string;
  readonly proposedBy: string;
  readonly confirmedBy: string;
  readonly since: string;
}

export interface DirectorProposal {
  readonly proposalId: string;
  readonly organisation: string;
  readonly professionalId: string;
  readonly proposedBy: string;
  readonly proposedAt: string;
}

export interface PlanGoal extends Omit<PlanGoalSet['data'], 'caseId'> {
  readonly result?: GoalResult;
  readonly resultAt?: string;
  readonly resultBy?: string;
  readonly escalation: EscalationProgress;
}

export type CareAvoidanceSignal = Omit<CareAvoidanceSignalled['data'], 'caseId'>;

export interface FamilyFacts {
  readonly changes: readonly FamilyChange[];
  readonly assessments: readonly RiskAssessment[];
  readonly signals: readonly CareAvoidanceSignal[];
  readonly director?: CaseDirector;
  readonly proposal?: DirectorProposal;
  readonly goals: readonly PlanGoal[];
  /** Every escalation recorded, for the notices' "settled" check and the overview. */
  readonly escalations: readonly { reason: FamilyEscalationReason; subjectId: string; level: number }[];
}

interface AnyEvent {
  readonly type: string;
  readonly data: unknown;
}

export function foldFamilyFacts(events: readonly AnyEvent[]): FamilyFacts {
  let changes: FamilyChange[] = [];
  const assessments: RiskAssessment[] = [];
  const signals: CareAvoidanceSignal[] = [];
  let director: CaseDirector | undefined;
  let proposal: DirectorProposal | undefined;
  let goals: PlanGoal[] = [];
  const escalations: FamilyFacts['escalations'][number][] = [];

  for (const raw of events) {
    const event = raw as FamilyEvent;
    switch (event.type) {
      case 'FamilyChangeRecorded': {
        const { reassessments, ...d } = omitCase(event.data);
        changes.push({ ...d, reassessments: reassessments.map((r) => ({ ...r, escalation: { level: 0 } })) });
        break;
      }
      case 'RiskReassessed': {
        const d = event.data;
        assessments.push({
          organisation: d.organisation,
          outcome: d.outcome,
          documentRef: d.documentRef,
          assessedAt: d.assessedAt,
          answers: d.answers,
        });
        changes = changes.map((c) =>
          d.answers.includes(c.changeId)
            ? {
                ...c,
                reassessments: c.reassessments.map((r) =>
                  r.organisation === d.organisation && !r.assessedAt
                    ? { ...r, assessedAt: d.assessedAt, outcome: d.outcome, documentRef: d.documentRef }
                    : r,
                ),
              }
            : c,
        );
        break;
      }
      case 'CareAvoidanceSignalled': {
        const d = omitCase(event.data);
        signals.push(d);
        break;
      }
      case 'CaseDirectorProposed': {
        const d = omitCase(event.data);
        proposal = d;
        break;
      }
      case 'CaseDirectorConfirmed': {
        const d = event.data;
        director = {
          proposalId: d.proposalId,
          organisation: d.organisation,
          professionalId: d.professionalId,
          proposedBy: d.proposedBy,
          confirmedBy: d.confirmedBy,
          since: d.confirmedAt,
        };
        if (proposal?.proposalId === d.proposalId) proposal = undefined;
        break;
      }
      case 'PlanGoalSet': {
        const d = omitCase(event.data);
        goals.push({ ...d, escalation: { level: 0 } });
        break;
      }
      case 'PlanGoalResultRecorded': {
        const d = event.data;
        goals = goals.map((g) =>
          g.goalId === d.goalId ? { ...g, result: d.result, resultAt: d.recordedAt, resultBy: d.recordedBy } : g,
        );
        break;
      }
      case 'FamilyEscalated': {
        const d = event.data;
        escalations.push({ reason: d.reason, subjectId: d.subjectId, level: d.level });
        const progress: EscalationProgress = {
          level: d.level,
          lastAt: d.escalatedAt,
          ...(d.nextAt ? { nextAt: d.nextAt } : {}),
        };
        if (d.reason === 'reassessment-overdue') {
          changes = changes.map((c) =>
            c.changeId === d.subjectId
              ? {
                  ...c,
                  reassessments: c.reassessments.map((r) =>
                    d.organisations.includes(r.organisation) ? { ...r, escalation: progress } : r,
                  ),
                }
              : c,
          );
        } else if (d.reason === 'goal-overdue') {
          goals = goals.map((g) => (g.goalId === d.subjectId ? { ...g, escalation: progress } : g));
        }
        break;
      }
      default:
        break;
    }
  }
  return {
    changes,
    assessments,
    signals,
    ...(director ? { director } : {}),
    ...(proposal ? { proposal } : {}),
    goals,
    escalations,
  };
}

function omitCase<T extends { caseId: string }>(data: T): Omit<T, 'caseId'> {
  const copy: Partial<T> = { ...data };
  delete copy.caseId;
  return copy as Omit<T, 'caseId'>;
}

/** The latest risk assessment an organisation recorded in this family, if any. */
export function latestAssessmentOf(facts: FamilyFacts, organisation: string): RiskAssessment | undefined {
  return facts.assessments.filter((a) => a.organisation === organisation).at(-1);
}

/** The latest change of the family's situation by when it happened, if any. */
export function latestChange(facts: FamilyFacts): FamilyChange | undefined {
  return [...facts.changes].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt)).at(-1);
}

/** Re-assessments owed and not recorded yet, with their change. */
export function openReassessments(facts: FamilyFacts): { change: FamilyChange; due: ReassessmentStatus }[] {
  return facts.changes.flatMap((change) =>
    change.reassessments.filter((r) => !r.assessedAt).map((due) => ({ change, due })),
  );
}

/** Goals past their target date without a result at `now`. */
export function overdueGoals(facts: FamilyFacts, now: string): PlanGoal[] {
  return facts.goals.filter((g) => !g.result && Date.parse(g.dueAt) <= Date.parse(now));
}

/** Signals whose effective time lies in the window of `days` days up to `now`. */
export function signalsInWindow(facts: FamilyFacts, now: string, days: number): CareAvoidanceSignal[] {
  const end = Date.parse(now);
  const start = end - days * 24 * 60 * 60 * 1000;
  return facts.signals.filter((s) => {
    const t = Date.parse(s.occurredAt);
    return t > start && t <= end;
  });
}

/**
 * When an organisation's latest risk assessment predates the family's latest change (or it has
 * none while the family changed): what a receiver of its handover must be told (R5, 002 §2.4).
 */
export function assessmentPredatesChange(
  facts: FamilyFacts,
  organisation: string,
): { latestChange: FamilyChange; latestAssessmentAt?: string } | undefined {
  const change = latestChange(facts);
  if (!change) return undefined;
  const assessment = latestAssessmentOf(facts, organisation);
  if (assessment && Date.parse(assessment.assessedAt) >= Date.parse(change.occurredAt)) return undefined;
  return { latestChange: change, ...(assessment ? { latestAssessmentAt: assessment.assessedAt } : {}) };
}

/**
 * The earliest instant at which something of the family becomes overdue or climbs a rung, for
 * the workflow's timer; undefined when nothing waits.
 */
export function nextFamilyWake(facts: FamilyFacts): string | undefined {
  const instants: string[] = [];
  for (const { due } of openReassessments(facts)) {
    if (due.escalation.level === 0) instants.push(due.dueAt);
    else if (due.escalation.nextAt) instants.push(due.escalation.nextAt);
  }
  for (const goal of facts.goals) {
    if (goal.result) continue;
    if (goal.escalation.level === 0) instants.push(goal.dueAt);
    else if (goal.escalation.nextAt) instants.push(goal.escalation.nextAt);
  }
  return instants.sort((a, b) => Date.parse(a) - Date.parse(b))[0];
}
