import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor, RecordedEvent } from '@warm-handover/contracts';
import {
  type CaseEvent,
  type CaseState,
  caseStateAt,
  type CaseLeads,
  type LeadEvent,
  leadsAt,
  caseStreamId,
  decideKeepCase,
  type HandoverEvent,
  noticesOfCase,
  type NoticeView,
  responsibilityTimeline,
  responsibleAt,
  type ResponsibilityPeriod,
  type UnresolvedHandover,
  unresolvedHandover,
} from '@warm-handover/domain';
import { EventStore } from '@warm-handover/persistence';
import { CurrentActor } from '../auth/current-actor.decorator';
import { problemType } from '../http/problem-details';
import { ProblemException } from '../http/problem-details.filter';
import { ReasonDto } from '../handovers/handover.dto';
import { type HistoryEntry, toHistoryEntry } from '../handovers/handovers.service';
import { IdempotentCommand } from '../http/idempotent-command.decorator';
import { validMoment } from '../http/query-moment';
import { decideInApi } from '../temporal/workflow-commands';
import { CaseAccess } from './case-access.service';

export interface ResponsibilityAnswer {
  readonly caseId: string;
  readonly at: string;
  /** Which clock `at` is compared with: the effective time of each step (e.g. the confirmed start of care). */
  readonly basis: 'effective-time';
  readonly responsible: ResponsibilityPeriod;
  readonly periods: readonly ResponsibilityPeriod[];
  /** A rejected or withdrawn handover the sender has not yet resolved (R2); absent when none. */
  readonly unresolvedHandover?: UnresolvedHandover;
}

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(
    private readonly store: EventStore,
    private readonly access: CaseAccess,
  ) {}

  @Get(':caseId/responsibility')
  @ApiOperation({
    summary: 'Which organisation is responsible for the children of a case, now or at any past moment',
    description:
      'The sender stays responsible until the receiver confirms that care started (R1); rejections and withdrawals change nothing (R2). Never "nobody" for a known case.',
  })
  @ApiQuery({ name: 'at', required: false, description: 'ISO-8601 moment; defaults to now' })
  async responsibility(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
    @Query('at') at?: string,
  ): Promise<ResponsibilityAnswer> {
    const moment = validMoment(at, 'at');
    const events = await this.access.caseEvents(actor, caseId);
    const timeline = responsibilityTimeline(
      caseId,
      events.map((e) => ({ type: e.type, data: e.data }) as HandoverEvent),
    );
    const responsible = responsibleAt(timeline, moment);
    if (!responsible) {
      throw new ProblemException({
        type: problemType('case-not-yet-known'),
        title: 'The case was not yet known then',
        status: 404,
        detail: `Case ${caseId} became known to the system at ${timeline.periods[0]?.since}; ask for a moment from then on.`,
        firstKnownAt: timeline.periods[0]?.since,
      });
    }
    const unresolved = unresolvedHandover(
      events.filter((e) => Date.parse(e.recordedAt) <= Date.parse(moment)).map(asCaseEvent),
    );
    return {
      caseId,
      at: new Date(moment).toISOString(),
      basis: 'effective-time',
      responsible,
      periods: timeline.periods,
      ...(unresolved ? { unresolvedHandover: unresolved } : {}),
    };
  }

  @Get(':caseId/state')
  @ApiOperation({
    summary: 'The state of a case at any moment, as the system knew it at any moment, folded from its events',
    description: [
      'Responsible organisation and since when, the lead per chain and how it was reached (acceptances, or the director who decided; an open negotiation with its proposal and escalation level), open handovers with their deadlines and escalation levels, notices sent, failed and acknowledged, a lead-region mismatch, an unresolved handover.',
      "`at` is compared with each event's effective time (when it happened, e.g. the confirmed start of care: `basis: effective-time`); `asRecordedAt` keeps only the events the system had recorded by then.",
      'The chosen events are folded in recorded order. Both default to now. Before the case was known, `events.inEffect` is 0 and `knownSince` says from when to ask.',
    ].join(' '),
  })
  @ApiQuery({ name: 'at', required: false, description: 'ISO-8601 moment on the effective clock; defaults to now' })
  @ApiQuery({
    name: 'asRecordedAt',
    required: false,
    description: 'ISO-8601 moment: only what the system had recorded by then; defaults to now',
  })
  async state(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
    @Query('at') at?: string,
    @Query('asRecordedAt') asRecordedAt?: string,
  ): Promise<CaseState> {
    const now = new Date().toISOString();
    const query = { at: validMoment(at, 'at', now), asRecordedAt: validMoment(asRecordedAt, 'asRecordedAt', now) };
    return caseStateAt(caseId, await this.access.caseEvents(actor, caseId), query);
  }

  @Post(':caseId/keep-decision')
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({
    summary: 'Record that the sender keeps the case after a rejected or withdrawn handover (sending organisation)',
    description: 'Resolves the unresolved handover the case shows; the sender was responsible all along (R2).',
  })
  async keepDecision(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
    @Body() body: ReasonDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<{ caseId: string; decision: CaseEvent['data'] }> {
    const events = await this.access.caseEvents(actor, caseId);
    const decision = decideInApi(() =>
      decideKeepCase({ actor, caseId, reason: body.reason, now: new Date().toISOString() }, events.map(asCaseEvent)),
    );
    const stream = caseStreamId(caseId);
    await this.store.append(
      stream,
      [
        {
          eventId: randomUUID(),
          type: decision.type,
          data: decision.data,
          metadata: { actor, correlationId: randomUUID(), caseId, ...(idempotencyKey ? { idempotencyKey } : {}) },
        },
      ],
      { expectedVersion: events.filter((e) => e.streamId === stream).length },
    );
    return { caseId, decision: decision.data };
  }

  @Get(':caseId/leads')
  @ApiOperation({
    summary:
      'The lead per chain (care, safety) now or at any past moment, how it was reached, and any lead-region mismatch',
  })
  @ApiQuery({ name: 'at', required: false, description: 'ISO-8601 moment; defaults to now' })
  async leads(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
    @Query('at') at?: string,
  ): Promise<CaseLeads> {
    const moment = validMoment(at, 'at');
    const events = await this.access.caseEvents(actor, caseId);
    return leadsAt(
      caseId,
      events.map((e) => ({ type: e.type, data: e.data }) as LeadEvent),
      moment,
    );
  }

  @Get(':caseId/notices')
  @ApiOperation({
    summary: 'Who was told what about the case, when, over which channel, and whether they acknowledged it',
    description:
      'One entry per escalation notice (per recipient contact point and channel): its level, recipient, status (pending while retries go on, sent, failed after the last attempt or when the organisation had no contact point), attempts, how often it was delivered (top-level notices repeat daily until acknowledged), and the acknowledgement with who and when.',
  })
  async notices(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
  ): Promise<{ caseId: string; notices: NoticeView[]; undelivered: number; unacknowledged: number }> {
    const notices = noticesOfCase(await this.access.caseEvents(actor, caseId));
    return {
      caseId,
      notices,
      undelivered: notices.filter((n) => n.status === 'failed').length,
      unacknowledged: notices.filter((n) => n.status === 'sent' && !n.acknowledged).length,
    };
  }

  @Get(':caseId/timeline')
  @ApiOperation({ summary: 'Every event of a case in the order it was recorded, with actor and time' })
  async timeline(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
  ): Promise<{ caseId: string; events: HistoryEntry[] }> {
    const events = await this.access.caseEvents(actor, caseId);
    return { caseId, events: events.map(toHistoryEntry) };
  }
}

function asCaseEvent(event: RecordedEvent): CaseEvent {
  return { type: event.type, data: event.data } as CaseEvent;
}
