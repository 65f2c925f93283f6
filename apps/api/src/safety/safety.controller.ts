import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '@warm-handover/contracts';
import type { MeldingView, SafetyAgreementView } from '@warm-handover/domain';
import { CurrentActor } from '../auth/current-actor.decorator';
import { IdempotentCommand } from '../http/idempotent-command.decorator';
import { requestMeta } from '../http/request-meta';
import { ApiAnswer, LOCATION_HEADER } from '../openapi/answers';
import { ApiProblems } from '../openapi/problem-responses';
import type { MeldingDetails, SafetyAgreementDetails } from '../openapi/response-types';
import {
  AssessmentDto,
  EndAgreementDto,
  InvestigationCompletionDto,
  InvestigationStartDto,
  MakeSafetyAgreementDto,
  MonitorDecisionDto,
  MonitorDto,
  MonitoringResultDto,
  ReceiveMeldingDto,
  ReporterInformedDto,
} from './safety.dto';
import { SafetyService } from './safety.service';

const uuid = new ParseUUIDPipe({ version: '4' });
type H = Record<string, string>;
const CASE_ID = {
  name: 'caseId',
  description: 'The case (a UUID)',
  schema: { type: 'string', format: 'uuid' },
} as const;
const AGREEMENT_ID = { name: 'id', description: 'The safety agreement (a version 4 UUID)' } as const;
const MELDING_ID = { name: 'id', description: 'The report (a version 4 UUID)' } as const;
const NO_CASE =
  'No such case in a case your organisation takes part in (the same answer as for one that does not exist)';
const NO_AGREEMENT = 'No such safety agreement in a case your organisation takes part in';
const NO_MELDING = 'No such report in a case your organisation takes part in';
const at = (value: string | undefined) => (value ? new Date(value).toISOString() : new Date().toISOString());

@ApiTags('safety agreements and statutory terms')
@ApiBearerAuth()
@Controller()
export class SafetyController {
  constructor(private readonly safety: SafetyService) {}

  @Post('cases/:caseId/safety-agreements')
  @ApiAnswer(201, 'SafetyAgreementView', 'The agreement as made, with its monitor and moments', LOCATION_HEADER)
  @ApiParam(CASE_ID)
  @ApiProblems({ 404: NO_CASE })
  @IdempotentCommand()
  @ApiOperation({
    summary: 'Make a safety agreement (a party): code, family members, monitor (a party) and moments (dates or rhythm)',
  })
  async make(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
    @Body() body: MakeSafetyAgreementDto,
    @Headers() h: H,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SafetyAgreementView> {
    const view = await this.safety.makeAgreement(actor, caseId, body, requestMeta(h));
    response.location(`/safety-agreements/${view.agreementId}`);
    return view;
  }

  @Get('cases/:caseId/safety-agreements')
  @ApiAnswer(200, 'SafetyAgreementList', 'The agreements of the case')
  @ApiParam(CASE_ID)
  @ApiProblems({ 404: NO_CASE })
  @ApiOperation({ summary: "A case's safety agreements, their monitors and moments (parties, inspectors)" })
  agreements(@CurrentActor() actor: Actor, @Param('caseId') caseId: string): Promise<SafetyAgreementView[]> {
    return this.safety.agreementsOfCase(actor, caseId);
  }

  @Get('safety-agreements/:id')
  @ApiAnswer(200, 'SafetyAgreementDetails', 'The agreement, with its history')
  @ApiParam(AGREEMENT_ID)
  @ApiProblems({ 404: NO_AGREEMENT })
  @ApiOperation({ summary: 'One safety agreement with its history (parties, inspectors)' })
  agreement(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<SafetyAgreementDetails> {
    return this.safety.agreement(actor, id);
  }

  @Post('safety-agreements/:id/results')
  @ApiAnswer(200, 'SafetyAgreementView', 'The agreement after this step')
  @ApiParam(AGREEMENT_ID)
  @ApiProblems({ 404: NO_AGREEMENT })
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({
    summary: 'Record the result of a monitoring moment (the monitor), with the effect on every family member',
    description: '"not-kept" tells the organisation responsible for the family and the lead at once.',
  })
  result(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: MonitoringResultDto,
    @Headers() h: H,
  ): Promise<SafetyAgreementView> {
    return this.safety.recordResult(actor, id, body, requestMeta(h));
  }

  @Post('safety-agreements/:id/monitor-decisions')
  @ApiAnswer(200, 'SafetyAgreementView', 'The agreement after this step')
  @ApiParam(AGREEMENT_ID)
  @ApiProblems({ 404: NO_AGREEMENT })
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({
    summary:
      'Before a handover of the family starts: hand the monitor role over to the receiver, or keep it (the monitor)',
    description:
      'Takes effect when care starts. Without a decision the receiver inherits the role when care starts, recorded as inherited.',
  })
  decide(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: MonitorDecisionDto,
    @Headers() h: H,
  ): Promise<SafetyAgreementView> {
    return this.safety.agreementCommand(
      actor,
      id,
      {
        type: 'DecideMonitorRole',
        handoverId: body.handoverId,
        decision: body.decision,
        ...(body.toRole ? { toRole: body.toRole } : {}),
      },
      requestMeta(h),
    );
  }

  @Post('safety-agreements/:id/monitor-transfer')
  @ApiAnswer(200, 'SafetyAgreementView', 'The agreement after this step')
  @ApiParam(AGREEMENT_ID)
  @ApiProblems({ 404: NO_AGREEMENT })
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({ summary: 'Hand the monitor role to another organisation or rung now (the monitor)' })
  transfer(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: MonitorDto,
    @Headers() h: H,
  ): Promise<SafetyAgreementView> {
    return this.safety.agreementCommand(
      actor,
      id,
      { type: 'TransferMonitorRole', to: { organisation: body.organisation, role: body.role, ladder: [] } },
      requestMeta(h),
    );
  }

  @Post('safety-agreements/:id/end')
  @ApiAnswer(200, 'SafetyAgreementView', 'The agreement after this step')
  @ApiParam(AGREEMENT_ID)
  @ApiProblems({ 404: NO_AGREEMENT })
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({ summary: 'End the agreement with a reason code (the monitor or who made it)' })
  end(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: EndAgreementDto,
    @Headers() h: H,
  ): Promise<SafetyAgreementView> {
    return this.safety.agreementCommand(actor, id, { type: 'EndSafetyAgreement', reason: body.reason }, requestMeta(h));
  }

  @Post('cases/:caseId/meldingen')
  @ApiAnswer(201, 'MeldingView', 'The report as received, with the term of its safety assessment', LOCATION_HEADER)
  @ApiParam(CASE_ID)
  @ApiProblems({ 404: NO_CASE })
  @IdempotentCommand()
  @ApiOperation({
    summary:
      'Record a report (melding) received (Veilig Thuis, a party): the safety assessment is due in 5 working days',
  })
  async receive(
    @CurrentActor() actor: Actor,
    @Param('caseId') caseId: string,
    @Body() body: ReceiveMeldingDto,
    @Headers() h: H,
    @Res({ passthrough: true }) response: Response,
  ): Promise<MeldingView> {
    const view = await this.safety.receiveMelding(actor, caseId, body, requestMeta(h));
    response.location(`/meldingen/${view.meldingId}`);
    return view;
  }

  @Get('cases/:caseId/meldingen')
  @ApiAnswer(200, 'MeldingList', 'The reports of the case')
  @ApiParam(CASE_ID)
  @ApiProblems({ 404: NO_CASE })
  @ApiOperation({ summary: "A case's reports to Veilig Thuis and their statutory terms (parties, inspectors)" })
  meldingen(@CurrentActor() actor: Actor, @Param('caseId') caseId: string): Promise<MeldingView[]> {
    return this.safety.meldingenOfCase(actor, caseId);
  }

  @Get('meldingen/:id')
  @ApiAnswer(200, 'MeldingDetails', 'The report, its terms and its history')
  @ApiParam(MELDING_ID)
  @ApiProblems({ 404: NO_MELDING })
  @ApiOperation({ summary: 'One report, its terms (due, met, missed, overdue) and history (parties, inspectors)' })
  melding(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<MeldingDetails> {
    return this.safety.melding(actor, id);
  }

  @Post('meldingen/:id/safety-assessment')
  @ApiAnswer(200, 'MeldingView', 'The report and its terms after this step')
  @ApiParam(MELDING_ID)
  @ApiProblems({ 404: NO_MELDING })
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({ summary: 'Complete the safety assessment with its outcome (the Veilig Thuis that received it)' })
  assess(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: AssessmentDto,
    @Headers() h: H,
  ): Promise<MeldingView> {
    return this.safety.meldingCommand(
      actor,
      id,
      { type: 'CompleteSafetyAssessment', outcome: body.outcome, completedAt: at(body.completedAt) },
      requestMeta(h),
    );
  }

  @Post('meldingen/:id/investigation')
  @ApiAnswer(200, 'MeldingView', 'The report and its terms after this step')
  @ApiParam(MELDING_ID)
  @ApiProblems({ 404: NO_MELDING })
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({ summary: 'Start the investigation the assessment decided on: due 10 weeks after its start' })
  startInvestigation(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: InvestigationStartDto,
    @Headers() h: H,
  ): Promise<MeldingView> {
    return this.safety.meldingCommand(
      actor,
      id,
      { type: 'StartInvestigation', startedAt: at(body.startedAt) },
      requestMeta(h),
    );
  }

  @Post('meldingen/:id/investigation-completion')
  @ApiAnswer(200, 'MeldingView', 'The report and its terms after this step')
  @ApiParam(MELDING_ID)
  @ApiProblems({ 404: NO_MELDING })
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({ summary: 'Complete the investigation with its outcome' })
  completeInvestigation(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: InvestigationCompletionDto,
    @Headers() h: H,
  ): Promise<MeldingView> {
    return this.safety.meldingCommand(
      actor,
      id,
      { type: 'CompleteInvestigation', outcome: body.outcome, completedAt: at(body.completedAt) },
      requestMeta(h),
    );
  }

  @Post('meldingen/:id/reporter-informed')
  @ApiAnswer(200, 'MeldingView', 'The report and its terms after this step')
  @ApiParam(MELDING_ID)
  @ApiProblems({ 404: NO_MELDING })
  @HttpCode(200)
  @IdempotentCommand()
  @ApiOperation({ summary: 'Record that the reporter was told the outcome of the assessment or the investigation' })
  informed(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() body: ReporterInformedDto,
    @Headers() h: H,
  ): Promise<MeldingView> {
    return this.safety.meldingCommand(
      actor,
      id,
      { type: 'InformReporter', about: body.about, informedAt: at(body.informedAt) },
      requestMeta(h),
    );
  }
}
