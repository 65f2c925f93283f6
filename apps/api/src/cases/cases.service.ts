import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Actor, RecordedEvent } from '@warm-handover/contracts';
import {
  type CaseCommand,
  type CaseFacts,
  type CaseOwnEvent,
  caseStreamId,
  decideCase,
  decideKeepCase,
  findOrganisation,
  foldCaseFacts,
  type InvolvementReason,
} from '@warm-handover/domain';
import { EventStore } from '@warm-handover/persistence';
import { problemType } from '../http/problem-details';
import { ProblemException } from '../http/problem-details.filter';
import { decideInApi, WorkflowCommands } from '../temporal/workflow-commands';
import { CaseAccess } from './case-access.service';

type Meta = { idempotencyKey?: string; correlationId: string };

/**
 * The host of the case's own commands (no timers, so no workflow): opening a case, adding
 * children, involving an organisation, the sender's keep-decision. Each is decided by the case
 * decider on the case's facts and appended to the case's stream with a guard that decides again
 * on the facts as they stand under the append lock, so a command racing another never records
 * what the rules would refuse.
 */
@Injectable()
export class CasesService {
  constructor(
    private readonly store: EventStore,
    private readonly access: CaseAccess,
    private readonly commands: WorkflowCommands,
  ) {}

  async open(actor: Actor, childIds: readonly string[], meta: Meta): Promise<{ caseId: string; event: CaseOwnEvent }> {
    const caseId = this.commands.newId(this.commands.meta(actor, meta), 'case');
    const event = await this.record(actor, caseId, foldCaseFacts([]), meta, (now) => ({
      type: 'OpenCase',
      actor,
      now,
      caseId,
      childIds,
    }));
    return { caseId, event };
  }

  async addChildren(actor: Actor, caseId: string, childIds: readonly string[], meta: Meta): Promise<CaseOwnEvent> {
    const { facts } = await this.access.actAs(actor, caseId);
    return this.record(actor, caseId, facts, meta, (now) => ({ type: 'AddChildren', actor, now, caseId, childIds }));
  }

  async involve(
    actor: Actor,
    caseId: string,
    body: { organisation: string; reason: InvolvementReason },
    meta: Meta,
  ): Promise<CaseOwnEvent> {
    const { facts } = await this.access.actAs(actor, caseId);
    if (!findOrganisation(body.organisation)) {
      throw new ProblemException({
        type: problemType('unknown-organisation'),
        title: 'Unknown organisation',
        status: 422,
        detail: `No organisation ${body.organisation} in the directory. Use an id from GET /organisations, such as gemeente-haarlemmermeer.`,
      });
    }
    return this.record(actor, caseId, facts, meta, (now) => ({
      type: 'InvolveParty',
      actor,
      now,
      caseId,
      organisation: body.organisation,
      reason: body.reason,
    }));
  }

  async keep(
    actor: Actor,
    caseId: string,
    body: { reason: string; handoverId?: string },
    meta: Meta,
  ): Promise<CaseOwnEvent> {
    const { events } = await this.access.actAs(actor, caseId);
    const decide = (caseEvents: readonly RecordedEvent[], now: string) =>
      decideKeepCase(
        { actor, caseId, now, reason: body.reason, ...(body.handoverId ? { handoverId: body.handoverId } : {}) },
        caseEvents,
      );
    const now = new Date().toISOString();
    const event = decideInApi(() => decide(events, now));
    await this.append(actor, caseId, event, meta, (fresh) => decide(fresh, now));
    return event;
  }

  private async record(
    actor: Actor,
    caseId: string,
    facts: CaseFacts,
    meta: Meta,
    command: (now: string) => CaseCommand,
  ): Promise<CaseOwnEvent> {
    const now = new Date().toISOString();
    const [event] = decideInApi(() => decideCase(command(now), facts));
    await this.append(actor, caseId, event!, meta, (fresh) => decideCase(command(now), foldCaseFacts(fresh)));
    return event!;
  }

  private async append(
    actor: Actor,
    caseId: string,
    event: CaseOwnEvent,
    meta: Meta,
    decideAgain: (caseEvents: readonly RecordedEvent[]) => unknown,
  ): Promise<void> {
    await decideInApiAsync(() =>
      this.store.append(
        caseStreamId(caseId),
        [
          {
            eventId: randomUUID(),
            type: event.type,
            data: event.data,
            metadata: {
              actor,
              correlationId: meta.correlationId,
              caseId,
              ...(meta.idempotencyKey ? { idempotencyKey: meta.idempotencyKey } : {}),
            },
          },
        ],
        { guard: { caseId, check: (caseEvents) => void decideAgain(caseEvents) } },
      ),
    );
  }
}

/** decideInApi for a promise: a refusal thrown by the append's guard becomes problem details. */
async function decideInApiAsync<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    return decideInApi(() => {
      throw error;
    });
  }
}
