import { Inject, Injectable } from '@nestjs/common';
import { WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import {
  type Actor,
  handoverCommandUpdate,
  handoverWorkflowId,
  type PersonCommandInput,
  type RecordedEvent,
  requestHandoverUpdate,
} from '@warm-handover/contracts';
import {
  admitHandover,
  assessmentPredatesChange,
  chainCrossedBy,
  DEADLINE_POLICY,
  DeadlineError,
  DIRECTORY_VERSION,
  findOrganisation,
  foldCaseFacts,
  foldFamilyFacts,
  foldHandover,
  type HandoverEvent,
  handoverStreamId,
  type HandoverView,
  parseDeadline,
  toHandoverView,
} from '@warm-handover/domain';
import { EventStore } from '@warm-handover/persistence';
import { APP_CONFIG, type AppConfig } from '@warm-handover/platform';
import { CaseAccess } from '../cases/case-access.service';
import { problemType } from '../http/problem-details';
import { ProblemException } from '../http/problem-details.filter';
import { decideInApi, WorkflowCommands } from '../temporal/workflow-commands';
import { cursorPosition, encodeCursor, type Page, type PageRequest } from '../http/pagination';
import type { RequestHandoverDto } from './handover.dto';

export interface HistoryEntry {
  readonly eventId: string;
  readonly globalPosition: number;
  readonly type: string;
  readonly recordedAt: string;
  readonly actor: Actor;
  readonly data: unknown;
}

export type HandoverDetails = HandoverView & {
  readonly history: readonly HistoryEntry[];
  /**
   * The sender's latest risk assessment predates the family's latest change (R5, 002 §2.4): the
   * receiver should ask for a current one. Absent when the family did not change since.
   */
  readonly familyChangedSinceRiskAssessment?: {
    readonly changeId: string;
    readonly code: string;
    readonly occurredAt: string;
    readonly latestAssessmentAt?: string;
  };
};

/**
 * Commands go to the handover's workflow as Temporal updates (the workflow decides and records);
 * reads fold the handover's events from the store. Every refusal becomes problem details.
 */
@Injectable()
export class HandoversService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly commands: WorkflowCommands,
    private readonly store: EventStore,
    private readonly access: CaseAccess,
  ) {}

  async request(
    actor: Actor,
    body: RequestHandoverDto,
    meta: { idempotencyKey?: string; correlationId: string },
  ): Promise<HandoverView> {
    const fromOrg = body.fromOrg ?? actor.organisation;
    const from = findOrganisation(fromOrg);
    const to = findOrganisation(body.toOrg);
    const unknown = [!from && fromOrg, !to && body.toOrg].filter(Boolean);
    if (!from || !to) {
      throw new ProblemException({
        type: problemType('unknown-organisation'),
        title: 'Unknown organisation',
        status: 422,
        detail: `No organisation ${unknown.join(' or ')} in the directory. Use an id from GET /organisations, such as vt-amsterdam-amstelland.`,
      });
    }
    const deadlines = {
      receipt: body.deadlines?.receipt ?? DEADLINE_POLICY.receipt.default,
      start: body.deadlines?.start ?? DEADLINE_POLICY.start.default,
      escalationInterval: body.deadlines?.escalationInterval ?? DEADLINE_POLICY.escalationInterval.default,
      followUp: body.deadlines?.followUp ?? DEADLINE_POLICY.followUp.default,
    };
    try {
      for (const field of ['receipt', 'start', 'escalationInterval', 'followUp'] as const)
        parseDeadline(field, deadlines[field], this.config.DEMO_MODE);
    } catch (error) {
      if (error instanceof DeadlineError) {
        throw new ProblemException({
          type: problemType('invalid-body'),
          title: 'The request body is not valid',
          status: 400,
          detail: `${error.message}.`,
          errors: [{ field: `deadlines.${error.field}`, message: error.message }],
        });
      }
      throw error;
    }
    const commandMeta = this.commands.meta(actor, meta);
    const handoverId = this.commands.newId(commandMeta);
    // Without a case id the request registers a new case, whose id the service issues: two
    // organisations can never end up in one case by choosing the same id. With one, the sender
    // must be a party of that case (404 otherwise, as for a case that does not exist).
    if (body.caseId === null) {
      throw new ProblemException({
        type: problemType('invalid-body'),
        title: 'The request body is not valid',
        status: 400,
        detail:
          'caseId is null: send the id of a case your organisation takes part in, or leave caseId out to register a new case.',
        errors: [{ field: 'caseId', message: 'must be a case id, or left out' }],
      });
    }
    const opensCase = body.caseId === undefined;
    const caseId = body.caseId ?? this.commands.newId(commandMeta, 'case');
    const facts = opensCase ? foldCaseFacts([]) : (await this.access.actAs(actor, caseId)).facts;
    // Checked here to answer at once without starting a workflow; the workflow checks again
    // while its append is locked, so two requests racing for one child cannot both pass.
    decideInApi(() => admitHandover({ actor, caseId, handoverId, fromOrg, childIds: body.childIds, opensCase }, facts));
    const regionCrossing = chainCrossedBy(from, to);
    return this.commands.run(async (client) => {
      const { handle } = await this.commands.startOrAttach(client, 'handoverWorkflow', handoverWorkflowId(handoverId));
      return handle.executeUpdate(requestHandoverUpdate, {
        updateId: commandMeta.commandId,
        args: [
          {
            meta: commandMeta,
            request: {
              handoverId,
              caseId,
              ...(opensCase ? { opensCase } : {}),
              childIds: body.childIds,
              fromOrg,
              toOrg: body.toOrg,
              reason: body.reason,
              ...(body.riskAssessmentRef ? { riskAssessmentRef: body.riskAssessmentRef } : {}),
              safetyAgreementRefs: body.safetyAgreementRefs ?? [],
              deadlines,
              ladders: { directoryVersion: DIRECTORY_VERSION, from: from.ladder, to: to.ladder },
              // The workflow opens the lead negotiation after answering: the caller does not
              // wait for it, and an api that crashes now cannot lose it.
              ...(regionCrossing ? { regionCrossing } : {}),
            },
          },
        ],
      });
    });
  }

  async command(
    actor: Actor,
    handoverId: string,
    command: PersonCommandInput,
    meta: { idempotencyKey?: string; correlationId: string },
  ): Promise<HandoverView> {
    const { events } = await this.access.handover(actor, handoverId, 'act');
    const commandMeta = this.commands.meta(actor, meta);
    try {
      return await this.commands.run(async (client) =>
        client.workflow.getHandle(handoverWorkflowId(handoverId)).executeUpdate(handoverCommandUpdate, {
          updateId: commandMeta.commandId,
          args: [{ meta: commandMeta, command }],
        }),
      );
    } catch (error) {
      // A closed handover's workflow has completed; answer from its recorded state.
      if (error instanceof WorkflowNotFoundError || isCompletedWorkflowError(error)) {
        const state = foldHandover(events.map(asHandoverEvent));
        throw new ProblemException({
          type: problemType('wrong-state'),
          title: 'Not possible in the current state',
          status: 409,
          detail: `The handover is ${state.status}; it is closed and nothing more can happen to it. A new handover is a new request (POST /handovers).`,
          state: state.status,
          allowed: [],
        });
      }
      throw error;
    }
  }

  async details(actor: Actor, handoverId: string): Promise<HandoverDetails> {
    const { events, case: caseView } = await this.access.handover(actor, handoverId);
    const view = toHandoverView(foldHandover(events.map(asHandoverEvent)), new Date().toISOString());
    const stale = assessmentPredatesChange(foldFamilyFacts(caseView.events), view.fromOrg);
    return {
      ...view,
      history: events.map(toHistoryEntry),
      ...(stale
        ? {
            familyChangedSinceRiskAssessment: {
              changeId: stale.latestChange.changeId,
              code: stale.latestChange.code,
              occurredAt: stale.latestChange.occurredAt,
              ...(stale.latestAssessmentAt ? { latestAssessmentAt: stale.latestAssessmentAt } : {}),
            },
          }
        : {}),
    };
  }

  async list(
    actor: Actor,
    filter: { org?: string; status?: string; overdue?: boolean },
    page: PageRequest = { limit: Number.MAX_SAFE_INTEGER - 1 },
  ): Promise<Page<HandoverView>> {
    const org = filter.org ?? actor.organisation;
    if (org !== actor.organisation && actor.role !== 'inspector') {
      throw new ProblemException({
        type: problemType('forbidden'),
        title: 'Not allowed',
        status: 403,
        detail: `You act for ${actor.organisation} and can list only its handovers; leave out org or use org=${actor.organisation}.`,
      });
    }
    const now = new Date().toISOString();
    const views: HandoverView[] = [];
    const wanted = (v: HandoverView) =>
      (!filter.status || v.status === filter.status) &&
      (filter.overdue === undefined || Boolean(v.pending?.overdue) === filter.overdue);
    // Newest first, a batch of requests at a time, until the page is full and one more is known.
    let before = cursorPosition(page);
    const positions: number[] = [];
    for (;;) {
      const batch = await this.store.handoversInvolving(org, {
        ...(before !== undefined ? { beforePosition: before } : {}),
        limit: Math.max(page.limit + 1, 50),
      });
      for (const { handoverId, position } of batch) {
        const events = await this.store.readStream(handoverStreamId(handoverId));
        const view = toHandoverView(foldHandover(events.map(asHandoverEvent)), now);
        if (!wanted(view)) continue;
        views.push(view);
        positions.push(position);
        if (views.length > page.limit) break;
      }
      if (views.length > page.limit || batch.length === 0) break;
      before = batch.at(-1)!.position;
    }
    const more = views.length > page.limit;
    return {
      items: views.slice(0, page.limit),
      next: more ? encodeCursor(String(positions[page.limit - 1])) : null,
    };
  }
}

function isCompletedWorkflowError(error: unknown): boolean {
  return (
    error instanceof WorkflowFailedError ||
    (error instanceof Error && /workflow execution already completed|already completed/i.test(error.message))
  );
}

function asHandoverEvent(event: RecordedEvent): HandoverEvent {
  return { type: event.type, data: event.data } as HandoverEvent;
}

export function toHistoryEntry(event: RecordedEvent): HistoryEntry {
  return {
    eventId: event.eventId,
    globalPosition: event.globalPosition,
    type: event.type,
    recordedAt: event.recordedAt,
    actor: event.metadata.actor,
    data: event.data,
  };
}
