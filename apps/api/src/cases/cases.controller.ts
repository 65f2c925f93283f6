import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor, RecordedEvent } from '@warm-handover/contracts';
import {
  type HandoverEvent,
  responsibilityTimeline,
  responsibleAt,
  type ResponsibilityPeriod,
} from '@warm-handover/domain';
import { EventStore } from '@warm-handover/persistence';
import { CurrentActor } from '../auth/current-actor.decorator';
import { problemType } from '../http/problem-details';
import { ProblemException } from '../http/problem-details.filter';
import { type HistoryEntry, toHistoryEntry } from '../handovers/handovers.service';

export interface ResponsibilityAnswer {
  readonly caseId: string;
  readonly at: string;
  /** Which clock `at` is compared with: the effective time of each step (e.g. the confirmed start of care). */
  readonly basis: 'effective-time';
  readonly responsible: ResponsibilityPeriod;
  readonly periods: readonly ResponsibilityPeriod[];
}

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(private readonly store: EventStore) {}

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
    const moment = at ?? new Date().toISOString();
    if (Number.isNaN(Date.parse(moment)) || !/^\d{4}-\d{2}-\d{2}/.test(moment)) {
      throw new ProblemException({
        type: problemType('invalid-query'),
        title: 'The query is not valid',
        status: 400,
        detail: `at must be an ISO-8601 moment such as 2026-11-20T10:00:00+01:00, got "${moment}".`,
        errors: [{ field: 'at', message: 'must be an ISO-8601 moment' }],
      });
    }
    const events = await this.visibleCase(actor, caseId);
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
    return {
      caseId,
      at: new Date(moment).toISOString(),
      basis: 'effective-time',
      responsible,
      periods: timeline.periods,
    };
  }

  @Get(':caseId/timeline')
  @ApiOperation({ summary: 'Every event of a case in the order it was recorded, with actor and time' })
  async timeline(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
  ): Promise<{ caseId: string; events: HistoryEntry[] }> {
    const events = await this.visibleCase(actor, caseId);
    return { caseId, events: events.map(toHistoryEntry) };
  }

  /** The case's events if the actor's organisation takes part in one of its handovers; else 404. */
  private async visibleCase(actor: Actor, caseId: string): Promise<RecordedEvent[]> {
    const events = await this.store.readCase(caseId);
    const parties = new Set(
      events
        .filter((e) => e.type === 'HandoverRequested')
        .flatMap((e) => [(e.data as { fromOrg: string }).fromOrg, (e.data as { toOrg: string }).toOrg]),
    );
    if (parties.size === 0 || (!parties.has(actor.organisation) && actor.role !== 'inspector')) {
      throw new ProblemException({
        type: problemType('not-found'),
        title: 'Not found',
        status: 404,
        detail: `No case ${caseId} that your organisation takes part in. Check the case id.`,
      });
    }
    return events;
  }
}
