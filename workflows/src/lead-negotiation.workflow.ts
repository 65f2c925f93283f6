import { condition, patched, proxyActivities, setHandler, uuid4, workflowInfo } from '@temporalio/workflow';
import {
  type CommandMeta,
  type LeadActivities,
  leadCommandUpdate,
  type LeadCommandInput,
  leadViewQuery,
  openNegotiationUpdate,
  type OpenNegotiationInput,
} from '@warm-handover/contracts';
import {
  decideLead,
  evolveLead,
  initialLeadState,
  type LeadCommand,
  type LeadNegotiationState,
  type LeadNegotiationView,
  leadStreamId,
  toLeadView,
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

const { checkLeadAlignment } = proxyActivities<Pick<LeadActivities, 'checkLeadAlignment'>>(SCHEDULED_ACTIVITY_OPTIONS);
// Appends and calendar arithmetic take milliseconds: local activities (see the patch's note).
const store = storeAndCalendar();

const OPEN_TIMEOUT = '5 minutes';

/**
 * Issue 11 §6: a director's decision at the top must be confirmed by the other parties'
 * directors; until then the negotiation stays open and keeps escalating as a disagreement.
 * Negotiations that recorded a lone director's decision before this replay without the marker
 * and keep their outcome (test/replay/lead-decided-by-one-director.json).
 */
const DECISION_CONFIRMED_PATCH = 'lead-decision-confirmed';

/**
 * Who leads one chain (care: Veilig Thuis; safety: police) of one region-crossing case (R4).
 * Parties propose, counter-propose and accept; silence or open disagreement past the deadline
 * escalates up every party's ladder; at director level a party's director may decide, and the
 * other parties' directors confirm it (until they do it escalates as a disagreement). Once a lead is
 * agreed or decided the workflow checks it against the other chain's lead, then waits for a
 * re-negotiation (a new round; the lead stays in force until a new one is reached).
 */
export async function leadNegotiationWorkflow(): Promise<LeadNegotiationView | null> {
  let state: LeadNegotiationState = initialLeadState;
  const now = () => new Date().toISOString();
  const serially = serialQueue();

  const apply = async (command: LeadCommand, meta: Omit<CommandMeta, 'actor'>): Promise<LeadNegotiationView> => {
    const events = decideOrFail(() => decideLead(command, state));
    const opened = state.opened ?? (events[0]?.type === 'LeadNegotiationOpened' ? events[0].data : undefined);
    await store().recordEvents({
      streamId: leadStreamId(opened!.negotiationId),
      expectedVersion: state.version,
      events: toNewEvents(events, command.actor, meta, opened!.caseId),
    });
    for (const event of events) state = evolveLead(state, event);
    return toLeadView(state);
  };

  /** `confirmationRequired` is asked of patched() only in the handler; validators never record markers. */
  const withClock = (
    command: LeadCommandInput,
    meta: CommandMeta,
    deadline: string,
    confirmationRequired: () => boolean,
  ): LeadCommand => {
    const clock = { actor: meta.actor, now: now() };
    switch (command.type) {
      case 'Renegotiate':
        return { ...command, ...clock, deadlineAt: deadline };
      case 'DecideLead':
        return { ...command, ...clock, confirmationRequired: confirmationRequired() };
      case 'ProposeLead':
      case 'AcceptProposal':
      case 'ConfirmDecision':
        return { ...command, ...clock };
    }
  };

  setHandler(leadViewQuery, () => (state.opened ? toLeadView(state) : null));

  setHandler(
    openNegotiationUpdate,
    ({ meta, open }) =>
      serially(async () => {
        const openedAt = now();
        const deadline = await store().deadlineAt({ from: openedAt, spec: open.deadlines.agreement });
        return apply(
          { ...open, type: 'OpenNegotiation', actor: meta.actor, now: openedAt, deadlineAt: deadline },
          meta,
        );
      }),
    {
      validator: ({ meta, open }: { meta: CommandMeta; open: OpenNegotiationInput }) => {
        decideOrFail(() =>
          decideLead({ ...open, type: 'OpenNegotiation', actor: meta.actor, now: now(), deadlineAt: now() }, state),
        );
      },
    },
  );

  setHandler(
    leadCommandUpdate,
    ({ meta, command }) =>
      serially(async () => {
        const deadline =
          command.type === 'Renegotiate'
            ? await store().deadlineAt({ from: now(), spec: state.opened!.deadlines.agreement })
            : now();
        return apply(
          withClock(command, meta, deadline, () => patched(DECISION_CONFIRMED_PATCH)),
          meta,
        );
      }),
    {
      // A new update never replays, so it is validated under the current rule.
      validator: ({ meta, command }: { meta: CommandMeta; command: LeadCommandInput }) => {
        decideOrFail(() =>
          decideLead(
            withClock(command, meta, now(), () => true),
            state,
          ),
        );
      },
    },
  );

  if (!(await condition(() => state.status !== 'none', OPEN_TIMEOUT))) return null;

  let alignedVersion = -1;
  for (;;) {
    if (state.status !== 'open') {
      // A lead was reached: check it against the other chain's lead once, then wait for a new round.
      if (alignedVersion !== state.version) {
        alignedVersion = state.version;
        await checkLeadAlignment({
          caseId: state.opened!.caseId,
          causedBy: `${workflowInfo().workflowId}:${state.version}`,
        });
      }
      await condition(() => state.status === 'open');
      continue;
    }
    const { escalation } = state;
    const due = state.deadlineAt!;
    const next =
      escalation.level === 0 || !escalation.lastAt
        ? due
        : maxIso(
            due,
            await store().deadlineAt({ from: escalation.lastAt, spec: state.opened!.deadlines.escalationInterval }),
          );
    const seen = state.version;
    const waitMs = Date.parse(next) - Date.now();
    if (waitMs > 0 && (await condition(() => state.version !== seen, waitMs))) continue;
    if (state.version !== seen) continue;
    await serially(async () => {
      if (state.status !== 'open' || state.version !== seen) return;
      await apply(
        { type: 'EscalateNegotiation', actor: SYSTEM_ACTOR, now: now() },
        { correlationId: workflowInfo().workflowId, commandId: uuid4() },
      );
    });
  }
}
