import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { Response } from 'express';
import type { Actor } from '@warm-handover/contracts';
import { type NoticeAcknowledged, noticesOfCase, noticeStreamId, type NoticeView } from '@warm-handover/domain';
import { EventStore } from '@warm-handover/persistence';
import { APP_CONFIG, type AppConfig, deterministicUuid, escapeHtml, isNoticeLinkToken } from '@warm-handover/platform';
import { Public } from '../auth/public.decorator';
import { AccessTokenVerifier } from '../auth/access-token.verifier';
import { IdempotentByNature } from '../http/idempotent-by-nature.decorator';
import { problemType } from '../http/problem-details';
import { ProblemException } from '../http/problem-details.filter';
import { ApiProblems } from '../openapi/problem-responses';

export class AcknowledgementDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  token?: string;
}

const uuid = new ParseUUIDPipe();

/**
 * The acknowledgement link of a notice. Mail scanners and link previews fetch every GET link in
 * a message, so the GET only shows a page with a button; the button's POST records the
 * acknowledgement. Both need the link's token (an HMAC of the notice id, see notice-links), so
 * the routes are public: a team mailbox has no bearer token. Who acknowledged is the bearer
 * token's pseudonymous subject when one is sent, else the contact point the notice went to.
 */
@ApiTags('notices')
@Public()
@Controller('notices/:noticeId/acknowledgement')
export class NoticesController {
  constructor(
    private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  @Get()
  @ApiResponse({
    status: 200,
    description: 'The page with the button',
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  @ApiProblems({ 400: 'The notice id is not a UUID', 404: 'No notice with this id and token' })
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'The page behind the acknowledgement link of a notice: shows it, records nothing' })
  async page(
    @Param('noticeId', uuid) noticeId: string,
    @Query('token') token: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const notice = await this.notice(noticeId, token);
    const body = notice.acknowledged
      ? `<p>Deze melding is al bevestigd op ${escapeHtml(notice.acknowledged.at)}.</p>`
      : `<form method="post"><input type="hidden" name="token" value="${escapeHtml(token ?? '')}">` +
        '<button type="submit">Bevestig dat ik deze melding heb gezien</button></form>';
    response.type('html').send(page(notice, body));
  }

  @Post()
  @ApiResponse({
    status: 200,
    description: 'The acknowledgement (the first, if it was acknowledged before); HTML for the form',
    content: {
      'application/json': { schema: { $ref: '#/components/schemas/NoticeAcknowledgement' } },
      'text/html': { schema: { type: 'string' } },
    },
  })
  @ApiProblems({
    400: 'The notice id is not a UUID, or the body is not valid',
    404: 'No notice with this id and token',
  })
  @HttpCode(200)
  @IdempotentByNature()
  @ApiOperation({
    summary: 'Acknowledge a notice (the form on the acknowledgement page, or a client with the link token)',
    description:
      'Records NoticeAcknowledged once; a second acknowledgement answers with the first. Takes the token from the body (form or JSON) or the query.',
  })
  async acknowledge(
    @Param('noticeId', uuid) noticeId: string,
    @Body() body: AcknowledgementDto,
    @Query('token') queryToken: string | undefined,
    @Headers('authorization') authorization: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<NoticeAcknowledged['data'] | string> {
    const notice = await this.notice(noticeId, body.token ?? queryToken);
    const actor = await this.signedInActor(authorization);
    const data: NoticeAcknowledged['data'] = {
      noticeId,
      caseId: notice.caseId,
      acknowledgedBy: actor ?? {
        subject: `contact-point:${notice.recipient.contactPointId}`,
        organisation: notice.recipient.organisation,
        role: notice.recipient.role,
      },
      acknowledgedAt: new Date().toISOString(),
    };
    const result = await this.store.append(noticeStreamId(noticeId), [
      {
        // One acknowledgement per notice: a second one is the same event, and the store keeps the first.
        eventId: deterministicUuid('notice-acknowledged', noticeId),
        type: 'NoticeAcknowledged',
        data,
        metadata: {
          actor: actor ?? { ...data.acknowledgedBy },
          correlationId: noticeId,
          caseId: notice.caseId,
        },
      },
    ]);
    const recorded = result.events[0]!.data as NoticeAcknowledged['data'];
    if (!accept?.includes('text/html')) return recorded;
    response.type('html');
    return page(notice, `<p>Bedankt. Bevestigd op ${escapeHtml(recorded.acknowledgedAt)}.</p>`);
  }

  /** The notice the link is for, if the token is that link's; else one 404 that gives nothing away. */
  private async notice(noticeId: string, token: string | undefined): Promise<NoticeView & { caseId: string }> {
    const events = await this.store.readStream(noticeStreamId(noticeId));
    const [notice] = noticesOfCase(events);
    const caseId = (events[0]?.data as { caseId?: string } | undefined)?.caseId;
    if (!notice || !caseId || !token || !isNoticeLinkToken(noticeId, token, this.config.NOTICE_LINK_SECRET)) {
      throw new ProblemException({
        type: problemType('not-found'),
        title: 'Not found',
        status: 404,
        detail: 'No notice matches this link. Use the complete link from the notice, including its token.',
      });
    }
    return { ...notice, caseId };
  }

  private async signedInActor(authorization: string | undefined): Promise<Actor | undefined> {
    const token = /^Bearer +(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return undefined;
    return this.verifier.verify(token).then(
      (verified) => verified.actor,
      () => undefined,
    );
  }
}

function page(notice: NoticeView & { caseId: string }, body: string): string {
  return [
    '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Melding bevestigen</title></head><body>',
    `<h1>Melding over casus ${escapeHtml(notice.caseId)}</h1>`,
    notice.subject ? `<p>${escapeHtml(notice.subject)}</p>` : '',
    body,
    // Signing in is needed from here on: the case page sends a browser without a session to sign in and back.
    `<p><a href="/app/casussen/${encodeURIComponent(notice.caseId)}">Bekijk de casus</a> (na inloggen)</p>`,
    '</body></html>',
  ].join('\n');
}
