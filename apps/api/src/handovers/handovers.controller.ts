import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor, PersonCommandInput } from '@warm-handover/contracts';
import { type HandoverView, ORGANISATION_IDS } from '@warm-handover/domain';
import { CurrentActor } from '../auth/current-actor.decorator';
import { IdempotentCommand } from '../http/idempotent-command.decorator';
import { problemType } from '../http/problem-details';
import { ProblemException } from '../http/problem-details.filter';
import { AcceptanceDto, ReasonDto, ReceiptDto, RequestHandoverDto, StartConfirmationDto } from './handover.dto';
import { CURSOR_PATTERN, linkNext, pageRequest } from '../http/pagination';

/** A page of handovers; each is folded from its stream, so pages stay modest. */
const HANDOVER_PAGE_MAX = 500;
const HANDOVER_PAGE_DEFAULT = 200;

import { type HandoverDetails, HandoversService } from './handovers.service';
import { ApiAnswer, LINK_HEADER, LOCATION_HEADER } from '../openapi/answers';
import { ApiProblems } from '../openapi/problem-responses';

const STATUSES = ['requested', 'received', 'accepted', 'started', 'rejected', 'withdrawn'];
const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('handovers')
@ApiBearerAuth()
@Controller('handovers')
export class HandoversController {
  constructor(private readonly handovers: HandoversService) {}

  @Post()
  @ApiAnswer(201, 'HandoverView', 'The handover as requested, with its deadlines', LOCATION_HEADER)
  @IdempotentCommand()
  @ApiOperation({
    summary: 'Request a warm handover (sending organisation)',
    description:
      'Starts the handover. The sender stays responsible until the receiver confirms that care started. Unknown organisation 422; not your organisation 403.',
  })
  async request(
    @CurrentActor() actor: Actor,
    @Body() body: RequestHandoverDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('x-request-id') requestId: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<HandoverView> {
    const view = await this.handovers.request(actor, body, meta(idempotencyKey, requestId));
    response.location(`/handovers/${view.handoverId}`);
    return view;
  }

  @Post(':id/receipt')
  @ApiAnswer(200, 'HandoverView', 'The handover after this step')
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({ summary: 'Acknowledge receipt (receiving organisation)' })
  receipt(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() _body: ReceiptDto,
    @Headers() h: Record<string, string>,
  ) {
    return this.send(actor, id, { type: 'AcknowledgeReceipt' }, h);
  }

  @Post(':id/acceptance')
  @ApiAnswer(200, 'HandoverView', 'The handover after this step')
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({ summary: 'Accept, with a planned start date (receiving organisation)' })
  acceptance(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: AcceptanceDto,
    @Headers() h: Record<string, string>,
  ) {
    return this.send(actor, id, { type: 'AcceptHandover', plannedStartDate: body.plannedStartDate }, h);
  }

  @Post(':id/start-confirmation')
  @ApiAnswer(200, 'HandoverView', 'The handover after this step')
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({
    summary: 'Confirm that care has started (receiving organisation)',
    description: 'From startedAt on, the receiving organisation is responsible for the children.',
  })
  startConfirmation(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: StartConfirmationDto,
    @Headers() h: Record<string, string>,
  ) {
    return this.send(
      actor,
      id,
      {
        type: 'ConfirmStart',
        startedAt: body.startedAt ?? new Date().toISOString(),
        startedBy: body.startedBy ?? actor.subject,
      },
      h,
    );
  }

  @Post(':id/rejection')
  @ApiAnswer(200, 'HandoverView', 'The handover after this step')
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({ summary: 'Reject, with a reason (receiving organisation); the sender stays responsible' })
  rejection(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: ReasonDto,
    @Headers() h: Record<string, string>,
  ) {
    return this.send(actor, id, { type: 'RejectHandover', reason: body.reason }, h);
  }

  @Post(':id/contact-failure')
  @ApiAnswer(200, 'HandoverView', 'The handover after this step')
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({
    summary: 'Report that the family could not be reached or did not come (receiving organisation)',
    description: 'Care avoidance is a risk signal (R6): it reaches the sender at once and escalates one level.',
  })
  contactFailure(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: ReasonDto,
    @Headers() h: Record<string, string>,
  ) {
    return this.send(actor, id, { type: 'ReportContactFailure', reason: body.reason }, h);
  }

  @Post(':id/withdrawal')
  @ApiAnswer(200, 'HandoverView', 'The handover after this step')
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({ summary: 'Withdraw, with a reason (sending organisation); the sender stays responsible' })
  withdrawal(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: ReasonDto,
    @Headers() h: Record<string, string>,
  ) {
    return this.send(actor, id, { type: 'WithdrawHandover', reason: body.reason }, h);
  }

  @Get(':id')
  @ApiAnswer(200, 'HandoverDetails', 'The handover, with its history')
  @ApiProblems({
    404: 'No such handover in a case your organisation takes part in (the same answer as for one that does not exist)',
  })
  @ApiOperation({ summary: 'A handover: state, deadlines, escalation level and history' })
  details(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<HandoverDetails> {
    return this.handovers.details(actor, id);
  }

  @Get()
  @ApiAnswer(200, 'HandoverList', 'A page of handovers, newest first', LINK_HEADER)
  @ApiProblems({
    400: 'A query parameter is not valid (each named in `errors`)',
    403: 'You asked for another organisation’s handovers',
  })
  @ApiOperation({ summary: 'Handovers your organisation sends or receives' })
  @ApiQuery({ name: 'org', required: false, enum: [...ORGANISATION_IDS], description: 'Defaults to your organisation' })
  @ApiQuery({ name: 'status', required: false, enum: STATUSES })
  @ApiQuery({ name: 'overdue', required: false, type: Boolean })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: HANDOVER_PAGE_MAX },
    description: `1–${HANDOVER_PAGE_MAX}, default ${HANDOVER_PAGE_DEFAULT}`,
  })
  @ApiQuery({
    name: 'cursor',
    required: false,
    schema: { type: 'string', pattern: CURSOR_PATTERN.source },
    description: 'from the Link rel="next" header of the previous page',
  })
  async list(
    @CurrentActor() actor: Actor,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @Query('org') org?: string,
    @Query('status') status?: string,
    @Query('overdue') overdue?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<HandoverView[]> {
    if (status !== undefined && !STATUSES.includes(status)) throw badQuery('status', `one of ${STATUSES.join(', ')}`);
    if (overdue !== undefined && overdue !== 'true' && overdue !== 'false') throw badQuery('overdue', 'true or false');
    const page = pageRequest(limit, cursor, { max: HANDOVER_PAGE_MAX, default: HANDOVER_PAGE_DEFAULT });
    const { items, next } = await this.handovers.list(
      actor,
      {
        ...(org ? { org } : {}),
        ...(status ? { status } : {}),
        ...(overdue !== undefined ? { overdue: overdue === 'true' } : {}),
      },
      page,
    );
    // The answer stays a JSON array, newest first; the next page is in the Link header.
    linkNext(request, response, next, page.limit);
    return items;
  }

  private send(
    actor: Actor,
    id: string,
    command: PersonCommandInput,
    headers: Record<string, string>,
  ): Promise<HandoverView> {
    return this.handovers.command(actor, id, command, meta(headers['idempotency-key'], headers['x-request-id']));
  }
}

function meta(idempotencyKey: string | undefined, requestId: string | undefined) {
  return { correlationId: requestId ?? randomUUID(), ...(idempotencyKey ? { idempotencyKey } : {}) };
}

function badQuery(name: string, expected: string): ProblemException {
  return new ProblemException({
    type: problemType('invalid-query'),
    title: 'The query is not valid',
    status: 400,
    detail: `${name} must be ${expected}.`,
    errors: [{ field: name, message: `must be ${expected}` }],
  });
}
