import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@warm-handover/contracts';
import {
  type CaseParty,
  type CaseState,
  caseStateAt,
  type CaseLeads,
  type CaseOwnEvent,
  type ChildResponsibility,
  type ChildResponsibilityPeriod,
  type LeadEvent,
  leadsAt,
  noticeAsSeenBy,
  type NoticeAsSeenByOthers,
  noticeEventDataAsSeenBy,
  noticesOfCase,
  type NoticeView,
  responsibilityByChildAt,
  sharedResponsibility,
  type UnresolvedHandover,
  unresolvedHandover,
  unresolvedHandovers,
} from '@warm-handover/domain';
import { CurrentActor } from '../auth/current-actor.decorator';
import { problemType } from '../http/problem-details';
import { ProblemException } from '../http/problem-details.filter';
import { type HistoryEntry, toHistoryEntry } from '../handovers/handovers.service';
import { IdempotentCommand } from '../http/idempotent-command.decorator';
import { CURSOR_PATTERN, linkNext, pageOf, pageRequest } from '../http/pagination';
import { validMoment } from '../http/query-moment';
import { CaseAccess } from './case-access.service';
import { AddChildrenDto, InvolvePartyDto, KeepDecisionDto, OpenCaseDto } from './case.dto';

/** The largest page of a case's notices or timeline; a case has far fewer. */
const LIST_PAGE_MAX = 1000;
import { CasesService } from './cases.service';
import { ApiAnswer, LINK_HEADER, LOCATION_HEADER } from '../openapi/answers';
import { ApiProblems } from '../openapi/problem-responses';

export interface ResponsibilityAnswer {
  readonly caseId: string;
  readonly at: string;
  /** Which clock `at` is compared with: the effective time of each step (e.g. the confirmed start of care). */
  readonly basis: 'effective-time';
  /** Every child known at `at`, with the one organisation responsible for it then, and its periods. */
  readonly children: readonly ChildResponsibility[];
  /** The organisation responsible for every child, while they share one. */
  readonly responsible?: ChildResponsibilityPeriod;
  /** The latest rejected or withdrawn handover the sender has not yet resolved (R2a); absent when none. */
  readonly unresolvedHandover?: UnresolvedHandover;
  readonly unresolvedHandovers: readonly UnresolvedHandover[];
}

/** The family's case as one overview: parties and why, children and who is responsible, handovers. */
export interface CaseOverview {
  readonly caseId: string;
  readonly knownSince?: string;
  readonly parties: readonly CaseParty[];
  readonly children: readonly ChildResponsibility[];
  readonly handovers: readonly {
    readonly handoverId: string;
    readonly fromOrg: string;
    readonly toOrg: string;
    readonly childIds: readonly string[];
    readonly status: string;
    readonly requestedAt: string;
    readonly closedAt?: string;
  }[];
  readonly unresolvedHandovers: readonly UnresolvedHandover[];
}

type Meta = { idempotencyKey?: string; correlationId: string };

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(
    private readonly access: CaseAccess,
    private readonly cases: CasesService,
  ) {}

  @Post()
  @ApiAnswer(201, 'CaseChange', 'The case opened, with the id the service issued', LOCATION_HEADER)
  @IdempotentCommand()
  @ApiOperation({
    summary: 'Open a case for a family: its children by pseudonymous id; your organisation is its first party',
    description:
      'The service issues the case id, so two organisations never end up in one case by choosing the same id. Your organisation is responsible for each child until a handover of it starts (R1). An id that looks like a name, BSN or e-mail address is refused (422).',
  })
  async open(
    @CurrentActor() actor: Actor,
    @Body() body: OpenCaseDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ caseId: string; event: CaseOwnEvent['data'] }> {
    const { caseId, event } = await this.cases.open(actor, body.childIds, meta(idempotencyKey));
    response.location(`/cases/${caseId}`);
    return { caseId, event: event.data };
  }

  @Get(':caseId')
  @ApiAnswer(200, 'CaseOverview', 'The case as one overview')
  @ApiProblems({
    404: 'No such case in a case your organisation takes part in (the same answer as for one that does not exist)',
  })
  @ApiOperation({
    summary: 'The case as one overview: every organisation involved and why, each child and who is responsible for it',
  })
  async overview(@CurrentActor() actor: Actor, @Param('caseId') caseId: string): Promise<CaseOverview> {
    const { events, facts } = await this.access.read(actor, caseId);
    return {
      caseId,
      ...(facts.knownSince ? { knownSince: facts.knownSince } : {}),
      parties: [...facts.parties.values()],
      children: responsibilityByChildAt(facts, new Date().toISOString()),
      handovers: [...facts.handovers.values()].map((h) => ({
        handoverId: h.handoverId,
        fromOrg: h.fromOrg,
        toOrg: h.toOrg,
        childIds: h.childIds,
        status: h.status,
        requestedAt: h.requestedAt,
        ...(h.closedAt ? { closedAt: h.closedAt } : {}),
      })),
      unresolvedHandovers: unresolvedHandovers(events),
    };
  }

  @Post(':caseId/children')
  @ApiAnswer(201, 'CaseChange', 'The case and the event recorded')
  @IdempotentCommand()
  @ApiOperation({
    summary:
      'Add children that became known later (born, found) to the case (a party); your organisation is responsible for them',
  })
  async addChildren(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
    @Body() body: AddChildrenDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<{ caseId: string; event: CaseOwnEvent['data'] }> {
    const event = await this.cases.addChildren(actor, caseId, body.childIds, meta(idempotencyKey));
    return { caseId, event: event.data };
  }

  @Post(':caseId/involvements')
  @ApiAnswer(201, 'CaseChange', 'The case and the event recorded')
  @IdempotentCommand()
  @ApiOperation({
    summary:
      'Involve another organisation in the case, with the reason (a party); it becomes a party that reads the case',
  })
  async involve(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
    @Body() body: InvolvePartyDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<{ caseId: string; event: CaseOwnEvent['data'] }> {
    const event = await this.cases.involve(actor, caseId, body, meta(idempotencyKey));
    return { caseId, event: event.data };
  }

  @Get(':caseId/responsibility')
  @ApiAnswer(200, 'ResponsibilityAnswer', 'Who is responsible for each child at that moment')
  @ApiProblems({
    400: 'A query parameter is not valid (each named in `errors`)',
    404: 'No such case in a case your organisation takes part in or it was not yet known at that moment (the same answer as for one that does not exist)',
  })
  @ApiOperation({
    summary: 'Which organisation is responsible for the children of a case, now or at any past moment',
    description:
      'The sender stays responsible until the receiver confirms that care started (R1); rejections and withdrawals change nothing (R2). Never "nobody" for a known case.',
  })
  @ApiQuery({
    name: 'at',
    required: false,
    schema: { type: 'string', format: 'date-time' },
    description: 'ISO-8601 moment; defaults to now',
  })
  async responsibility(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
    @Query('at') at?: string,
  ): Promise<ResponsibilityAnswer> {
    const moment = validMoment(at, 'at');
    const { events, facts } = await this.access.read(actor, caseId);
    const children = responsibilityByChildAt(facts, moment);
    if (children.length === 0) {
      throw new ProblemException({
        type: problemType('case-not-yet-known'),
        title: 'The case was not yet known then',
        status: 404,
        detail: `No child of case ${caseId} was known at ${moment}${facts.knownSince ? `; the case became known at ${facts.knownSince}: ask for a moment from then on` : ''}.`,
        ...(facts.knownSince ? { firstKnownAt: facts.knownSince } : {}),
      });
    }
    const shared = sharedResponsibility(children);
    const known = events.filter((e) => Date.parse(e.recordedAt) <= Date.parse(moment));
    const unresolved = unresolvedHandovers(known);
    return {
      caseId,
      at: new Date(moment).toISOString(),
      basis: 'effective-time',
      children,
      ...(shared ? { responsible: shared } : {}),
      ...(unresolved.length > 0 ? { unresolvedHandover: unresolvedHandover(known)! } : {}),
      unresolvedHandovers: unresolved,
    };
  }

  @Get(':caseId/state')
  @ApiAnswer(200, 'CaseState', 'The case at that moment')
  @ApiProblems({
    400: 'A query parameter is not valid (each named in `errors`)',
    404: 'No such case in a case your organisation takes part in (the same answer as for one that does not exist)',
  })
  @ApiOperation({
    summary: 'The state of a case at any moment, as the system knew it at any moment, folded from its events',
    description: [
      'Responsible organisation and since when, the lead per chain and how it was reached (acceptances, or the director who decided; an open negotiation with its proposal and escalation level), open handovers with their deadlines and escalation levels, notices sent, failed and acknowledged, a lead-region mismatch, an unresolved handover.',
      "`at` is compared with each event's effective time (when it happened, e.g. the confirmed start of care: `basis: effective-time`); `asRecordedAt` keeps only the events the system had recorded by then.",
      'The chosen events are folded in recorded order. Both default to now. Before the case was known, `events.inEffect` is 0 and `knownSince` says from when to ask.',
    ].join(' '),
  })
  @ApiQuery({
    name: 'at',
    required: false,
    schema: { type: 'string', format: 'date-time' },
    description: 'ISO-8601 moment on the effective clock; defaults to now',
  })
  @ApiQuery({
    name: 'asRecordedAt',
    required: false,
    schema: { type: 'string', format: 'date-time' },
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
  @ApiAnswer(200, 'KeepDecisionAnswer', 'The decision recorded')
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({
    summary: 'Record that the sender keeps the case after a rejected or withdrawn handover (sending organisation)',
    description: 'Resolves the unresolved handover the case shows; the sender was responsible all along (R2).',
  })
  async keepDecision(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
    @Body() body: KeepDecisionDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<{ caseId: string; decision: CaseOwnEvent['data'] }> {
    const decision = await this.cases.keep(actor, caseId, body, meta(idempotencyKey));
    return { caseId, decision: decision.data };
  }

  @Get(':caseId/leads')
  @ApiAnswer(200, 'CaseLeads', 'The lead per chain at that moment')
  @ApiProblems({
    400: 'A query parameter is not valid (each named in `errors`)',
    404: 'No such case in a case your organisation takes part in (the same answer as for one that does not exist)',
  })
  @ApiOperation({
    summary:
      'The lead per chain (care, safety) now or at any past moment, how it was reached, and any lead-region mismatch',
  })
  @ApiQuery({
    name: 'at',
    required: false,
    schema: { type: 'string', format: 'date-time' },
    description: 'ISO-8601 moment; defaults to now',
  })
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
  @ApiAnswer(200, 'CaseNoticesPage', 'A page of the case’s notices', LINK_HEADER)
  @ApiProblems({
    400: 'A query parameter is not valid (each named in `errors`)',
    404: 'No such case in a case your organisation takes part in (the same answer as for one that does not exist)',
  })
  @ApiOperation({
    summary: 'Who was told what about the case, when, over which channel, and whether they acknowledged it',
    description:
      'One entry per escalation notice (per recipient contact point and channel): its level, recipient, status (pending while retries go on, sent, failed after the last attempt or when the organisation had no contact point), attempts, how often it was delivered (top-level notices repeat daily until acknowledged), and the acknowledgement with who and when.',
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: LIST_PAGE_MAX },
    description: `1–${LIST_PAGE_MAX}, default ${LIST_PAGE_MAX}`,
  })
  @ApiQuery({
    name: 'cursor',
    required: false,
    schema: { type: 'string', pattern: CURSOR_PATTERN.source },
    description: '`next` of the previous page',
  })
  async notices(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<{
    caseId: string;
    notices: (NoticeView | NoticeAsSeenByOthers)[];
    undelivered: number;
    unacknowledged: number;
    next: string | null;
  }> {
    // The case first: one your organisation takes no part in is a 404, whatever the query asks.
    const events = await this.access.caseEvents(actor, caseId);
    const pageAsked = pageRequest(limit, cursor, { max: LIST_PAGE_MAX });
    const notices = noticesOfCase(events);
    const page = pageOf(notices, (n) => n.noticeId, pageAsked);
    linkNext(request, response, page.next, pageAsked.limit);
    return {
      caseId,
      notices: page.items.map((notice) => noticeAsSeenBy(notice, actor)),
      // Counted over every notice of the case, not only this page.
      undelivered: notices.filter((n) => n.status === 'failed').length,
      unacknowledged: notices.filter((n) => n.status === 'sent' && !n.acknowledged).length,
      next: page.next,
    };
  }

  @Get(':caseId/timeline')
  @ApiAnswer(200, 'CaseTimelinePage', 'A page of the case’s events', LINK_HEADER)
  @ApiProblems({
    400: 'A query parameter is not valid (each named in `errors`)',
    404: 'No such case in a case your organisation takes part in (the same answer as for one that does not exist)',
  })
  @ApiOperation({ summary: 'Every event of a case in the order it was recorded, with actor and time' })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: LIST_PAGE_MAX },
    description: `1–${LIST_PAGE_MAX}, default ${LIST_PAGE_MAX}`,
  })
  @ApiQuery({
    name: 'cursor',
    required: false,
    schema: { type: 'string', pattern: CURSOR_PATTERN.source },
    description: '`next` of the previous page',
  })
  async timeline(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<{ caseId: string; events: HistoryEntry[]; next: string | null }> {
    const events = await this.access.caseEvents(actor, caseId);
    const pageAsked = pageRequest(limit, cursor, { max: LIST_PAGE_MAX });
    const entries = events.map((event) => {
      const entry = toHistoryEntry(event);
      return { ...entry, data: noticeEventDataAsSeenBy(entry.type, entry.data, actor) };
    });
    const page = pageOf(entries, (e) => String(e.globalPosition), pageAsked);
    linkNext(request, response, page.next, pageAsked.limit);
    return { caseId, events: page.items, next: page.next };
  }
}

function meta(idempotencyKey: string | undefined): Meta {
  return { correlationId: randomUUID(), ...(idempotencyKey ? { idempotencyKey } : {}) };
}
