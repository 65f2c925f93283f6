import { Controller, Get, Param, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '@warm-handover/contracts';
import { type CaseReport, caseReport, type ReportRow } from '@warm-handover/domain';
import { CurrentActor } from '../auth/current-actor.decorator';
import { CaseAccess } from '../cases/case-access.service';
import { MEDIA_TYPES, negotiateFormat, toCsv } from '../http/formats';
import { renderCaseReportHtml } from './case-report.html';
import { PdfRenderer } from './pdf-renderer';
import { ApiProblems } from '../openapi/problem-responses';

const CSV_COLUMNS: readonly { header: string; value: (r: ReportRow) => unknown }[] = [
  { header: 'position', value: (r) => r.position },
  { header: 'effectiveAt', value: (r) => r.effectiveAt },
  { header: 'recordedAt', value: (r) => r.recordedAt },
  { header: 'type', value: (r) => r.type },
  { header: 'organisation', value: (r) => r.actor.organisation },
  { header: 'role', value: (r) => r.actor.role },
  { header: 'subject', value: (r) => r.actor.subject },
  { header: 'summary', value: (r) => r.summary },
];

/**
 * The timeline report of a case for the inspectorate (R10), one resource in four formats:
 * `?format=json|csv|html|pdf`, or content negotiation on Accept (JSON when nothing is asked).
 * Parties and inspectors only, like every case read, and logged like every read.
 */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CaseReportController {
  constructor(
    private readonly access: CaseAccess,
    private readonly pdf: PdfRenderer,
  ) {}

  @Get(':caseId/report')
  @ApiResponse({
    status: 200,
    description: 'The timeline report in the format asked for',
    content: {
      [MEDIA_TYPES.json]: { schema: { $ref: '#/components/schemas/CaseReport' } },
      [MEDIA_TYPES.csv]: { schema: { type: 'string' } },
      [MEDIA_TYPES.html]: { schema: { type: 'string' } },
      [MEDIA_TYPES.pdf]: { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiProblems({
    400: 'format is not one of json, csv, html, pdf',
    404: 'No such case in a case your organisation takes part in',
    406: 'None of the formats is acceptable',
    429: 'Too many requests, or too many PDF reports printing at once (Retry-After)',
    503: 'No Chromium to print the PDF, or a dependency is down',
  })
  @ApiOperation({
    summary: 'Timeline report of a case: who was responsible and who led each chain over time, and every event',
    description:
      'JSON: lanes (bars per organisation), markers (escalations, notices, mismatches) and rows. CSV: the rows, one per event. HTML: a printable page with a swim-lane chart and the event table. PDF: that page printed by headless Chromium (503 when the server has none).',
  })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'html', 'pdf'], description: 'or use Accept' })
  @ApiProduces(MEDIA_TYPES.json, MEDIA_TYPES.csv, MEDIA_TYPES.html, MEDIA_TYPES.pdf)
  async report(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CaseReport | string | StreamableFile> {
    const format = negotiateFormat(request, ['json', 'csv', 'html', 'pdf']);
    const report = caseReport(caseId, await this.access.caseEvents(actor, caseId), new Date().toISOString());
    response.vary('Accept');
    switch (format) {
      case 'json':
        return report;
      case 'csv':
        response.type(MEDIA_TYPES.csv).attachment(`tijdlijn-${caseId}.csv`);
        return toCsv(CSV_COLUMNS, report.rows);
      case 'html':
        response.type(MEDIA_TYPES.html);
        return renderCaseReportHtml(report);
      case 'pdf': {
        const pdf = await this.pdf.render(renderCaseReportHtml(report));
        return new StreamableFile(pdf, { type: MEDIA_TYPES.pdf, disposition: `inline; filename="tijdlijn.pdf"` });
      }
    }
  }
}
