import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '@warm-handover/contracts';
import { ReadAccessLog, type RecordedReadAccess } from '@warm-handover/persistence';
import { CurrentActor } from '../auth/current-actor.decorator';
import { CaseAccess } from '../cases/case-access.service';
import { MEDIA_TYPES, negotiateFormat, toCsv } from '../http/formats';
import { CURSOR_PATTERN, cursorPosition, encodeCursor, linkNext, pageRequest } from '../http/pagination';
import { periodBound, validMoment } from '../http/query-moment';
import { LINK_HEADER } from '../openapi/answers';
import { ApiProblems } from '../openapi/problem-responses';

/** One answer holds at most this many reads; narrow the period for more. */
export const ACCESS_LOG_PAGE = 10_000;

const COLUMNS: readonly { header: string; value: (r: RecordedReadAccess) => unknown }[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'readAt', value: (r) => r.readAt },
  { header: 'subject', value: (r) => r.subject },
  { header: 'organisation', value: (r) => r.organisation },
  { header: 'role', value: (r) => r.role },
  { header: 'caseId', value: (r) => r.caseId },
  { header: 'route', value: (r) => r.route },
  { header: 'path', value: (r) => r.path },
  { header: 'format', value: (r) => r.format },
  { header: 'status', value: (r) => r.status },
  { header: 'outcome', value: (r) => r.outcome },
];

/**
 * The read access log, exported (R10). An inspector sees every read. An organisation sees every
 * read of a case it takes part in (by anyone, inspectors included: it may know who looked at its
 * case), and otherwise only its own reads. Reading the log is itself a read, and logged.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(
    private readonly log: ReadAccessLog,
    private readonly access: CaseAccess,
  ) {}

  @Get('access-log')
  @ApiResponse({
    status: 200,
    description: 'A page of the read access log (JSON), or all of it as CSV',
    content: {
      [MEDIA_TYPES.json]: { schema: { $ref: '#/components/schemas/AccessLogPage' } },
      [MEDIA_TYPES.csv]: { schema: { type: 'string' } },
    },
    headers: LINK_HEADER,
  })
  @ApiProblems({
    400: 'A query parameter is not valid (each named in `errors`)',
    404: 'No such case in a case your organisation takes part in',
    406: 'Neither JSON nor CSV is acceptable',
  })
  @ApiOperation({
    summary: 'Who read which case, when, in which format, and with what outcome',
    description: `Inspectors: every read. Others: with caseId, every read of that case if your organisation takes part in it (else 404); without, your organisation's own reads. Oldest first, at most ${ACCESS_LOG_PAGE} per answer.`,
  })
  @ApiQuery({ name: 'caseId', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiQuery({
    name: 'from',
    required: false,
    schema: { type: 'string', format: 'date-time' },
    description: 'ISO-8601 moment, inclusive',
  })
  @ApiQuery({
    name: 'to',
    required: false,
    schema: { type: 'string', format: 'date-time' },
    description: 'ISO-8601 moment, exclusive',
  })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'], description: 'or content negotiation' })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: ACCESS_LOG_PAGE },
    description: `1–${ACCESS_LOG_PAGE}, default ${ACCESS_LOG_PAGE}`,
  })
  @ApiQuery({
    name: 'cursor',
    required: false,
    schema: { type: 'string', pattern: CURSOR_PATTERN.source },
    description: '`next` of the previous page (also in its Link header)',
  })
  @ApiProduces(MEDIA_TYPES.json, MEDIA_TYPES.csv)
  async accessLog(
    @CurrentActor() actor: Actor,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @Query('caseId') caseId?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<string | { entries: RecordedReadAccess[]; limit: number; truncated: boolean; next: string | null }> {
    const format = negotiateFormat(request, ['json', 'csv']);
    const page = pageRequest(limit, cursor, { max: ACCESS_LOG_PAGE });
    const afterId = cursorPosition(page);
    const period = {
      ...(from !== undefined ? { from: periodBound(validMoment(from, 'from')) } : {}),
      ...(to !== undefined ? { to: periodBound(validMoment(to, 'to')) } : {}),
    };
    if (caseId !== undefined && actor.role !== 'inspector') await this.access.caseEvents(actor, caseId);
    const reader = actor.role === 'inspector' || caseId !== undefined ? {} : { organisation: actor.organisation };
    const entries = await this.log.list({
      ...(caseId !== undefined ? { caseId } : {}),
      ...reader,
      ...period,
      ...(afterId !== undefined ? { afterId } : {}),
      limit: page.limit + 1,
    });
    const truncated = entries.length > page.limit;
    const shown = entries.slice(0, page.limit);
    const next = truncated ? encodeCursor(String(shown.at(-1)!.id)) : null;
    linkNext(request, response, next, page.limit);
    if (format === 'csv') {
      response.type(MEDIA_TYPES.csv).attachment(`access-log${caseId ? `-${caseId}` : ''}.csv`);
      return toCsv(COLUMNS, shown);
    }
    return { entries: shown, limit: page.limit, truncated, next };
  }
}
