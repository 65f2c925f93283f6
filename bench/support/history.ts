import type { Client } from '@temporalio/client';

/** The values of temporal.api.enums.v1.EventType these profiles look at. */
const EVENT = {
  WORKFLOW_TASK_SCHEDULED: 5,
  WORKFLOW_TASK_STARTED: 6,
  WORKFLOW_TASK_COMPLETED: 7,
  WORKFLOW_TASK_TIMED_OUT: 8,
  ACTIVITY_TASK_SCHEDULED: 10,
  ACTIVITY_TASK_STARTED: 11,
  ACTIVITY_TASK_COMPLETED: 12,
  TIMER_STARTED: 17,
  TIMER_FIRED: 18,
  MARKER_RECORDED: 25,
  UPDATE_COMPLETED: 43,
} as const;

/** Where the time between a deadline and its follow-up activity went, for one workflow (ms). */
export interface TimerProfile {
  /** Timer fired (server) − due. */
  readonly timerFired: number;
  /** Workflow task started − timer fired: waiting for a workflow-task poller of the worker. */
  readonly workflowTaskQueue: number;
  /** Workflow task completed − started: the worker running (and maybe replaying) the workflow. */
  readonly workflowTaskRun: number;
  /** Activity started − scheduled: waiting for an activity poller (0 when none was scheduled). */
  readonly activityQueue: number;
  /** Activity completed − started: the activity itself (0 when none was scheduled). */
  readonly activityRun: number;
  /** Workflow tasks from the timer firing to the next timer started (the follow-up's round trips). */
  readonly workflowTasks: number;
  /** Local activities (markers) in that stretch: they run inside the workflow tasks. */
  readonly localActivities: number;
  /**
   * Workflow tasks that timed out in that stretch: mostly a task on the worker's sticky queue not
   * taken within its schedule-to-start timeout, scheduled again on the shared queue (work twice).
   */
  readonly workflowTaskTimeouts: number;
}

type Timestamp = { seconds?: { toString(): string } | number | null; nanos?: number | null } | null | undefined;

const ms = (t: Timestamp): number => (t ? Number(String(t.seconds ?? 0)) * 1000 + (t.nanos ?? 0) / 1e6 : NaN);

/**
 * Reads a workflow's history and splits the path from the first timer that fired at or after
 * `dueAt` to the activity that followed it, by the server's own event times.
 */
export async function profileTimer(
  client: Client,
  workflowId: string,
  dueAt: number,
): Promise<TimerProfile | undefined> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = (history.events ?? []).map((e) => ({ type: Number(e.eventType), at: ms(e.eventTime as Timestamp) }));
  const fired = events.findIndex((e) => e.type === EVENT.TIMER_FIRED && e.at >= dueAt - 5);
  if (fired < 0) return undefined;
  // The follow-up: from the timer firing to the next timer started (or the history's end).
  const nextTimer = events.findIndex((e, i) => i > fired && e.type === EVENT.TIMER_STARTED);
  const stretch = events.slice(fired, nextTimer < 0 ? undefined : nextTimer + 1);
  const first = (type: number) => stretch.find((e) => e.type === type);
  const start = events[fired]!;
  const wftStarted = first(EVENT.WORKFLOW_TASK_STARTED);
  const wftCompleted = first(EVENT.WORKFLOW_TASK_COMPLETED);
  if (!wftStarted || !wftCompleted) return undefined;
  const scheduled = first(EVENT.ACTIVITY_TASK_SCHEDULED);
  const actStarted = first(EVENT.ACTIVITY_TASK_STARTED);
  const actCompleted = first(EVENT.ACTIVITY_TASK_COMPLETED);
  const count = (type: number) => stretch.filter((e) => e.type === type).length;
  return {
    timerFired: start.at - dueAt,
    workflowTaskQueue: wftStarted.at - start.at,
    workflowTaskRun: wftCompleted.at - wftStarted.at,
    activityQueue: scheduled && actStarted ? actStarted.at - scheduled.at : 0,
    activityRun: actStarted && actCompleted ? actCompleted.at - actStarted.at : 0,
    workflowTasks: count(EVENT.WORKFLOW_TASK_COMPLETED),
    localActivities: count(EVENT.MARKER_RECORDED),
    workflowTaskTimeouts: count(EVENT.WORKFLOW_TASK_TIMED_OUT),
  };
}

/** Mean of each part over the profiles, as one line. */
export function describeProfiles(profiles: readonly TimerProfile[]): string {
  if (profiles.length === 0) return 'no profile';
  const keys = Object.keys(profiles[0]!) as (keyof TimerProfile)[];
  const mean = (k: keyof TimerProfile) => profiles.reduce((a, p) => a + p[k], 0) / profiles.length;
  const counts: readonly (keyof TimerProfile)[] = ['workflowTasks', 'localActivities', 'workflowTaskTimeouts'];
  const part = (k: keyof TimerProfile) =>
    counts.includes(k) ? `${k} ${mean(k).toFixed(1)}` : `${k} ${mean(k).toFixed(0)} ms`;
  return `${keys.map(part).join(', ')} (mean of ${profiles.length})`;
}

/** Where the server-side time of one update went (ms), by the history's event times. */
export interface UpdateProfile {
  /** First workflow task scheduled for the update → update completed. */
  readonly span: number;
  /** Epoch ms of the span's start and end, to set against the caller's own send and receive times. */
  readonly from: number;
  readonly to: number;
  readonly workflowTasks: number;
  /** Workflow tasks: scheduled → started (waiting for the worker), summed. */
  readonly workflowTaskQueue: number;
  /** Workflow tasks: started → completed (the worker running the workflow code), summed. */
  readonly workflowTaskRun: number;
  readonly activities: number;
  /** Activities: scheduled → started, summed (parallel ones overlap). */
  readonly activityQueue: number;
  /** Activities: started → completed, summed (parallel ones overlap). */
  readonly activityRun: number;
}

const num = (v: { toString(): string } | number | null | undefined): number => Number(String(v ?? NaN));

/** The updates of one workflow, in order, each split into workflow-task and activity time. */
export async function profileUpdates(client: Client, workflowId: string): Promise<UpdateProfile[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const at = new Map<number, number>();
  const profiles: UpdateProfile[] = [];
  let current: { -readonly [K in keyof UpdateProfile]: number } | undefined;
  let startedAt = 0;
  for (const e of history.events ?? []) {
    const t = ms(e.eventTime);
    at.set(num(e.eventId), t);
    const type = Number(e.eventType);
    if (type === EVENT.WORKFLOW_TASK_SCHEDULED && !current) {
      current = {
        span: -t,
        from: t,
        to: 0,
        workflowTasks: 0,
        workflowTaskQueue: 0,
        workflowTaskRun: 0,
        activities: 0,
        activityQueue: 0,
        activityRun: 0,
      };
    }
    if (!current) continue;
    if (type === EVENT.WORKFLOW_TASK_STARTED) {
      current.workflowTasks += 1;
      current.workflowTaskQueue += t - (at.get(num(e.workflowTaskStartedEventAttributes?.scheduledEventId)) ?? t);
      startedAt = t;
    } else if (type === EVENT.WORKFLOW_TASK_COMPLETED) {
      current.workflowTaskRun += t - startedAt;
    } else if (type === EVENT.ACTIVITY_TASK_STARTED) {
      current.activities += 1;
      current.activityQueue += t - (at.get(num(e.activityTaskStartedEventAttributes?.scheduledEventId)) ?? t);
    } else if (type === EVENT.ACTIVITY_TASK_COMPLETED) {
      current.activityRun += t - (at.get(num(e.activityTaskCompletedEventAttributes?.startedEventId)) ?? t);
    } else if (type === EVENT.UPDATE_COMPLETED) {
      current.span += t;
      current.to = t;
      profiles.push(current);
      current = undefined;
    }
  }
  return profiles;
}

/**
 * Means over many workflows of the k-th update, as one line per update. With the caller's
 * [sent, received] epoch times per workflow and update, also the time outside the span: before it
 * (the caller, the API, reaching the server) and after it (the answer travelling back).
 */
export function describeUpdateProfiles(
  perWorkflow: readonly UpdateProfile[][],
  labels: readonly string[],
  callerTimes?: readonly (readonly (readonly [number, number])[])[],
): string[] {
  return labels.map((label, k) => {
    const pairs = perWorkflow.map((p, w) => ({ p: p[k], c: callerTimes?.[w]?.[k] }));
    const of = pairs.map(({ p }) => p).filter((p): p is UpdateProfile => p !== undefined);
    if (of.length === 0) return `${label}: no profile`;
    const outside = pairs.filter((x) => x.p && x.c);
    const before = outside.reduce((a, { p, c }) => a + (p!.from - c![0]), 0) / outside.length;
    const after = outside.reduce((a, { p, c }) => a + (c![1] - p!.to), 0) / outside.length;
    const caller =
      outside.length > 0 ? `; caller → span ${before.toFixed(0)} ms, span → caller ${after.toFixed(0)} ms` : '';
    const mean = (key: keyof UpdateProfile) =>
      (of.reduce((a, p) => a + p[key], 0) / of.length).toFixed(key === 'workflowTasks' || key === 'activities' ? 1 : 0);
    return (
      `${label}: server span ${mean('span')} ms = ${mean('workflowTasks')} workflow tasks ` +
      `(queued ${mean('workflowTaskQueue')} ms, running ${mean('workflowTaskRun')} ms) + ${mean('activities')} activities ` +
      `(queued ${mean('activityQueue')} ms, running ${mean('activityRun')} ms)${caller} (mean of ${of.length})`
    );
  });
}
