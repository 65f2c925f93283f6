import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  log,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import {
  COMMAND_REFUSED,
  type CommandMeta,
  type PersonCommandInput,
  type RequestHandoverInput,
  type HandoverActivities,
  handoverCommandUpdate,
  type LeadActivities,
  handoverViewQuery,
  requestHandoverUpdate,
} from '@warm-handover/contracts';
import {
  awaitsFollowUp,
  type Chain,
  DEFAULT_FOLLOW_UP_DAYS,
  decide,
  evolve,
  type HandoverCommand,
  type HandoverState,
  handoverStreamId,
  type HandoverView,
  initialHandoverState,
  isOpen,
  pendingStep,
  toHandoverView,
} from '@warm-handover/domain/workflow';
import {
  SCHEDULED_ACTIVITY_OPTIONS,
  SYSTEM_ACTOR,
  decideOrFail,
  maxIso,
  serialQueue,
  storeAndCalendar,
  toNewEvents,
} from './workflow-support';

const { followUpResolved, openRegionCrossingNegotiation } = proxyActivities<
  Pick<HandoverActivities, 'followUpResolved'> & Pick<LeadActivities, 'openRegionCrossingNegotiation'>
>(SCHEDULED_ACTIVITY_OPTIONS);
// Appends and calendar arithmetic take milliseconds: local activities (see the patch's note).
const store = storeAndCalendar();

const REQUEST_TIMEOUT = '5 minutes';

/**
 * Since this patch the workflow, not the API, opens the lead negotiation of a region-crossing
 * handover: the caller of POST /handovers no longer waits for it, and a crash of the API right
 * after the request can no longer lose it. Histories from before have no such activity.
 */
const OPEN_LEAD_NEGOTIATION_PATCH = 'open-lead-negotiation-from-workflow';

/**
 * Since this patch a rejected or withdrawn handover's workflow stays until the sender has decided
 * (R2a: keep the children, or hand them over anew) and escalates up the sender's ladder when the
 * decision is overdue. Before it, the workflow ended at the rejection and nothing followed up.
 */
const FOLLOW_UP_PATCH = 'follow-up-after-rejection';

/**
 * One warm handover, from request to started (or rejected / withdrawn). The sender stays
 * responsible until the receiver confirms that care started (R1). Each deadline that passes
 * escalates one level up the frozen ladders of both organisations, and keeps escalating at the
 * handover's interval until the step happens; at the top it keeps reminding (R3).
 *
 * Commands arrive as updates, so callers get the new state or a precise refusal. Every
 * transition is decided by the pure decider and recorded through an idempotent activity before
 * the state changes.
 */
export async function handoverWorkflow(): Promise<HandoverView | null> {
  let state: HandoverState = initialHandoverState;
  const now = () => new Date().toISOString();
  const view = () => toHandoverView(state, now());

  const serially = serialQueue();
  let regionCrossing: Chain | undefined;

  const apply = async (
    command: HandoverCommand,
    meta: Omit<CommandMeta, 'actor'>,
    opensCase?: boolean,
  ): Promise<HandoverView> => {
    const events = decideOrFail(() => decide(command, state));
    const request = state.request ?? (events[0]?.type === 'HandoverRequested' ? events[0].data : undefined);
    try {
      await store().recordEvents({
        streamId: handoverStreamId(request!.handoverId),
        expectedVersion: state.version,
        events: toNewEvents(events, command.actor, meta, request!.caseId),
        // A request is admitted to its case while the append is locked: the case's rules span
        // every handover of it (R1, one open handover per child), which this workflow cannot see.
        ...(command.type === 'RequestHandover'
          ? {
              admission: {
                actor: command.actor,
                caseId: command.caseId,
                handoverId: command.handoverId,
                fromOrg: command.fromOrg,
                childIds: command.childIds,
                opensCase: opensCase ?? false,
              },
            }
          : {}),
      });
    } catch (error) {
      // The case refused the request: the caller gets the refusal itself, not an activity failure.
      if (
        error instanceof ActivityFailure &&
        error.cause instanceof ApplicationFailure &&
        error.cause.type === COMMAND_REFUSED
      )
        throw error.cause;
      throw error;
    }
    for (const event of events) state = evolve(state, event);
    return view();
  };

  setHandler(handoverViewQuery, () => (state.request ? view() : null));

  setHandler(
    requestHandoverUpdate,
    ({ meta, request }) =>
      serially(async () => {
        regionCrossing = request.regionCrossing;
        const requestedAt = now();
        const [receiptDueAt, startDueAt] = await Promise.all([
          store().deadlineAt({ from: requestedAt, spec: request.deadlines.receipt }),
          store().deadlineAt({ from: requestedAt, spec: request.deadlines.start }),
        ]);
        const { opensCase, ...fields } = request;
        return apply(
          { ...fields, type: 'RequestHandover', actor: meta.actor, now: requestedAt, receiptDueAt, startDueAt },
          meta,
          opensCase,
        );
      }),
    {
      validator: ({ meta, request }: { meta: CommandMeta; request: RequestHandoverInput }) => {
        // Due dates are not known yet; placeholders that pass the ordering check.
        const placeholder = now();
        decideOrFail(() =>
          decide(
            {
              ...request,
              type: 'RequestHandover',
              actor: meta.actor,
              now: placeholder,
              receiptDueAt: placeholder,
              startDueAt: placeholder,
            },
            state,
          ),
        );
      },
    },
  );

  setHandler(
    handoverCommandUpdate,
    ({ meta, command }) => serially(() => apply({ ...command, actor: meta.actor, now: now() }, meta)),
    {
      validator: ({ meta, command }: { meta: CommandMeta; command: PersonCommandInput }) => {
        decideOrFail(() => decide({ ...command, actor: meta.actor, now: now() }, state));
      },
    },
  );

  // Started by the API right before it sends the request update; if the request never arrives
  // (refused, or the API died in between), end without a trace instead of waiting forever.
  if (!(await condition(() => state.status !== 'none', REQUEST_TIMEOUT))) return null;

  // R4: a handover between two regions of one chain makes the case region-crossing. Opened
  // alongside the deadlines below; best effort, as any party can open the negotiation too.
  const openingLeadNegotiation = (async () => {
    const request = state.request!;
    if (!regionCrossing || !patched(OPEN_LEAD_NEGOTIATION_PATCH)) return;
    try {
      await openRegionCrossingNegotiation({
        caseId: request.caseId,
        chain: regionCrossing,
        parties: [request.fromOrg, request.toOrg],
        handoverId: request.handoverId,
        correlationId: workflowInfo().workflowId,
      });
    } catch (error) {
      log.warn('could not open the lead negotiation of a region-crossing case; a party can open it', {
        caseId: request.caseId,
        error: String(error),
      });
    }
  })();

  while (isOpen(state)) {
    const pending = pendingStep(state)!;
    const { escalation } = state;
    // First escalation of a step at its deadline; after that, one interval after the last one.
    const next =
      escalation.level === 0 || !escalation.lastAt
        ? pending.dueAt
        : maxIso(
            pending.dueAt,
            await store().deadlineAt({ from: escalation.lastAt, spec: state.request!.deadlines.escalationInterval }),
          );
    const seen = state.version;
    const waitMs = Date.parse(next) - Date.now();
    if (waitMs > 0 && (await condition(() => state.version !== seen, waitMs))) continue;
    if (state.version !== seen) continue;

    await serially(async () => {
      const stillPending = pendingStep(state);
      if (!stillPending || stillPending.step !== pending.step) return;
      const reason = pending.step === 'receipt' ? 'receipt-overdue' : 'start-overdue';
      await apply(
        { type: 'EscalateHandover', actor: SYSTEM_ACTOR, now: now(), reason },
        { correlationId: workflowInfo().workflowId, commandId: uuid4() },
      );
    });
  }

  // R2a: a rejection or withdrawal must lead to a recorded decision, never to silence.
  if (awaitsFollowUp(state) && patched(FOLLOW_UP_PATCH)) {
    const request = state.request!;
    let next = await store().deadlineAt({
      from: state.closedAt!,
      spec: request.deadlines.followUp ?? DEFAULT_FOLLOW_UP_DAYS,
    });
    for (;;) {
      const waitMs = Date.parse(next) - Date.now();
      if (waitMs > 0) await sleep(waitMs);
      if (await followUpResolved({ caseId: request.caseId, handoverId: request.handoverId })) break;
      await serially(() =>
        apply(
          { type: 'EscalateHandover', actor: SYSTEM_ACTOR, now: now(), reason: 'follow-up-overdue' },
          { correlationId: workflowInfo().workflowId, commandId: uuid4() },
        ),
      );
      next = await store().deadlineAt({ from: state.followUp!.lastAt, spec: request.deadlines.escalationInterval });
    }
  }

  await openingLeadNegotiation;
  // Let an update that is still being answered finish before the workflow completes.
  await condition(allHandlersFinished);
  return view();
}
