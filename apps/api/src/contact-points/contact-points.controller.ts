import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@warm-handover/contracts';
import {
  CONTACT_POINT_MAINTAINERS,
  type ContactPoint,
  ESCALATION_ROLES,
  type EscalationRole,
} from '@warm-handover/domain';
import { CurrentActor } from '../auth/current-actor.decorator';
import { IdempotentCommand } from '../http/idempotent-command.decorator';
import { requestMeta } from '../http/request-meta';
import { validMoment } from '../http/query-moment';
import { problemType } from '../http/problem-details';
import { ProblemException } from '../http/problem-details.filter';
import { ContactPointDto } from './contact-point.dto';
import { CURSOR_PATTERN, linkNext, pageOf, pageRequest } from '../http/pagination';

const CONTACT_POINT_PAGE_MAX = 500;
import { type ContactPointAnswer, ContactPointsService } from './contact-points.service';
import { ApiAnswer, LINK_HEADER } from '../openapi/answers';
import { ApiProblems } from '../openapi/problem-responses';

const uuid = new ParseUUIDPipe();

@ApiTags('contact points')
@ApiBearerAuth()
@Controller('organisations/:orgId/contact-points')
export class ContactPointsController {
  constructor(private readonly contactPoints: ContactPointsService) {}

  @Get()
  @ApiAnswer(200, 'ContactPointsPage', 'A page of the contact points in force', LINK_HEADER)
  @ApiProblems({
    400: 'A query parameter is not valid (each named in `errors`)',
    403: 'Only its members and inspectors read an organisation’s contact points',
  })
  @ApiOperation({
    summary: 'The contact points of an organisation, now or at a past moment (its members and inspectors)',
    description:
      'Per rung of the escalation ladder, the functional addresses notices go to; each with its version. `missing` lists the rungs without any: notices to them fail and escalate.',
  })
  @ApiQuery({
    name: 'at',
    required: false,
    schema: { type: 'string', format: 'date-time' },
    description: 'ISO-8601 moment; defaults to now',
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: CONTACT_POINT_PAGE_MAX },
    description: `1–${CONTACT_POINT_PAGE_MAX}, default the most`,
  })
  @ApiQuery({
    name: 'cursor',
    required: false,
    schema: { type: 'string', pattern: CURSOR_PATTERN.source },
    description: '`next` of the previous page',
  })
  async list(
    @CurrentActor() actor: Actor,
    @Param('orgId') orgId: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @Query('at') at?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<{
    organisation: string;
    at: string;
    contactPoints: ContactPoint[];
    missing: EscalationRole[];
    next: string | null;
  }> {
    // Who may read comes first: an organisation's contact points are none of an outsider's
    // business, whatever the query asks (403, never a 400 about its cursor).
    if (actor.organisation !== orgId && actor.role !== 'inspector') {
      throw new ProblemException({
        type: problemType('forbidden'),
        title: 'Not allowed',
        status: 403,
        detail: `Only members of ${orgId} and inspectors may read its contact points; you act for ${actor.organisation}.`,
      });
    }
    const moment = validMoment(at, 'at');
    const pageAsked = pageRequest(limit, cursor, { max: CONTACT_POINT_PAGE_MAX });
    const contactPoints = await this.contactPoints.list(orgId, moment);
    const page = pageOf(contactPoints, (p) => p.contactPointId, pageAsked);
    linkNext(request, response, page.next, pageAsked.limit);
    return {
      organisation: orgId,
      at: new Date(moment).toISOString(),
      contactPoints: page.items,
      missing: ESCALATION_ROLES.filter((role) => !contactPoints.some((p) => p.role === role)),
      next: page.next,
    };
  }

  @Post()
  @ApiAnswer(201, 'ContactPointAnswer', 'The contact point added (with its webhook secret, this once)')
  @IdempotentCommand()
  @ApiOperation({
    summary: `Add a contact point (a ${CONTACT_POINT_MAINTAINERS.join(' or ')} of the organisation)`,
    description: 'With a webhookUrl, the answer holds its signing secret (webhookSecret): shown this once only.',
  })
  add(
    @CurrentActor() actor: Actor,
    @Param('orgId') orgId: string,
    @Body() body: ContactPointDto,
    @Headers() headers: Record<string, string>,
  ): Promise<ContactPointAnswer> {
    return this.contactPoints.change(
      { type: 'AddContactPoint', organisation: orgId, actor, ...body },
      requestMeta(headers),
    );
  }

  @Put(':contactPointId')
  @ApiAnswer(200, 'ContactPointAnswer', 'The new version')
  @ApiOperation({
    summary: `Replace a contact point with a new version (a ${CONTACT_POINT_MAINTAINERS.join(' or ')} of the organisation)`,
    description: 'Notices already sent keep the version they used; new notices use this one from now on.',
  })
  replace(
    @CurrentActor() actor: Actor,
    @Param('orgId') orgId: string,
    @Param('contactPointId', uuid) contactPointId: string,
    @Body() body: ContactPointDto,
    @Headers() headers: Record<string, string>,
  ): Promise<ContactPointAnswer> {
    return this.contactPoints.change(
      { type: 'ReplaceContactPoint', organisation: orgId, contactPointId, actor, ...body },
      requestMeta(headers),
    );
  }

  @Delete(':contactPointId')
  @ApiAnswer(200, 'ContactPointAnswer', 'The contact point retired')
  @ApiOperation({
    summary: `Retire a contact point (a ${CONTACT_POINT_MAINTAINERS.join(' or ')} of the organisation)`,
    description:
      'From now on no notice goes there; a rung left without contact points makes notices fail and escalate.',
  })
  retire(
    @CurrentActor() actor: Actor,
    @Param('orgId') orgId: string,
    @Param('contactPointId', uuid) contactPointId: string,
    @Headers() headers: Record<string, string>,
  ): Promise<ContactPointAnswer> {
    return this.contactPoints.change(
      { type: 'RetireContactPoint', organisation: orgId, contactPointId, actor },
      requestMeta(headers),
    );
  }
}
