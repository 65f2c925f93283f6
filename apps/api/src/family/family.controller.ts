import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@warm-handover/contracts';
import { type FamilyEvent, type FamilyOverview, familyOverviewAt } from '@warm-handover/domain';
import { CurrentActor } from '../auth/current-actor.decorator';
import { IdempotentCommand } from '../http/idempotent-command.decorator';
import { validMoment } from '../http/query-moment';
import { CaseAccess } from '../cases/case-access.service';
import { ApiAnswer } from '../openapi/answers';
import { ApiProblems } from '../openapi/problem-responses';
import {
  CareAvoidanceDto,
  DirectorProposalDto,
  FamilyChangeDto,
  GoalResultDto,
  PlanGoalDto,
  RiskReassessmentDto,
} from './family.dto';
import { FamilyService } from './family.service';

/** What a family command answers: the case and the events it recorded. */
export interface FamilyAnswer {
  readonly caseId: string;
  readonly events: { readonly type: FamilyEvent['type']; readonly data: FamilyEvent['data'] }[];
}
type Answer = FamilyAnswer;
const NO_CASE =
  'No such case in a case your organisation takes part in (the same answer as for one that does not exist)';

/**
 * The family as the case (R5, R6, R9): its overview at any moment, and what any party records
 * about it. Translates HTTP and nothing more: the family decider decides, the service records.
 */
@ApiTags('family')
@ApiBearerAuth()
@Controller('cases/:caseId/family')
export class FamilyController {
  constructor(
    private readonly access: CaseAccess,
    private readonly family: FamilyService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The family in one overview, now or at any past moment, on both clocks',
    description:
      'Children and who is responsible for each; every organisation with its role (how it became a party and why, the chains it leads, the children it is responsible for, case director); the case director; every change of the family and whether each responsible organisation re-assessed it (due, overdue, re-assessed with outcome and document reference, escalation level); care-avoidance signals counted and listed; the goals of the family plan. `at` is compared with effective time, `asRecordedAt` with recorded time, as for /cases/{caseId}/state.',
  })
  @ApiAnswer(200, 'FamilyOverview', 'The family at that moment')
  @ApiProblems({ 400: '`at` or `asRecordedAt` is not an ISO-8601 moment', 404: NO_CASE })
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
    description: 'ISO-8601 moment: what was recorded by then',
  })
  async overview(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
    @Query('at') at?: string,
    @Query('asRecordedAt') asRecordedAt?: string,
  ): Promise<FamilyOverview> {
    const now = new Date().toISOString();
    const query = { at: validMoment(at, 'at', now), asRecordedAt: validMoment(asRecordedAt, 'asRecordedAt', now) };
    return familyOverviewAt(caseId, await this.access.caseEvents(actor, caseId), query);
  }

  @Post('changes')
  @ApiAnswer(201, 'FamilyAnswer', 'The change recorded, and the re-assessments it asks for')
  @ApiProblems({ 404: NO_CASE })
  @IdempotentCommand()
  @ApiOperation({
    summary: 'Record a change of the family (a party): each organisation responsible for a child must re-assess (R5)',
    description:
      'Due in 5 working days (or `deadline`); in hours after an acutely unsafe outcome of its previous assessment. Overdue, it escalates up that organisation’s ladder. A code that looks like a name, BSN or address is refused (422).',
  })
  async change(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
    @Body() body: FamilyChangeDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<Answer> {
    const meta = metaOf(idempotencyKey);
    return answer(
      caseId,
      await this.family.record(
        actor,
        caseId,
        {
          type: 'RecordFamilyChange',
          changeId: this.family.newId(actor, meta, 'change'),
          code: body.code,
          occurredAt: body.occurredAt,
          ...(body.childId !== undefined ? { childId: body.childId } : {}),
        },
        meta,
        this.family.policyFor(body.deadline),
      ),
    );
  }

  @Post('reassessments')
  @ApiAnswer(201, 'FamilyAnswer', 'The re-assessment recorded')
  @ApiProblems({ 404: NO_CASE })
  @IdempotentCommand()
  @ApiOperation({
    summary: 'Record your risk re-assessment (an organisation responsible for a child): outcome and document reference',
  })
  async reassessment(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
    @Body() body: RiskReassessmentDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<Answer> {
    const meta = metaOf(idempotencyKey);
    return answer(
      caseId,
      await this.family.record(
        actor,
        caseId,
        { type: 'RecordRiskReassessment', outcome: body.outcome, documentRef: body.documentRef },
        meta,
      ),
    );
  }

  @Post('care-avoidance')
  @ApiAnswer(201, 'FamilyAnswer', 'The signal recorded, and whom it told')
  @ApiProblems({ 404: NO_CASE })
  @IdempotentCommand()
  @ApiOperation({
    summary: 'Signal care avoidance (a party, at any time): the responsible organisations and the leads are told (R6)',
    description: 'A further signal within 30 days escalates to their team leads.',
  })
  async careAvoidance(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
    @Body() body: CareAvoidanceDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<Answer> {
    const meta = metaOf(idempotencyKey);
    return answer(
      caseId,
      await this.family.record(
        actor,
        caseId,
        {
          type: 'SignalCareAvoidance',
          signalId: this.family.newId(actor, meta, 'signal'),
          code: body.code,
          occurredAt: body.occurredAt,
          ...(body.handoverId !== undefined ? { handoverId: body.handoverId } : {}),
        },
        meta,
      ),
    );
  }

  @Post('director-proposals')
  @ApiAnswer(201, 'FamilyAnswer', 'The proposal recorded')
  @ApiProblems({ 404: NO_CASE })
  @IdempotentCommand()
  @ApiOperation({ summary: 'Propose a case director: a professional (pseudonymous id) of a party (R9)' })
  async proposeDirector(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
    @Body() body: DirectorProposalDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<Answer> {
    const meta = metaOf(idempotencyKey);
    return answer(
      caseId,
      await this.family.record(
        actor,
        caseId,
        {
          type: 'ProposeCaseDirector',
          proposalId: this.family.newId(actor, meta, 'proposal'),
          organisation: body.organisation,
          professionalId: body.professionalId,
        },
        meta,
      ),
    );
  }

  @Post('director-proposals/:proposalId/confirmation')
  @ApiAnswer(200, 'FamilyAnswer', 'The confirmation recorded')
  @ApiProblems({ 404: NO_CASE })
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({
    summary:
      'Confirm a proposed case director: the named organisation, or another party when it proposed its own professional',
  })
  async confirmDirector(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
    @Param('proposalId') proposalId: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<Answer> {
    return answer(
      caseId,
      await this.family.record(actor, caseId, { type: 'ConfirmCaseDirector', proposalId }, metaOf(idempotencyKey)),
    );
  }

  @Post('goals')
  @ApiAnswer(201, 'FamilyAnswer', 'The goal recorded')
  @ApiProblems({ 404: NO_CASE })
  @IdempotentCommand()
  @ApiOperation({
    summary: 'Add a goal to the family plan: code, neutral label, target date, owning party (002 §2.1)',
    description: 'Past its date without a result it escalates up its owner’s ladder.',
  })
  async goal(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
    @Body() body: PlanGoalDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<Answer> {
    const meta = metaOf(idempotencyKey);
    return answer(
      caseId,
      await this.family.record(
        actor,
        caseId,
        {
          type: 'SetPlanGoal',
          goalId: this.family.newId(actor, meta, 'goal'),
          code: body.code,
          ...(body.label !== undefined ? { label: body.label } : {}),
          targetDate: body.targetDate,
          owner: body.owner,
        },
        meta,
      ),
    );
  }

  @Post('goals/:goalId/result')
  @ApiAnswer(200, 'FamilyAnswer', 'The result recorded')
  @ApiProblems({ 404: NO_CASE })
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({ summary: "Record a goal's result (its owner, or the case director's organisation)" })
  async goalResult(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
    @Param('goalId') goalId: string,
    @Body() body: GoalResultDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<Answer> {
    return answer(
      caseId,
      await this.family.record(
        actor,
        caseId,
        { type: 'RecordGoalResult', goalId, result: body.result },
        metaOf(idempotencyKey),
      ),
    );
  }
}

function metaOf(idempotencyKey: string | undefined): { idempotencyKey?: string; correlationId: string } {
  return { correlationId: randomUUID(), ...(idempotencyKey ? { idempotencyKey } : {}) };
}

function answer(caseId: string, events: readonly FamilyEvent[]): Answer {
  return { caseId, events: events.map((e) => ({ type: e.type, data: e.data })) };
}
