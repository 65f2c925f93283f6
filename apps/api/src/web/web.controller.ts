import { randomUUID } from 'node:crypto';
import {
  type ArgumentsHost,
  Body,
  type CanActivate,
  Catch,
  Controller,
  type ExceptionFilter,
  type ExecutionContext,
  Get,
  HttpException,
  Inject,
  Injectable,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import type { Actor, PersonCommandInput, RecordedEvent } from '@warm-handover/contracts';
import {
  caseReport,
  caseStateAt,
  effectiveTime,
  ESCALATION_ROLES,
  type NoticeAcknowledged,
  noticesOfCase,
  noticeStreamId,
  unresolvedFollowUps,
  unresolvedHandovers,
} from '@warm-handover/domain';
import { EventStore, verifyChain } from '@warm-handover/persistence';
import { APP_CONFIG, type AppConfig, deterministicUuid } from '@warm-handover/platform';
import { BrowserSessions, cookieOf, SESSION_COOKIE } from '../auth/browser-sessions';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { Public } from '../auth/public.decorator';
import { CaseAccess } from '../cases/case-access.service';
import { CasesService } from '../cases/cases.service';
import { ContactPointDto } from '../contact-points/contact-point.dto';
import { ContactPointsService } from '../contact-points/contact-points.service';
import { AcceptanceDto, ReasonDto, RequestHandoverDto } from '../handovers/handover.dto';
import { HandoversService } from '../handovers/handovers.service';
import { AcceptanceOfProposalDto, DecisionConfirmationDto, DecisionDto, ProposalDto } from '../leads/lead.dto';
import { LeadsService } from '../leads/leads.service';
import { IdempotentByNature } from '../http/idempotent-by-nature.decorator';
import { problemType } from '../http/problem-details';
import { ProblemException, toProblem } from '../http/problem-details.filter';
import { createValidationPipe } from '../http/validation';
import { CSRF_REFUSED, DONE_NL, type RefusalSubject, refusalInDutch } from './messages';
import { CsrfTokens } from './csrf';
import {
  accessibilityPage,
  casePage,
  contactPointsPage,
  errorPage,
  type Flash,
  type PageContext,
  SEARCH_STATUSES,
  type SearchResult,
  searchPage,
  signedOutPage,
  worklistFragment,
  worklistPage,
} from './pages';
import { loadAssets } from './web-assets';
import { namesOrganisation, WebEvents } from './web-events';
import { WebQueries } from './web.queries';
import { type CaseForWorklist, type WorkItem, worklistOf } from './worklist';

/** A request the web app's guard let through: a browser session, its actor and its id. */
interface WebRequest extends AuthenticatedRequest {
  sessionId?: string;
}

class SignInRequired extends Error {}

/** Where a form may send the browser back to: a page of the web app, nothing else. */
const BACK = /^\/app(?:\/[A-Za-z0-9._~%-]+)*$/;
/** How many cases a search shows; enough to read, small enough to fold each one. */
const SEARCH_LIMIT = 50;

/**
 * Every page of the web app needs a browser session (the sign-in of /auth/login): no session
 * sends the browser to sign in and back here. The actor goes on the request before the global
 * interceptors run, so every page read is in the read access log like any API read. Inspectors
 * only read, here too.
 */
@Injectable()
export class WebSessionGuard implements CanActivate {
  constructor(private readonly sessions: BrowserSessions) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<WebRequest>();
    const session = await this.sessions.sessionOf(request);
    if (!session) throw new SignInRequired();
    request.actor = session.actor;
    request.sessionExpiresAt = session.expiresAt;
    request.sessionId = cookieOf(request, SESSION_COOKIE);
    if (request.method !== 'GET' && session.actor.role === 'inspector') {
      throw new ProblemException({
        type: problemType('inspector-read-only'),
        title: 'Inspectors only read',
        status: 403,
        detail: 'Inspectors read cases; they do not change them.',
      });
    }
    return true;
  }
}

/** Refusals on pages: to sign-in, or a Dutch error page; never the API's JSON problem. */
@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<WebRequest>();
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) {
      response.end();
      return;
    }
    response.setHeader('cache-control', 'no-store');
    if (exception instanceof SignInRequired) {
      const back = request.method === 'GET' && BACK.test(request.path) ? request.originalUrl : '/app';
      response.redirect(303, `/auth/login?returnTo=${encodeURIComponent(back)}`);
      return;
    }
    const problem = toProblem(exception, request.originalUrl);
    response
      .status(problem.status)
      .type('html')
      .send(
        errorPage(
          undefined,
          problem.status,
          exception instanceof HttpException
            ? refusalInDutch(problem)
            : 'Er ging iets mis aan onze kant. Probeer het later opnieuw.',
        ),
      );
  }
}

/** The style sheets, script and public pages: no session needed. */
@ApiExcludeController()
@Public()
@Controller('app')
export class WebPublicController {
  private readonly assets: ReturnType<typeof loadAssets>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sessions: BrowserSessions,
  ) {
    this.assets = loadAssets(config.WEB_THEME_CSS || undefined);
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Req() request: Request, @Res() response: Response): void {
    const found = this.assets.get(name);
    if (!found) {
      response.status(404).type('text/plain').send('Niet gevonden');
      return;
    }
    response.setHeader('etag', found.etag);
    response.setHeader('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === found.etag) {
      response.status(304).end();
      return;
    }
    response.type(found.type).send(found.body);
  }

  @Get('toegankelijkheid')
  async accessibility(@Req() request: Request, @Res() response: Response): Promise<void> {
    const session = await this.sessions.sessionOf(request);
    const ctx = session ? { actor: session.actor, csrf: '', demoMode: false } : undefined;
    response.type('html').send(accessibilityPage(ctx));
  }

  @Get('uitgelogd')
  signedOut(@Res() response: Response): void {
    response.type('html').send(signedOutPage());
  }
}

/**
 * The web app: server-rendered pages over the same services the JSON API uses (CasesService,
 * HandoversService, CaseAccess, ContactPointsService), so every rule is decided where it is for
 * API clients. Forms post with the session's CSRF token and an idempotency key, and redirect
 * (Post/Redirect/Get) with a Dutch message of what happened or why it was refused.
 */
@ApiExcludeController()
@Public()
@UseGuards(WebSessionGuard)
@UseFilters(WebExceptionFilter)
@Controller('app')
export class WebController {
  private readonly csrf: CsrfTokens;
  private readonly validation = createValidationPipe();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: BrowserSessions,
    private readonly access: CaseAccess,
    private readonly cases: CasesService,
    private readonly handovers: HandoversService,
    private readonly leads: LeadsService,
    private readonly contactPoints: ContactPointsService,
    private readonly queries: WebQueries,
    private readonly events: WebEvents,
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
  ) {
    this.csrf = new CsrfTokens(config.SUBJECT_PSEUDONYM_KEY);
  }

  // ------------------------------------------------------------------ Mijn werk

  @Get()
  async worklist(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const ctx = this.context(request, query);
    // Read before the items: whatever is appended from here on reaches the page as a live update.
    const since = await this.events.headPosition();
    const now = new Date().toISOString();
    const items = ctx.actor.role === 'inspector' ? [] : await this.worklistItems(ctx.actor, now);
    this.html(response, worklistPage(ctx, items, now, since));
  }

  @Get('werk/lijst')
  async worklistList(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const ctx = this.context(request, {});
    const now = new Date().toISOString();
    this.html(response, worklistFragment(ctx, await this.worklistItems(ctx.actor, now), now));
  }

  /** Server-sent events: "changed" whenever an event that concerns the reader's list is appended. */
  @Get('werk/live')
  async live(@Req() request: WebRequest, @Res() response: Response, @Query('sinds') sinds?: string): Promise<void> {
    const actor = request.actor!;
    // The position the page was rendered from (anything else is ignored: live from now on).
    const since = typeof sinds === 'string' && /^\d{1,15}$/.test(sinds) ? Number(sinds) : undefined;
    let caseIds = new Set(await this.queries.casesFor(actor));
    response.status(200);
    response.setHeader('content-type', 'text/event-stream; charset=utf-8');
    response.setHeader('cache-control', 'no-store');
    response.setHeader('x-accel-buffering', 'no');
    response.flushHeaders();
    response.write('retry: 3000\n\n');
    const stop = this.events.listen(
      {
        concerns: (event: RecordedEvent) =>
          namesOrganisation(event, actor.organisation) || caseIds.has(event.metadata.caseId ?? ''),
        changed: () => {
          response.write(`event: changed\ndata: ${JSON.stringify({ at: new Date().toISOString() })}\n\n`);
          void this.queries.casesFor(actor).then(
            (ids) => (caseIds = new Set(ids)),
            () => undefined,
          );
        },
      },
      since,
    );
    // A comment now and then keeps proxies from closing an idle stream.
    const heartbeat = setInterval(() => response.write(': \n\n'), 25_000);
    heartbeat.unref();
    response.on('close', () => {
      clearInterval(heartbeat);
      stop();
    });
  }

  private async worklistItems(actor: Actor, now: string): Promise<WorkItem[]> {
    // Two queries whatever the length of the list: which cases, then all of them at once.
    const readable = await this.access.readMany(actor, await this.queries.casesFor(actor));
    const cases: CaseForWorklist[] = readable.map(({ caseId, events }) => ({
      caseId,
      state: caseStateAt(caseId, events, { at: now, asRecordedAt: now }),
      unresolved: unresolvedFollowUps(events),
    }));
    return worklistOf(actor, cases, now);
  }

  // ------------------------------------------------------------------ De casus

  @Get('casussen/:caseId')
  async casePage(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('caseId') caseId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const ctx = this.context(request, query);
    const { events, facts } = await this.access.read(ctx.actor, caseId);
    const now = new Date().toISOString();
    const at = fromAmsterdamTime(query.op) ?? now;
    const asRecordedAt = fromAmsterdamTime(query.bekend) ?? now;
    const past = at !== now || asRecordedAt !== now;
    const inView = events.filter(
      (e) => Date.parse(e.recordedAt) <= Date.parse(asRecordedAt) && Date.parse(effectiveTime(e)) <= Date.parse(at),
    );
    const state = caseStateAt(caseId, events, { at, asRecordedAt });
    const chain = ctx.actor.role === 'inspector' && query.keten === 'controleer' ? await this.verifyChain() : undefined;
    this.html(
      response,
      casePage(ctx, {
        caseId,
        state,
        parties: [...facts.parties.values()]
          .filter((p) => Date.parse(p.since) <= Date.parse(at))
          .map((p) => ({ organisation: p.organisation, how: [...p.bases, ...(p.reasons ?? [])] })),
        unresolved: past ? [] : unresolvedFollowUps(events),
        report: caseReport(caseId, inView, now),
        timeline: inView.map((e) => ({
          at: e.recordedAt,
          type: e.type,
          organisation: e.metadata.actor.organisation,
          role: e.metadata.actor.role,
        })),
        party: ctx.actor.role !== 'inspector',
        past,
        ...(chain ? { chain } : {}),
        moment: { at, asRecordedAt },
      }),
    );
  }

  private async verifyChain(): Promise<{ verified: boolean; detail: string }> {
    const verdict = await verifyChain(this.dataSource);
    return verdict.intact
      ? {
          verified: true,
          detail: `alle ${verdict.checked} gebeurtenissen van de opslag zijn ongewijzigd en op volgorde.`,
        }
      : {
          verified: false,
          detail: `de gebeurtenis op positie ${verdict.problem?.position ?? '?'} is gewijzigd, verwijderd, ingevoegd of verplaatst (${verdict.problem?.kind ?? 'onbekend'}). Meld dit aan de beheerder en de inspectie.`,
        };
  }

  // ------------------------------------------------------------------ Formulieren

  @Post('overdrachten')
  @IdempotentByNature()
  async requestHandover(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const back =
      typeof body.caseId === 'string' && body.caseId ? `/app/casussen/${encodeURIComponent(body.caseId)}` : '/app';
    await this.form(request, response, body, back, async (actor, meta) => {
      const childIds = (Array.isArray(body.childIds) ? body.childIds : text(body.childIds).split(','))
        .map((c) => String(c).trim())
        .filter(Boolean);
      const dto = await this.validate(RequestHandoverDto, {
        ...(typeof body.caseId === 'string' && body.caseId ? { caseId: body.caseId } : {}),
        childIds,
        toOrg: body.toOrg,
        reason: body.reason,
        deadlines: {
          receipt: deadline(body.receipt),
          start: deadline(body.start),
          escalationInterval: deadline(body.escalationInterval),
        },
      });
      const view = await this.handovers.request(actor, dto, meta);
      return `/app/casussen/${encodeURIComponent(view.caseId)}?gedaan=aangevraagd`;
    });
  }

  @Post('overdrachten/:handoverId/:step')
  @IdempotentByNature()
  async handoverStep(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('handoverId') handoverId: string,
    @Param('step') step: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    await this.form(request, response, body, backOf(body), async (actor, meta) => {
      let command: PersonCommandInput;
      switch (step) {
        case 'ontvangst':
          command = { type: 'AcknowledgeReceipt' };
          break;
        case 'acceptatie':
          command = {
            type: 'AcceptHandover',
            plannedStartDate: (await this.validate(AcceptanceDto, { plannedStartDate: body.plannedStartDate }))
              .plannedStartDate,
          };
          break;
        case 'start':
          command = { type: 'ConfirmStart', startedAt: new Date().toISOString(), startedBy: actor.subject };
          break;
        case 'afwijzing':
          command = {
            type: 'RejectHandover',
            reason: (await this.validate(ReasonDto, { reason: body.reason })).reason,
          };
          break;
        case 'intrekking':
          command = {
            type: 'WithdrawHandover',
            reason: (await this.validate(ReasonDto, { reason: body.reason })).reason,
          };
          break;
        case 'geen-contact':
          command = {
            type: 'ReportContactFailure',
            reason: (await this.validate(ReasonDto, { reason: body.reason })).reason,
          };
          break;
        default:
          throw new ProblemException({
            type: problemType('not-found'),
            title: 'Not found',
            status: 404,
            detail: 'No such step',
          });
      }
      await this.handovers.command(actor, handoverId, command, meta);
      return withQuery(backOf(body), 'gedaan', step);
    });
  }

  @Post('regie/:negotiationId/:answer')
  @IdempotentByNature()
  async leadAnswer(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('negotiationId') negotiationId: string,
    @Param('answer') answer: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    await this.form(
      request,
      response,
      body,
      backOf(body),
      async (actor, meta) => {
        if (answer === 'voorstel') {
          const dto = await this.validate(ProposalDto, { lead: body.lead, rationale: body.rationale });
          await this.leads.command(
            actor,
            negotiationId,
            { type: 'ProposeLead', proposalId: randomUUID(), lead: dto.lead, rationale: dto.rationale },
            meta,
          );
          return withQuery(backOf(body), 'gedaan', 'voorstel');
        }
        if (answer === 'aanvaarding') {
          const dto = await this.validate(AcceptanceOfProposalDto, { proposalId: body.proposalId });
          await this.leads.command(actor, negotiationId, { type: 'AcceptProposal', proposalId: dto.proposalId }, meta);
          return withQuery(backOf(body), 'gedaan', 'aanvaard');
        }
        if (answer === 'besluit') {
          const dto = await this.validate(DecisionDto, { lead: body.lead, rationale: body.rationale });
          await this.leads.command(
            actor,
            negotiationId,
            { type: 'DecideLead', decisionId: randomUUID(), lead: dto.lead, rationale: dto.rationale },
            meta,
          );
          return withQuery(backOf(body), 'gedaan', 'regiebesluit');
        }
        if (answer === 'bevestiging') {
          const dto = await this.validate(DecisionConfirmationDto, { decisionId: body.decisionId });
          await this.leads.command(actor, negotiationId, { type: 'ConfirmDecision', decisionId: dto.decisionId }, meta);
          return withQuery(backOf(body), 'gedaan', 'regiebesluit-bevestigd');
        }
        throw new ProblemException({
          type: problemType('not-found'),
          title: 'Not found',
          status: 404,
          detail: 'No such answer',
        });
      },
      'regie',
    );
  }

  @Post('casussen/:caseId/besluit')
  @IdempotentByNature()
  async keep(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('caseId') caseId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const back = `/app/casussen/${encodeURIComponent(caseId)}`;
    await this.form(request, response, body, back, async (actor, meta) => {
      const { reason } = await this.validate(ReasonDto, { reason: body.reason });
      await this.cases.keep(
        actor,
        caseId,
        { reason, ...(typeof body.handoverId === 'string' ? { handoverId: body.handoverId } : {}) },
        meta,
      );
      return withQuery(back, 'gedaan', 'besluit');
    });
  }

  @Post('casussen/:caseId/betrokkenen')
  @IdempotentByNature()
  async involve(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('caseId') caseId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const back = `/app/casussen/${encodeURIComponent(caseId)}`;
    await this.form(request, response, body, back, async (actor, meta) => {
      await this.cases.involve(
        actor,
        caseId,
        { organisation: text(body.organisation), reason: text(body.reason) as never },
        meta,
      );
      return withQuery(back, 'gedaan', 'betrokken');
    });
  }

  /**
   * A member of the organisation a notice went to acknowledges it while signed in: recorded once
   * (as the link in the e-mail does), with the person's pseudonymous subject as acknowledger.
   */
  @Post('meldingen/:noticeId/bevestiging')
  @IdempotentByNature()
  async acknowledge(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('noticeId') noticeId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    await this.form(request, response, body, backOf(body), async (actor) => {
      const events = /^[0-9a-f-]{36}$/.test(noticeId) ? await this.store.readStream(noticeStreamId(noticeId)) : [];
      const caseId = events[0]?.metadata.caseId;
      const [notice] = noticesOfCase(events);
      if (!notice || !caseId || notice.recipient.organisation !== actor.organisation) {
        throw new ProblemException({
          type: problemType('not-found'),
          title: 'Not found',
          status: 404,
          detail: 'No notice to your organisation with this id.',
        });
      }
      await this.access.read(actor, caseId);
      const data: NoticeAcknowledged['data'] = {
        noticeId,
        caseId,
        acknowledgedBy: { subject: actor.subject, organisation: actor.organisation, role: actor.role },
        acknowledgedAt: new Date().toISOString(),
      };
      await this.store.append(noticeStreamId(noticeId), [
        {
          // The same id as the link's acknowledgement: a notice is acknowledged once, whichever way.
          eventId: deterministicUuid('notice-acknowledged', noticeId),
          type: 'NoticeAcknowledged',
          data,
          metadata: { actor, correlationId: noticeId, caseId },
        },
      ]);
      return withQuery(backOf(body), 'gedaan', 'bevestigd');
    });
  }

  @Post('uitloggen')
  @IdempotentByNature()
  async signOut(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    if (!this.csrf.verify(request.sessionId ?? '', body.csrf)) {
      response.redirect(303, withQuery('/app', 'fout', 'csrf'));
      return;
    }
    await this.sessions.end(request, response);
    response.redirect(303, '/app/uitgelogd');
  }

  // ------------------------------------------------------------------ Inspectie

  @Get('zoeken')
  async search(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const ctx = this.context(request, query);
    if (ctx.actor.role !== 'inspector') {
      throw new ProblemException({
        type: problemType('forbidden'),
        title: 'Not allowed',
        status: 403,
        detail: 'Inspectors only',
      });
    }
    const given = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
    const filter = {
      caseId: given(query.casus),
      organisation: given(query.organisatie),
      from: given(query.van),
      until: given(query.tot),
      status: given(query.stand),
    };
    const asked = Object.values(filter).some((v) => v !== undefined) || query.zoek !== undefined;
    let results: SearchResult[] | undefined;
    if (asked) {
      const hits = await this.queries.searchCases({
        ...(filter.caseId ? { caseId: filter.caseId } : {}),
        ...(filter.organisation ? { organisation: filter.organisation } : {}),
        ...(filter.from && isDate(filter.from) ? { from: `${filter.from}T00:00:00Z` } : {}),
        ...(filter.until && isDate(filter.until) ? { until: `${filter.until}T23:59:59.999Z` } : {}),
        limit: SEARCH_LIMIT,
      });
      const now = new Date().toISOString();
      results = [];
      const readable = new Map(
        (
          await this.access.readMany(
            ctx.actor,
            hits.map((h) => h.caseId),
          )
        ).map((c) => [c.caseId, c.events]),
      );
      for (const hit of hits) {
        const events = readable.get(hit.caseId);
        if (!events) continue;
        const flags = caseFlags(
          caseStateAt(hit.caseId, events, { at: now, asRecordedAt: now }),
          unresolvedHandovers(events).length > 0,
        );
        if (filter.status && SEARCH_STATUSES.some(([k]) => k === filter.status) && !flags.includes(filter.status))
          continue;
        results.push({ ...hit, flags });
      }
    }
    this.html(
      response,
      searchPage(ctx, Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)), results),
    );
  }

  // ------------------------------------------------------------------ Contactpunten

  @Get('contactpunten')
  async contactPointsPage(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const ctx = this.context(request, query);
    const points = await this.contactPoints.list(ctx.actor.organisation);
    this.html(
      response,
      contactPointsPage(
        ctx,
        points.map((p) => ({
          contactPointId: p.contactPointId,
          role: p.role,
          ...(p.email ? { email: p.email } : {}),
          ...(p.webhookUrl ? { webhookUrl: p.webhookUrl } : {}),
          label: p.label ?? '',
          version: p.version,
        })),
        ESCALATION_ROLES.filter((role) => !points.some((p) => p.role === role)),
      ),
    );
  }

  @Post('contactpunten')
  @IdempotentByNature()
  async addContactPoint(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    await this.form(request, response, body, '/app/contactpunten', async (actor, meta) => {
      const dto = await this.validate(ContactPointDto, { role: body.role, email: body.email, label: body.label });
      await this.contactPoints.change(
        { type: 'AddContactPoint', organisation: actor.organisation, actor, ...dto },
        meta,
      );
      return withQuery('/app/contactpunten', 'gedaan', 'contactpunt');
    });
  }

  @Post('contactpunten/:contactPointId/intrekking')
  @IdempotentByNature()
  async retireContactPoint(
    @Req() request: WebRequest,
    @Res() response: Response,
    @Param('contactPointId') contactPointId: string,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    await this.form(request, response, body, '/app/contactpunten', async (actor, meta) => {
      await this.contactPoints.change(
        { type: 'RetireContactPoint', organisation: actor.organisation, contactPointId, actor },
        meta,
      );
      return withQuery('/app/contactpunten', 'gedaan', 'ingetrokken');
    });
  }

  // ------------------------------------------------------------------ Hulp

  private context(request: WebRequest, query: Record<string, unknown>): PageContext {
    return {
      actor: request.actor!,
      csrf: this.csrf.tokenFor(request.sessionId ?? ''),
      demoMode: this.config.DEMO_MODE,
      ...(flashOf(query) ? { flash: flashOf(query)! } : {}),
    };
  }

  private html(response: Response, body: string): void {
    response.setHeader('cache-control', 'no-store');
    response.type('html').send(body);
  }

  private async validate<T extends object>(type: new () => T, plain: Record<string, unknown>): Promise<T> {
    const defined = Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== undefined && v !== ''));
    return (await this.validation.transform(defined, { type: 'body', metatype: type })) as T;
  }

  /**
   * One form submission: the CSRF token first (nothing runs without it), then the command with
   * the form's idempotency key, then a redirect with what happened or, on a refusal, back to
   * where the form was with the refusal in Dutch.
   */
  private async form(
    request: WebRequest,
    response: Response,
    body: Record<string, unknown>,
    back: string,
    run: FormRun,
    /** What the form is about, so a refusal reads right in Dutch. */
    subject?: RefusalSubject,
  ): Promise<void> {
    response.setHeader('cache-control', 'no-store');
    if (!this.csrf.verify(request.sessionId ?? '', body.csrf)) {
      response.redirect(303, withQuery(back, 'fout', 'csrf'));
      return;
    }
    const key =
      typeof body.idempotencyKey === 'string' && /^[\x21-\x7E]{1,200}$/.test(body.idempotencyKey)
        ? body.idempotencyKey
        : undefined;
    try {
      const to = await run(request.actor!, {
        correlationId: (request.headers['x-request-id'] as string | undefined) ?? randomUUID(),
        ...(key ? { idempotencyKey: `web:${key}` } : {}),
      });
      response.redirect(303, to);
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      const problem = toProblem(error, request.originalUrl);
      const params = new URLSearchParams({ fout: problem.type.split('/').pop() ?? 'onbekend' });
      if (typeof problem.state === 'string') params.set('stand', problem.state);
      if (problem.errors) params.set('velden', problem.errors.map((e) => e.field).join(','));
      if (subject) params.set('over', subject);
      response.redirect(303, `${back}${back.includes('?') ? '&' : '?'}${params.toString()}`);
    }
  }
}

type FormRun = (actor: Actor, meta: { correlationId: string; idempotencyKey?: string }) => Promise<string>;

function flashOf(query: Record<string, unknown>): Flash | undefined {
  if (typeof query.gedaan === 'string' && DONE_NL[query.gedaan]) return { kind: 'ok', text: DONE_NL[query.gedaan]! };
  if (typeof query.fout !== 'string') return undefined;
  if (query.fout === 'csrf') return { kind: 'error', text: CSRF_REFUSED };
  return {
    kind: 'error',
    text: refusalInDutch(
      {
        type: problemType(query.fout.replace(/[^a-z-]/g, '')),
        title: '',
        status: 0,
        detail: '',
        ...(typeof query.stand === 'string' ? { state: query.stand } : {}),
        ...(typeof query.velden === 'string'
          ? { errors: query.velden.split(',').map((field) => ({ field, message: '' })) }
          : {}),
      },
      query.over === 'regie' ? 'regie' : undefined,
    ),
  };
}

/** A form field as text; a field sent twice (or not at all) is no text. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function backOf(body: Record<string, unknown>): string {
  return typeof body.terug === 'string' && BACK.test(body.terug) ? body.terug : '/app';
}

function withQuery(path: string, key: string, value: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}${key}=${encodeURIComponent(value)}`;
}

/** A deadline field: whole working days as a number; anything else (a demo duration) as typed. */
function deadline(value: unknown): number | string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  return /^\d+$/.test(value.trim()) ? Number(value.trim()) : value.trim();
}

function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
}

/** What a search by status matches: the case as it stands now. */
function caseFlags(state: ReturnType<typeof caseStateAt>, unresolved: boolean): string[] {
  const flags: string[] = [];
  if (state.openHandovers.some((h) => h.pending?.overdue)) flags.push('overdue');
  if (
    state.openHandovers.some((h) => h.escalation.level > 0) ||
    Object.values(state.chains).some((c) => c && c.negotiation.status === 'open' && c.negotiation.escalation.level > 0)
  )
    flags.push('escalated');
  if (unresolved) flags.push('rejected');
  if (state.mismatch) flags.push('lead-mismatch');
  return flags;
}

const amsterdamParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Amsterdam',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** A `datetime-local` value read as the time in the Netherlands, as an ISO instant; undefined if empty or invalid. */
export function fromAmsterdamTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return undefined;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  const offset = (t: number) => {
    const p = Object.fromEntries(amsterdamParts.formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)]));
    return Date.UTC(p.year!, p.month! - 1, p.day, p.hour, p.minute, p.second) - t;
  };
  const instant = wall - offset(wall - offset(wall));
  return Number.isNaN(instant) ? undefined : new Date(instant).toISOString();
}
