import { defineSignal } from '@temporalio/workflow';

/** The family's durable timers (R5, R6, R9): one workflow per case, `family-<caseId>`. */
export interface FamilyWorkflowInput {
  readonly caseId: string;
}

/** Something of the family was recorded (a change, a re-assessment, a signal, a goal, a result): look again. */
export const familyChangedSignal = defineSignal<[]>('familyChanged');

export interface FamilyTickInput {
  readonly caseId: string;
  /** The workflow's time: escalations are decided as of this instant (deterministic in tests). */
  readonly now: string;
}

export interface FamilyTickOutput {
  /** The escalations recorded by this tick. */
  readonly escalated: number;
  /** When something next becomes overdue or climbs a rung; absent when nothing waits. */
  readonly nextWakeAt?: string;
}

export interface FamilyActivities {
  /**
   * Reads the case, records the escalations due at `now` (decided by the pure family decider,
   * checked again under the append lock, with ids derived from what they are about, so a retry
   * records nothing twice) and says when to look again.
   */
  familyTick(input: FamilyTickInput): Promise<FamilyTickOutput>;
}

export const familyWorkflowId = (caseId: string) => `family-${caseId}`;
