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
  meldingCommandUpdate,
  type MeldingCommandInput,
  meldingViewQuery,
  type MeldingWorkflowInput,
  receiveMeldingUpdate,
  type ReceiveMeldingInput,
  type SafetyActivities,
} from '@warm-handover/contracts';
import {
  decideMelding,
  evolveMelding,
  initialMeldingState,
  type MeldingCommand,
  meldingDone,
  type MeldingState,
  meldingStreamId,
  type MeldingView,
  openTerm,
  type StatutoryTerm,
  toMeldingView,
} from '@warm-handover/domain/workflow';
import { SAFETY_CONTINUE_AS_NEW_PATCH, SAFETY_ESCALATIONS_PER_RUN } from './safety-agreement.workflow';
import { SYSTEM_ACTOR, decideOrFail, serialQueue, toNewEvents } from './workflow-support';

const { safetyDueAt, recordEvents } = proxyActivities<SafetyActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: ['ConcurrencyConflictError'],
  },
});

const REQUEST_TIMEOUT = '5 minutes';

/**
 * One report (melding) to Veilig Thuis and its statutory terms (R8): the safety assessment within
 * 5 working days of receipt, an investigation within 10 weeks of its start. A term about to pass
 * (one working day before the assessment's, one week before the investigation's) warns the
 * Veilig Thuis team lead; a passed term escalates to the manager, then the director, one rung per
 * working day, then reminds daily. Nothing here waits for or pauses on a handover (R8, 002 §2.5).
 */
export async function meldingWorkflow(input: MeldingWorkflowInput = {}): Promise<MeldingView | null> {
  let state: MeldingState = input.carried?.state ?? initialMeldingState;
  const now = () => new Date().toISOString();
  const serially = serialQueue();

  const apply = async (command: MeldingCommand, meta: Omit<CommandMeta, 'actor'>) => {
    const events = decideOrFail(() => decideMelding(command, state));
    if (events.length > 0) {
      const first = events[0]!;
      const melding = state.melding ?? (first.type === 'MeldingReceived' ? first.data : undefined)!;
      await recordEvents({
        streamId: meldingStreamId(melding.meldingId),
        expectedVersion: state.version,
        events: toNewEvents(events, command.actor, meta, melding.caseId),
      });
      for (const event of events) state = evolveMelding(state, event);
    }
    return toMeldingView(state, now())!;
  };

  setHandler(meldingViewQuery, () => toMeldingView(state, now()));
  setHandler(
    receiveMeldingUpdate,
    ({ meta, receive }) =>
      serially(async () => {
        const assessmentDueAt = await safetyDueAt({ kind: 'assessment-due', from: receive.receivedAt });
        return apply({ ...receive, type: 'ReceiveMelding', actor: meta.actor, now: now(), assessmentDueAt }, meta);
      }),
    {
      validator: ({ meta, receive }: { meta: CommandMeta; receive: ReceiveMeldingInput }) => {
        const t = now();
        decideOrFail(() =>
          decideMelding({ ...receive, type: 'ReceiveMelding', actor: meta.actor, now: t, assessmentDueAt: t }, state),
        );
      },
    },
  );
  const withClock = (command: MeldingCommandInput, meta: CommandMeta, dueAt: string): MeldingCommand =>
    command.type === 'StartInvestigation'
      ? { ...command, actor: meta.actor, now: now(), dueAt }
      : { ...command, actor: meta.actor, now: now() };
  setHandler(
    meldingCommandUpdate,
    ({ meta, command }) =>
      serially(async () => {
        const dueAt =
          command.type === 'StartInvestigation'
            ? await safetyDueAt({ kind: 'investigation-due', from: command.startedAt })
            : now();
        return apply(withClock(command, meta, dueAt), meta);
      }),
    {
      validator: ({ meta, command }: { meta: CommandMeta; command: MeldingCommandInput }) => {
        decideOrFail(() => decideMelding(withClock(command, meta, now()), state));
      },
    },
  );

  if (!(await condition(() => state.status !== 'none', REQUEST_TIMEOUT))) return null;

  const computed = new Map<string, string>(Object.entries(input.carried?.computed ?? {}));
  const at = async (kind: 'assessment-warn' | 'investigation-warn' | 'next-escalation', from: string) => {
    const key = `${kind}:${from}`;
    let value = computed.get(key);
    if (!value) computed.set(key, (value = await safetyDueAt({ kind, from })));
    return value;
  };

  // A passed term reminds the director every working day until it is met: a new run after so
  // many warnings and escalations keeps each history short (as the safety agreement's).
  let escalations = 0;
  while (!meldingDone(state)) {
    if (escalations >= SAFETY_ESCALATIONS_PER_RUN && patched(SAFETY_CONTINUE_AS_NEW_PATCH)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof meldingWorkflow>({ carried: { state, computed: Object.fromEntries(computed) } });
    }
    const seen = state.version;
    const term: StatutoryTerm = state.status === 'received' ? 'safety-assessment' : 'investigation';
    const running = state.status === 'received' || state.status === 'investigating' ? openTerm(state, term) : undefined;
    if (!running) {
      // Waiting for an investigation to start or the reporter to be told: no statutory clock runs.
      await condition(() => state.version !== seen);
      continue;
    }
    const from = term === 'safety-assessment' ? state.melding!.receivedAt : state.investigation!.startedAt;
    const warn = !running.warnedAt && running.level < 0 && Date.now() < Date.parse(running.dueAt);
    const next = warn
      ? await at(term === 'safety-assessment' ? 'assessment-warn' : 'investigation-warn', from)
      : running.level < 0 || !running.lastEscalatedAt
        ? running.dueAt
        : await at('next-escalation', running.lastEscalatedAt);
    const waitMs = Date.parse(next) - Date.now();
    if (waitMs > 0 && (await condition(() => state.version !== seen, waitMs))) continue;
    if (state.version !== seen) continue;
    await serially(() =>
      apply(
        warn
          ? { type: 'WarnTerm', actor: SYSTEM_ACTOR, now: now(), term }
          : { type: 'EscalateTerm', actor: SYSTEM_ACTOR, now: now(), term },
        { correlationId: workflowInfo().workflowId, commandId: uuid4() },
      ),
    );
    escalations++;
  }

  await condition(allHandlersFinished);
  return toMeldingView(state, now());
}
