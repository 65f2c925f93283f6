import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsPseudonymousId } from '../handovers/handover.dto';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  AGREEMENT_END_REASONS,
  ASSESSMENT_OUTCOMES,
  ESCALATION_ROLES,
  type EscalationRole,
  INVESTIGATION_OUTCOMES,
  MONITORING_OUTCOMES,
  ORGANISATION_IDS,
  REPORTER_KINDS,
  SAFETY_AGREEMENT_CODES,
  SAFETY_EFFECTS,
} from '@warm-handover/domain';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = 'must be a calendar date such as 2026-05-04';
const INSTANT = { message: 'must be an ISO-8601 date-time such as 2026-11-30T10:00:00+01:00' };

export class MonitorDto {
  @ApiProperty({
    example: 'lokaal-team-haarlemmermeer',
    description: 'A party of the case (involve it first)',
    enum: [...ORGANISATION_IDS],
  })
  @IsString()
  @MaxLength(100)
  organisation!: string;

  @ApiProperty({ enum: ESCALATION_ROLES, description: 'The rung that monitors; a missed moment escalates above it' })
  @IsIn(ESCALATION_ROLES, { message: `role must be one of ${ESCALATION_ROLES.join(', ')}` })
  role!: EscalationRole;
}

export class RhythmDto {
  @ApiProperty({ enum: ['week', 'two-weeks', 'four-weeks'] })
  @IsIn(['week', 'two-weeks', 'four-weeks'], { message: 'every must be week, two-weeks or four-weeks' })
  every!: 'week' | 'two-weeks' | 'four-weeks';

  @ApiProperty({ example: '2026-05-04', format: 'date', description: 'The first moment, from today on' })
  @Matches(DATE, { message: `from ${DATE_MESSAGE}` })
  from!: string;

  @ApiProperty({
    example: '2026-07-31',
    format: 'date',
    description: 'On or after from; the last moment falls on or before it, at most 60 moments in all',
  })
  @Matches(DATE, { message: `until ${DATE_MESSAGE}` })
  until!: string;
}

export class MakeSafetyAgreementDto {
  @ApiProperty({ enum: SAFETY_AGREEMENT_CODES })
  @IsIn(SAFETY_AGREEMENT_CODES, { message: `code must be one of ${SAFETY_AGREEMENT_CODES.join(', ')}` })
  code!: (typeof SAFETY_AGREEMENT_CODES)[number];

  @ApiPropertyOptional({
    description: 'Only with code "other": a short neutral description, no names, numbers or addresses (max 120)',
    example: 'vader woont tijdelijk elders',
    // Not blank; no e-mail address, no numbers (the decider refuses long ones, a BSN, a postcode).
    pattern: '^[^@0-9:]*[^@0-9:\\s][^@0-9:]*$',
  })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  description?: string;

  @ApiProperty({ description: 'Pseudonymous ids of the family members it protects', example: ['child-1a', 'parent-1'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsPseudonymousId({ each: true })
  memberIds!: string[];

  @ApiProperty({ type: MonitorDto })
  @IsObject()
  @ValidateNested()
  @Type(() => MonitorDto)
  monitor!: MonitorDto;

  @ApiPropertyOptional({
    description: 'Monitoring moments as dates, from today on; or give a rhythm',
    example: ['2026-05-04'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(60)
  @Matches(DATE, { each: true, message: `each moment ${DATE_MESSAGE}` })
  moments?: string[];

  @ApiPropertyOptional({ type: RhythmDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RhythmDto)
  rhythm?: RhythmDto;
}

export class MemberEffectDto {
  @ApiProperty({ example: 'child-1a', description: 'A family member of the agreement (pseudonymous id)' })
  @IsString()
  @MaxLength(100)
  @IsPseudonymousId()
  memberId!: string;

  @ApiProperty({ enum: SAFETY_EFFECTS })
  @IsIn(SAFETY_EFFECTS, { message: `effect must be one of ${SAFETY_EFFECTS.join(', ')}` })
  effect!: (typeof SAFETY_EFFECTS)[number];
}

export class MonitoringResultDto {
  @ApiProperty({ example: '2026-05-04', description: 'The monitoring moment this result is for' })
  @Matches(DATE, { message: `moment ${DATE_MESSAGE}` })
  moment!: string;

  @ApiProperty({ enum: MONITORING_OUTCOMES })
  @IsIn(MONITORING_OUTCOMES, { message: `outcome must be one of ${MONITORING_OUTCOMES.join(', ')}` })
  outcome!: (typeof MONITORING_OUTCOMES)[number];

  @ApiProperty({ type: [MemberEffectDto], description: 'The effect on the safety of every family member' })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => MemberEffectDto)
  effects!: MemberEffectDto[];

  @ApiPropertyOptional({
    description: 'When the monitor checked (default today): not after today, nor before the agreement was made',
    example: '2026-05-04',
  })
  @IsOptional()
  @Matches(DATE, { message: `checkedOn ${DATE_MESSAGE}` })
  checkedOn?: string;
}

export class MonitorDecisionDto {
  @ApiProperty({
    description: 'The handover of the family not yet started',
    example: '9b51efde-fb02-4ddd-b3fa-0bc373459622',
  })
  @IsString()
  @MaxLength(100)
  @IsPseudonymousId()
  handoverId!: string;

  @ApiProperty({ enum: ['hand-over', 'keep'] })
  @IsIn(['hand-over', 'keep'], { message: 'decision must be hand-over or keep' })
  decision!: 'hand-over' | 'keep';

  @ApiPropertyOptional({
    enum: ESCALATION_ROLES,
    description: 'For hand-over: the rung of the receiver (default professional)',
  })
  @IsOptional()
  @IsIn(ESCALATION_ROLES)
  toRole?: EscalationRole;
}

export class EndAgreementDto {
  @ApiProperty({ enum: AGREEMENT_END_REASONS })
  @IsIn(AGREEMENT_END_REASONS, { message: `reason must be one of ${AGREEMENT_END_REASONS.join(', ')}` })
  reason!: (typeof AGREEMENT_END_REASONS)[number];
}

export class ReceiveMeldingDto {
  @ApiProperty({ enum: REPORTER_KINDS, description: 'What kind of reporter; never who' })
  @IsIn(REPORTER_KINDS, { message: `reporterKind must be one of ${REPORTER_KINDS.join(', ')}` })
  reporterKind!: (typeof REPORTER_KINDS)[number];

  @ApiPropertyOptional({ description: 'When the report came in (default now), not in the future' })
  @IsOptional()
  @IsISO8601({ strict: true }, INSTANT)
  receivedAt?: string;
}

export class AssessmentDto {
  @ApiProperty({ enum: ASSESSMENT_OUTCOMES })
  @IsIn(ASSESSMENT_OUTCOMES, { message: `outcome must be one of ${ASSESSMENT_OUTCOMES.join(', ')}` })
  outcome!: (typeof ASSESSMENT_OUTCOMES)[number];

  @ApiPropertyOptional({ description: 'Default now; not in the future, nor before the step it follows' })
  @IsOptional()
  @IsISO8601({ strict: true }, INSTANT)
  completedAt?: string;
}

export class InvestigationStartDto {
  @ApiPropertyOptional({ description: 'Default now; not in the future, nor before the step it follows' })
  @IsOptional()
  @IsISO8601({ strict: true }, INSTANT)
  startedAt?: string;
}

export class InvestigationCompletionDto {
  @ApiProperty({ enum: INVESTIGATION_OUTCOMES })
  @IsIn(INVESTIGATION_OUTCOMES, { message: `outcome must be one of ${INVESTIGATION_OUTCOMES.join(', ')}` })
  outcome!: (typeof INVESTIGATION_OUTCOMES)[number];

  @ApiPropertyOptional({ description: 'Default now; not in the future, nor before the step it follows' })
  @IsOptional()
  @IsISO8601({ strict: true }, INSTANT)
  completedAt?: string;
}

export class ReporterInformedDto {
  @ApiProperty({ enum: ['safety-assessment', 'investigation'] })
  @IsIn(['safety-assessment', 'investigation'], { message: 'about must be safety-assessment or investigation' })
  about!: 'safety-assessment' | 'investigation';

  @ApiPropertyOptional({ description: 'Default now; not in the future, nor before the step it follows' })
  @IsOptional()
  @IsISO8601({ strict: true }, INSTANT)
  informedAt?: string;
}
