import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import {
  CARE_AVOIDANCE_CODES,
  CODE_MAX_LENGTH,
  CODE_PATTERN,
  FAMILY_CHANGE_CODES,
  GOAL_RESULTS,
  LABEL_PATTERN,
  ORGANISATION_IDS,
  PSEUDONYMOUS_ID_PATTERN,
  RISK_OUTCOMES,
} from '@warm-handover/domain';
import { IsDeadline } from '../handovers/handover.dto';

/*
 * Codes are checked by the family decider, not here: a name, a BSN or an address typed where a
 * code belongs is refused there as personal data (422), anything else unknown as invalid (400).
 * The document still says what the decider takes (enums, patterns, formats), so a body it
 * allows is one the API accepts, short of what depends on the case (its parties, now).
 */
const ID = { pattern: PSEUDONYMOUS_ID_PATTERN, maxLength: 100 } as const;
const PAST_INSTANT = { format: 'date-time' } as const;

export class FamilyChangeDto {
  @ApiProperty({ enum: FAMILY_CHANGE_CODES, description: 'What changed in the family', example: 'moved' })
  @IsString()
  @MaxLength(100)
  code!: string;

  @ApiProperty({
    description: 'When it happened (ISO-8601, not in the future)',
    example: '2026-11-20T10:00:00+01:00',
    ...PAST_INSTANT,
  })
  @IsString()
  @MaxLength(40)
  occurredAt!: string;

  @ApiPropertyOptional({ description: 'For a birth: the child (pseudonymous id), added to the case first', ...ID })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  childId?: string;

  @ApiPropertyOptional({
    description: 'Working days for each re-assessment (1–10, default 5); in demo mode an ISO-8601 duration',
  })
  @IsOptional()
  @IsDeadline('reassessment')
  deadline?: number | string;
}

export class RiskReassessmentDto {
  @ApiProperty({ enum: RISK_OUTCOMES, example: 'unsafe-conditions-needed' })
  @IsString()
  @MaxLength(100)
  outcome!: string;

  @ApiProperty({
    description: 'Reference to the assessment in your own file (a pseudonymous id), never its content',
    example: 'vtk:dossier:2026-0042',
    ...ID,
  })
  @IsString()
  @MaxLength(200)
  documentRef!: string;
}

export class CareAvoidanceDto {
  @ApiProperty({ enum: CARE_AVOIDANCE_CODES, example: 'no-show' })
  @IsString()
  @MaxLength(100)
  code!: string;

  @ApiProperty({ description: 'When it happened (ISO-8601, not in the future)', ...PAST_INSTANT })
  @IsString()
  @MaxLength(40)
  occurredAt!: string;

  @ApiPropertyOptional({ description: 'The open handover it happened in, if any', ...ID })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  handoverId?: string;
}

export class DirectorProposalDto {
  @ApiProperty({
    description: 'The party whose professional is proposed',
    example: 'gemeente-haarlemmermeer',
    enum: [...ORGANISATION_IDS],
  })
  @IsString()
  @MaxLength(100)
  organisation!: string;

  @ApiProperty({
    description: "Pseudonymous id of the professional in that organisation's own file",
    example: 'prof-7f3c',
    ...ID,
  })
  @IsString()
  @MaxLength(100)
  professionalId!: string;
}

export class PlanGoalDto {
  @ApiProperty({
    description: 'A code: lowercase words joined by "-"',
    example: 'school-attendance',
    pattern: CODE_PATTERN,
  })
  @IsString()
  @MaxLength(CODE_MAX_LENGTH)
  code!: string;

  @ApiPropertyOptional({
    description: 'A short neutral label: lowercase words, never names or addresses',
    pattern: LABEL_PATTERN,
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  label?: string;

  @ApiProperty({
    description: 'Calendar date the goal is to be met by (today or later)',
    example: '2026-12-31',
    format: 'date',
  })
  @IsString()
  @MaxLength(10)
  targetDate!: string;

  @ApiProperty({
    description: 'The party that owns the goal',
    example: 'vt-amsterdam-amstelland',
    enum: [...ORGANISATION_IDS],
  })
  @IsString()
  @MaxLength(100)
  owner!: string;
}

export class GoalResultDto {
  @ApiProperty({ enum: GOAL_RESULTS, example: 'achieved' })
  @IsString()
  @MaxLength(100)
  result!: string;
}
