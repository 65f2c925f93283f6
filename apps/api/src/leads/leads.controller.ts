import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor, LeadCommandInput } from '@warm-handover/contracts';
import type { LeadNegotiationView } from '@warm-handover/domain';
import { CurrentActor } from '../auth/current-actor.decorator';
import { IdempotentCommand } from '../http/idempotent-command.decorator';
import { requestMeta } from '../http/request-meta';
import {
  AcceptanceOfProposalDto,
  DecisionConfirmationDto,
  DecisionDto,
  OpenNegotiationDto,
  ProposalDto,
  RenegotiationDto,
} from './lead.dto';
import { LeadsService } from './leads.service';
import { ApiAnswer, LOCATION_HEADER } from '../openapi/answers';
import { ApiProblems } from '../openapi/problem-responses';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('lead negotiation')
@ApiBearerAuth()
@Controller()
export class LeadsController {
  constructor(private readonly leads: LeadsService) {}

  @Post('cases/:caseId/lead-negotiations')
  @ApiAnswer(201, 'LeadNegotiationView', 'The negotiation opened', LOCATION_HEADER)
  @IdempotentCommand()
  @ApiOperation({
    summary: 'Open a lead negotiation for one chain of a region-crossing case (a party)',
    description:
      'care: Veilig Thuis organisations; safety: police units. Shows a suggested lead from the region where the child lives, never imposes it. Deadline to agree in working days (default 2).',
  })
  async open(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
    @Body() body: OpenNegotiationDto,
    @Headers() headers: Record<string, string>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<LeadNegotiationView> {
    const view = await this.leads.open(actor, caseId, body, requestMeta(headers));
    response.location(`/lead-negotiations/${view.negotiationId}`);
    return view;
  }

  @Post('lead-negotiations/:id/proposals')
  @ApiAnswer(200, 'LeadNegotiationView', 'The negotiation after this step')
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({
    summary:
      'Propose a lead (a party; yourself or another), with a rationale; answering another proposal is a counter-proposal',
  })
  propose(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: ProposalDto,
    @Headers() h: Record<string, string>,
  ) {
    return this.send(
      actor,
      id,
      { type: 'ProposeLead', proposalId: randomUUID(), lead: body.lead, rationale: body.rationale },
      h,
    );
  }

  @Post('lead-negotiations/:id/acceptances')
  @ApiAnswer(200, 'LeadNegotiationView', 'The negotiation after this step')
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({ summary: 'Accept the current proposal (a party); the lead is agreed when every party accepted it' })
  accept(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: AcceptanceOfProposalDto,
    @Headers() h: Record<string, string>,
  ) {
    return this.send(actor, id, { type: 'AcceptProposal', proposalId: body.proposalId }, h);
  }

  @Post('lead-negotiations/:id/decisions')
  @ApiAnswer(200, 'LeadNegotiationView', 'The negotiation after this step')
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({
    summary:
      "Decide the lead as your party's director (once escalation reached the directors), with a rationale; the other parties' directors must confirm it",
    description:
      "Recorded as your organisation's decision (pendingDecision, with its decisionId), not yet the lead: the negotiation stays open and keeps escalating as a disagreement until every other party's director confirms it (POST /lead-negotiations/{id}/decision-confirmations). A director of another party who disagrees decides otherwise here: a counter-decision that replaces the open one.",
  })
  decide(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: DecisionDto,
    @Headers() h: Record<string, string>,
  ) {
    return this.send(
      actor,
      id,
      { type: 'DecideLead', decisionId: randomUUID(), lead: body.lead, rationale: body.rationale },
      h,
    );
  }

  @Post('lead-negotiations/:id/decision-confirmations')
  @ApiAnswer(200, 'LeadNegotiationView', 'The negotiation after this step')
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({
    summary: "Confirm another party's director's decision (a director of a party)",
    description:
      'When the directors of every party other than the deciding one confirmed it, the lead is in force (status decided; lead.decidedBy and lead.confirmations say who decided and who confirmed). To disagree, decide otherwise instead (POST /lead-negotiations/{id}/decisions).',
  })
  confirmDecision(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: DecisionConfirmationDto,
    @Headers() h: Record<string, string>,
  ) {
    return this.send(actor, id, { type: 'ConfirmDecision', decisionId: body.decisionId }, h);
  }

  @Post('lead-negotiations/:id/renegotiations')
  @ApiAnswer(200, 'LeadNegotiationView', 'The negotiation after this step')
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({
    summary:
      'Re-negotiate an agreed or decided lead (a party); the current lead stays in force until a new one is reached',
  })
  renegotiate(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: RenegotiationDto,
    @Headers() h: Record<string, string>,
  ) {
    return this.send(actor, id, { type: 'Renegotiate', reason: body.reason }, h);
  }

  @Get('lead-negotiations/:id')
  @ApiAnswer(200, 'LeadNegotiationDetails', 'The negotiation, with the events it was folded from')
  @ApiProblems({
    404: 'No such negotiation in a case your organisation takes part in (the same answer as for one that does not exist)',
  })
  @ApiOperation({
    summary:
      'A lead negotiation: parties, suggestion, current proposal and who it waits for, escalation, lead in force and its history',
  })
  view(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.leads.view(actor, id);
  }

  private send(
    actor: Actor,
    id: string,
    command: LeadCommandInput,
    headers: Record<string, string>,
  ): Promise<LeadNegotiationView> {
    return this.leads.command(actor, id, command, requestMeta(headers));
  }
}
