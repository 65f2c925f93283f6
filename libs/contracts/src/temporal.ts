/** Default Temporal task queue of the worker; TEMPORAL_TASK_QUEUE overrides it. */
export const DEFAULT_TASK_QUEUE = 'warm-handover';

/** Input of the activity that turns "N working days from now" into an instant. */
export interface ComputeDeadlineInput {
  /** ISO-8601 instant the deadline counts from. */
  readonly from: string;
  readonly workingDays: number;
}

export interface ComputeDeadlineOutput {
  /** ISO-8601 instant of the deadline. */
  readonly deadline: string;
}

export interface WorkingDayTimerInput {
  readonly workingDays: number;
}

export interface WorkingDayTimerOutput {
  readonly startedAt: string;
  readonly deadline: string;
  readonly firedAt: string;
}

/**
 * Activities, as the workflows see them: types only, so workflow code never imports the
 * implementations (which do I/O).
 */
export interface CalendarActivities {
  computeDeadline(input: ComputeDeadlineInput): Promise<ComputeDeadlineOutput>;
}
