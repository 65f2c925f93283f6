import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import type { Actor } from '@warm-handover/contracts';
import { findOrganisation, isInspector, ORGANISATIONS } from '@warm-handover/domain';
import { type FiguresScope, managementFigures, type ManagementFigures } from '@warm-handover/persistence';
import { CurrentActor } from '../auth/current-actor.decorator';
import { MEDIA_TYPES, negotiateFormat, toCsv } from '../http/formats';
import { problemType } from '../http/problem-details';
import { ProblemException } from '../http/problem-details.filter';
import { periodBound } from '../http/query-moment';
import { ApiProblems } from '../openapi/problem-responses';
import { renderManagementFiguresHtml } from './management-figures.html';

const MANAGEMENT = ['manager', 'director'];
const idsOf = (kind: string) => ORGANISATIONS.filter((o) => o.kind === kind).map((o) => o.id);
/** What `instant` below takes and the document promises: a calendar date or an ISO-8601 moment. */
const DATE_OR_MOMENT = { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] };

/** One row per figure: what a spreadsheet of several periods or regions stacks. */
function csvRows(f: ManagementFigures): { figure: string; value: number | string | null }[] {
  const scope = 'region' in f.scope ? f.scope.region : f.scope.municipality;
  const rows: { figure: string; value: number | string | null }[] = [
    { figure: 'scope', value: scope },
    { figure: 'from', value: f.from },
    { figure: 'to', value: f.to },
    { figure: 'at', value: f.at },
  ];
  for (const [name, t] of [
    ['safetyAssessments', f.safetyAssessments],
    ['investigations', f.investigations],
  ] as const)
    rows.push(
      { figure: `${name}.due`, value: t.due },
      { figure: `${name}.onTime`, value: t.onTime },
      { figure: `${name}.late`, value: t.late },
      { figure: `${name}.share`, value: t.share },
      { figure: `${name}.norm`, value: t.norm },
    );
  rows.push({ figure: 'openHandovers.total', value: f.openHandovers.total });
  for (const [bucket, n] of Object.entries(f.openHandovers.byAge))
    rows.push({ figure: `openHandovers.age.${bucket}`, value: n });
  f.openHandovers.byLevel.forEach((n, level) => rows.push({ figure: `openHandovers.level.${level}`, value: n }));
  rows.push(
    { figure: 'rejectedAwaitingDecision', value: f.rejectedAwaitingDecision },
    { figure: 'monitoringMoments.total', value: f.monitoringMoments.total },
    { figure: 'monitoringMoments.missed', value: f.monitoringMoments.missed },
    { figure: 'monitoringMoments.notKept', value: f.monitoringMoments.notKept },
    { figure: 'leadNegotiationsUnresolved', value: f.leadNegotiationsUnresolved },
    { figure: 'mismatches', value: f.mismatches },
  );
  return rows;
}

function badQuery(detail: string): ProblemException {
  return new ProblemException({
    type: problemType('invalid-query'),
    title: 'The query is not valid',
    status: 400,
    detail,
  });
}

/**
 * Management information per Veilig Thuis region or municipality (issue 15, R8): statutory
 * terms against the national norms, handover bottlenecks, monitoring, leads. For the managers
 * and directors of that region or municipality, and inspectors; anyone else gets 403. Read from
 * the worker's read model (projections), never from a case.
 */
@ApiTags('management information')
@ApiBearerAuth()
@Controller('management-figures')
export class ManagementFiguresController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({
    summary: 'Figures for a Veilig Thuis region or a municipality over a period (managers, directors, inspectors)',
    description:
      'Share of safety assessments within 5 working days and investigations within 10 weeks (counted in the period their term ends; norms 90 % and 80 %), open handovers by age and escalation level, rejected handovers awaiting a decision, missed monitoring moments and agreements not kept, unresolved lead negotiations, mismatches. Open counts are at the end of the period (or now).',
  })
  @ApiResponse({
    status: 200,
    description: 'The figures in the format asked for',
    content: {
      [MEDIA_TYPES.json]: { schema: { $ref: '#/components/schemas/ManagementFigures' } },
      [MEDIA_TYPES.csv]: { schema: { type: 'string' } },
      [MEDIA_TYPES.html]: { schema: { type: 'string' } },
    },
  })
  @ApiProblems({
    400: 'Not exactly one of region and municipality, one not of the directory, a date that is not one, to not after from, or format not json, csv or html',
    403: 'Not a manager or director of that region or municipality, nor an inspector',
    406: 'None of JSON, CSV and HTML is acceptable',
  })
  // Exactly one of ?region= and ?municipality=: one object parameter spread over the query
  // (form style, exploded), so the document can say "one or the other" as the API does.
  @ApiQuery({
    name: 'scope',
    required: true,
    style: 'form',
    explode: true,
    schema: {
      oneOf: [
        {
          type: 'object',
          properties: { region: { type: 'string', enum: idsOf('veilig-thuis') } },
          required: ['region'],
          additionalProperties: false,
        },
        {
          type: 'object',
          properties: { municipality: { type: 'string', enum: idsOf('municipality') } },
          required: ['municipality'],
          additionalProperties: false,
        },
      ],
    },
    description: '`region=<Veilig Thuis id>` or `municipality=<id>`, not both',
  })
  @ApiQuery({
    name: 'from',
    required: true,
    schema: DATE_OR_MOMENT,
    example: '2026-01-01',
    description: 'a date or ISO-8601 moment, inclusive',
  })
  @ApiQuery({
    name: 'to',
    required: true,
    schema: DATE_OR_MOMENT,
    example: '2027-01-01',
    description: 'a date or ISO-8601 moment after from, exclusive',
  })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'html'], description: 'or use Accept' })
  @ApiProduces(MEDIA_TYPES.json, MEDIA_TYPES.csv, MEDIA_TYPES.html)
  async figures(
    @CurrentActor() actor: Actor,
    @Query() query: Record<string, string | undefined>,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ManagementFigures | string> {
    const format = negotiateFormat(request, ['json', 'csv', 'html']);
    const { region, municipality, from, to } = query;
    // Who may read any figures at all comes first: a 403 whatever the query asks.
    if (!isInspector(actor) && !MANAGEMENT.includes(actor.role))
      throw new ProblemException({
        type: problemType('forbidden'),
        title: 'Not allowed',
        status: 403,
        detail: 'Management information is for managers and directors of a region or municipality, and inspectors.',
      });
    if ((region === undefined) === (municipality === undefined))
      throw badQuery('Ask for one region (?region=<Veilig Thuis id>) or one municipality (?municipality=<id>).');
    const id = (region ?? municipality)!;
    const org = findOrganisation(id);
    if (!org || org.kind !== (region ? 'veilig-thuis' : 'municipality'))
      throw badQuery(
        `${id} is not a ${region ? 'Veilig Thuis region' : 'municipality'} of the directory (GET /organisations).`,
      );
    if (!isInspector(actor) && actor.organisation !== id)
      throw new ProblemException({
        type: problemType('forbidden'),
        title: 'Not allowed',
        status: 403,
        detail: `The figures of ${id} are for its managers and directors, and inspectors; sign in as one.`,
      });
    const instant = (name: string, value: string | undefined) => {
      if (!value || Number.isNaN(Date.parse(value))) throw badQuery(`${name} must be a date such as 2026-01-01.`);
      return value;
    };
    const asked = { from: instant('from', from), to: instant('to', to) };
    if (Date.parse(asked.to) <= Date.parse(asked.from)) throw badQuery('to must lie after from.');
    const period = { from: periodBound(asked.from), to: periodBound(asked.to) };
    const scope: FiguresScope = region ? { region } : { municipality: municipality! };
    const figures = await managementFigures(this.dataSource, { scope, ...period, now: new Date().toISOString() });
    response.vary('Accept');
    switch (format) {
      case 'json':
        return figures;
      case 'csv':
        response.type(MEDIA_TYPES.csv).attachment(`managementinformatie-${id}.csv`);
        return toCsv(
          [
            { header: 'figure', value: (r: { figure: string }) => r.figure },
            { header: 'value', value: (r: { value: unknown }) => r.value },
          ],
          csvRows(figures),
        );
      case 'html':
        response.type(MEDIA_TYPES.html);
        return renderManagementFiguresHtml(figures);
    }
  }
}
