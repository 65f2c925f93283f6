import { Inject, Injectable } from '@nestjs/common';
import {
  type Actor,
  leadCommandUpdate,
  type LeadCommandInput,
  leadWorkflowId,
  openNegotiationUpdate,
  type RecordedEvent,
} from '@warm-handover/contracts';
import {
  CHAIN_KIND,
  type Chain,
  DEADLINE_POLICY,
  DeadlineError,
  findOrganisation,
  foldLead,
  type LeadEvent,
  type LeadNegotiationView,
  negotiationOpening,
  parseDeadline,
  toLeadView,
} from '@warm-handover/domain';
import { EventStore } from '@warm-handover/persistence';
import { CaseAccess } from '../cases/case-access.service';
import { APP_CONFIG, type AppConfig } from '@warm-handover/platform';
import { problemType } from '../http/problem-details';
import { ProblemException } from '../http/problem-details.filter';
import { WorkflowCommands } from '../temporal/workflow-commands';
import type { OpenNegotiationDto } from './lead.dto';

type Meta = { idempotencyKey?: string; correlationId: string };

/** Lead negotiations (R4): commands go to the case-and-chain workflow, reads fold its events. */
@Injectable()
export class LeadsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly commands: WorkflowCommands,
    private readonly store: EventStore,
    private readonly access: CaseAccess,
  ) {}

  async open(actor: Actor, caseId: string, body: OpenNegotiationDto, meta: Meta): Promise<LeadNegotiationView> {
    // Only a party of the case opens its negotiation; the organisations it names become parties.
    await this.access.actAs(actor, caseId);
    const unknown = [...body.parties, ...(body.municipality ? [body.municipality] : [])].filter(
      (id) => !findOrganisation(id),
    );
    if (unknown.length > 0) {
      throw new ProblemException({
        type: problemType('unknown-organisation'),
        title: 'Unknown organisation',
        status: 422,
        detail: `No organisation ${unknown.join(', ')} in the directory. Use ids from GET /organisations.`,
      });
    }
    const wrongChain = body.parties.filter((id) => findOrganisation(id)!.kind !== CHAIN_KIND[body.chain]);
    if (wrongChain.length > 0) {
      const detail = `The ${body.chain} chain negotiates between ${CHAIN_KIND[body.chain] === 'police' ? 'police units' : 'Veilig Thuis organisations'}; ${wrongChain.join(', ')} is not one.`;
      throw invalid('parties', detail);
    }
    const deadlines = {
      agreement: body.deadlines?.agreement ?? DEADLINE_POLICY.agreement.default,
      escalationInterval: body.deadlines?.escalationInterval ?? DEADLINE_POLICY.escalationInterval.default,
    };
    for (const field of ['agreement', 'escalationInterval'] as const) {
      try {
        parseDeadline(field, deadlines[field], this.config.DEMO_MODE);
      } catch (error) {
        if (error instanceof DeadlineError) throw invalid(`deadlines.${field}`, `${error.message}.`);
        throw error;
      }
    }
    const commandMeta = this.commands.meta(actor, meta);
    const negotiationId = this.commands.newId(commandMeta);
    // The negotiation's workflow may run already: opened by someone else (refused below), or
    // started by a first attempt of this very command (its update id answers with the outcome).
    let attached = false;
    try {
      return await this.commands.run(async (client) => {
        const started = await this.commands.startOrAttach(
          client,
          'leadNegotiationWorkflow',
          leadWorkflowId(caseId, body.chain),
        );
        attached = started.attached;
        return started.handle.executeUpdate(openNegotiationUpdate, {
          updateId: commandMeta.commandId,
          args: [
            {
              meta: commandMeta,
              open: negotiationOpening({
                negotiationId,
                caseId,
                chain: body.chain,
                parties: body.parties,
                ...(body.municipality ? { municipality: body.municipality } : {}),
                deadlines,
              }),
            },
          ],
        });
      });
    } catch (error) {
      if (attached && error instanceof ProblemException && error.problem.status === 409) {
        const existing = await this.negotiationOf(caseId, body.chain);
        throw new ProblemException({
          type: problemType('wrong-state'),
          title: 'Not possible in the current state',
          status: 409,
          detail: `Case ${caseId} already has a ${body.chain}-chain negotiation${existing ? ` (/lead-negotiations/${existing})` : ''}; propose there, or re-negotiate its lead.`,
          ...(existing ? { negotiationId: existing } : {}),
        });
      }
      throw error;
    }
  }

  async command(
    actor: Actor,
    negotiationId: string,
    command: LeadCommandInput,
    meta: Meta,
  ): Promise<LeadNegotiationView> {
    const events = await this.visibleEvents(actor, negotiationId, 'act');
    const opened = foldLead(events.map(asLeadEvent)).opened!;
    const commandMeta = this.commands.meta(actor, meta);
    return this.commands.run((client) =>
      client.workflow.getHandle(leadWorkflowId(opened.caseId, opened.chain)).executeUpdate(leadCommandUpdate, {
        updateId: commandMeta.commandId,
        args: [{ meta: commandMeta, command }],
      }),
    );
  }

  async view(actor: Actor, negotiationId: string): Promise<LeadNegotiationView & { history: RecordedEvent[] }> {
    const events = await this.visibleEvents(actor, negotiationId);
    return { ...toLeadView(foldLead(events.map(asLeadEvent))), history: events };
  }

  private async negotiationOf(caseId: string, chain: Chain): Promise<string | undefined> {
    const events = await this.store.readCase(caseId);
    const opened = events.find(
      (e) => e.type === 'LeadNegotiationOpened' && (e.data as { chain: Chain }).chain === chain,
    );
    return (opened?.data as { negotiationId?: string } | undefined)?.negotiationId;
  }

  private async visibleEvents(
    actor: Actor,
    negotiationId: string,
    need: 'read' | 'act' = 'read',
  ): Promise<RecordedEvent[]> {
    return (await this.access.negotiation(actor, negotiationId, need)).events;
  }
}

function invalid(field: string, detail: string): ProblemException {
  return new ProblemException({
    type: problemType('invalid-body'),
    title: 'The request body is not valid',
    status: 400,
    detail,
    errors: [{ field, message: detail }],
  });
}

export function asLeadEvent(event: RecordedEvent): LeadEvent {
  return { type: event.type, data: event.data } as LeadEvent;
}
