import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import {
  type CommandMeta,
  makeSafetyAgreementUpdate,
  type MakeSafetyAgreementInput,
  responsibilityMovedUpdate,
  type SafetyActivities,
  safetyAgreementCommandUpdate,
  type SafetyAgreementCommandInput,
  safetyAgreementViewQuery,
  type SafetyAgreementWorkflowInput,
} from '@warm-handover/contracts';
import {
  decideSafetyAgreement,
  evolveSafetyAgreement,
  initialSafetyAgreementState,
  type SafetyAgreementCommand,
  type SafetyAgreementState,
  safetyAgreementStreamId,
  type SafetyAgreementView,
  toSafetyAgreementView,
} from '@warm-handover/domain/workflow';
import { SYSTEM_ACTOR, decideOrFail, serialQueue, toNewEvents } from './workflow-support';

const { safetyDueAt, recordEvents } = proxyActivities<SafetyActivities>({
  // As the handover workflow: appends and calendar arithmetic take milliseconds; retries are safe
  // because both activities are idempotent.
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: ['ConcurrencyConflictError'],
  },
});

const REQUEST_TIMEOUT = '5 minutes';

/**
 * An agreement nobody records results for reminds the director every working day for as long as
 * it is open, and each reminder adds a timer and two activities to the history. A new run after
 * this many escalations keeps each history short, so replay after a worker restart stays quick.
 */
export const SAFETY_ESCALATIONS_PER_RUN = 100;
/**
 * Runs started before continue-as-new existed keep escalating in one history when replayed; once
 * live again they continue as new at their next escalation.
 */
export const SAFETY_CONTINUE_AS_NEW_PATCH = 'safety-continue-as-new';

/**
 * One safety agreement (R7), from made to ended: its own durable timers, one per monitoring
 * moment. A moment without a recorded result escalates at the monitor's organisation at the start
 * of the first working day after it, one rung above the monitoring rung, then one rung per working
 * day up to the director, who is reminded daily. A result "not kept" tells the responsible
 * organisation and the lead at once (decided with the result). A handover of the family that
 * starts reaches the agreement as the responsibilityMoved update: the monitor role is handed
 * over, kept, or inherited by the receiver — always recorded.
 */
export async function safetyAgreementWorkflow(
  input: SafetyAgreementWorkflowInput = {},
): Promise<SafetyAgreementView | null> {
  let state: SafetyAgreementState = input.carried?.state ?? initialSafetyAgreementState;
  const now = () => new Date().toISOString();
  const serially = serialQueue();

  const apply = async (command: SafetyAgreementCommand, meta: Omit<CommandMeta, 'actor'>) => {
    const events = decideOrFail(() => decideSafetyAgreement(command, state));
    if (events.length > 0) {
      const first = events[0]!;
      const agreement = state.agreement ?? (first.type === 'SafetyAgreementMade' ? first.data : undefined)!;
      await recordEvents({
        streamId: safetyAgreementStreamId(agreement.agreementId),
        expectedVersion: state.version,
        events: toNewEvents(events, command.actor, meta, agreement.caseId),
      });
      for (const event of events) state = evolveSafetyAgreement(state, event);
    }
    return toSafetyAgreementView(state)!;
  };

  setHandler(safetyAgreementViewQuery, () => toSafetyAgreementView(state));
  setHandler(
    makeSafetyAgreementUpdate,
    ({ meta, make }) =>
      serially(() => apply({ ...make, type: 'MakeSafetyAgreement', actor: meta.actor, now: now() }, meta)),
    {
      validator: ({ meta, make }: { meta: CommandMeta; make: MakeSafetyAgreementInput }) => {
        decideOrFail(() =>
          decideSafetyAgreement({ ...make, type: 'MakeSafetyAgreement', actor: meta.actor, now: now() }, state),
        );
      },
    },
  );
  setHandler(
    safetyAgreementCommandUpdate,
    ({ meta, command }) => serially(() => apply({ ...command, actor: meta.actor, now: now() }, meta)),
    {
      validator: ({ meta, command }: { meta: CommandMeta; command: SafetyAgreementCommandInput }) => {
        decideOrFail(() => decideSafetyAgreement({ ...command, actor: meta.actor, now: now() }, state));
      },
    },
  );
  setHandler(responsibilityMovedUpdate, ({ meta, move }) =>
    serially(() => apply({ ...move, type: 'ApplyResponsibilityMove', actor: meta.actor, now: now() }, meta)),
  );

  if (!(await condition(() => state.status !== 'none', REQUEST_TIMEOUT))) return null;

  // Due instants are computed once per moment (and per escalation) and so recorded in history:
  // a later calendar update cannot move the deadline of a running agreement.
  const resultDue = new Map<string, string>(Object.entries(input.carried?.resultDue ?? {}));
  const nextAfter = new Map<string, string>(Object.entries(input.carried?.nextAfter ?? {}));
  const dueOf = async (moment: string) => {
    let at = resultDue.get(moment);
    if (!at) resultDue.set(moment, (at = await safetyDueAt({ kind: 'monitoring-result', moment })));
    return at;
  };
  const after = async (lastAt: string) => {
    let at = nextAfter.get(lastAt);
    if (!at) nextAfter.set(lastAt, (at = await safetyDueAt({ kind: 'next-escalation', from: lastAt })));
    return at;
  };

  let escalations = 0;
  while (state.status === 'open') {
    if (escalations >= SAFETY_ESCALATIONS_PER_RUN && patched(SAFETY_CONTINUE_AS_NEW_PATCH)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof safetyAgreementWorkflow>({
        carried: { state, resultDue: Object.fromEntries(resultDue), nextAfter: Object.fromEntries(nextAfter) },
      });
    }
    const seen = state.version;
    let earliest: { moment: string; at: string; dueAt: string } | undefined;
    for (const m of state.moments) {
      if (m.outcome) continue;
      const dueAt = await dueOf(m.moment);
      const at = m.level < 0 || !m.lastEscalatedAt ? dueAt : await after(m.lastEscalatedAt);
      if (!earliest || Date.parse(at) < Date.parse(earliest.at)) earliest = { moment: m.moment, at, dueAt };
    }
    if (!earliest) {
      await condition(() => state.version !== seen);
      continue;
    }
    const waitMs = Date.parse(earliest.at) - Date.now();
    if (waitMs > 0 && (await condition(() => state.version !== seen, waitMs))) continue;
    if (state.version !== seen) continue;
    const { moment, dueAt } = earliest;
    await serially(() =>
      apply(
        { type: 'EscalateMonitoring', actor: SYSTEM_ACTOR, now: now(), moment, dueAt },
        { correlationId: workflowInfo().workflowId, commandId: uuid4() },
      ),
    );
    escalations++;
  }

  await condition(allHandlersFinished);
  return toSafetyAgreementView(state);
}
