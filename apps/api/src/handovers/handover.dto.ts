import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
  ValidationArguments,
  registerDecorator,
} from 'class-validator';
import {
  HANDOVER_REASONS,
  type DeadlineKind,
  ORGANISATION_IDS,
  type HandoverReason,
  PSEUDONYMOUS_ID_PATTERN,
  pseudonymousIdProblem,
} from '@warm-handover/domain';
import { PSEUDONYMOUS_ID_CONSTRAINT } from '../http/validation';

/**
 * A pseudonymous id (see pseudonymousIdProblem): one that looks like a name, a BSN or an e-mail
 * address is refused with 422 (the validation pipe answers this constraint so), before anything
 * could store it.
 */
export function IsPseudonymousId(options: { each?: boolean } = {}): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: PSEUDONYMOUS_ID_CONSTRAINT,
      target: target.constructor,
      propertyName: String(propertyKey),
      options: { each: options.each ?? false },
      validator: {
        validate: (value: unknown) => pseudonymousIdProblem(String(propertyKey), value) === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          pseudonymousIdProblem(args?.property ?? String(propertyKey), args?.value) ?? ID_MESSAGE,
      },
    });
}

/**
 * Cases, children and references are pseudonymous ids: letters, digits and `._:-`, no spaces,
 * so a name or an address cannot be typed in by mistake. Free-text reasons must not name people.
 */
const PSEUDONYMOUS_ID = new RegExp(PSEUDONYMOUS_ID_PATTERN);
const ID_MESSAGE = '$property must be a pseudonymous id (letters, digits and ._:- only, up to 100), never a name';
const REASON_HELP = 'Say why in a sentence, without names or other personal data.';

/** A deadline is a whole number of working days, or (DEMO_MODE only) an ISO-8601 duration. */
export const DEADLINE_CONSTRAINT = 'isDeadline';

export function IsDeadline(kind: DeadlineKind): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: DEADLINE_CONSTRAINT,
      target: target.constructor,
      propertyName: String(propertyKey),
      // The kind names its bounds in DEADLINE_POLICY; the OpenAPI document reads them from here.
      constraints: [kind],
      validator: {
        validate: (value: unknown) =>
          (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.length <= 20),
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'deadline'} must be a number of working days (or, in demo mode, an ISO-8601 duration such as "PT20S")`,
      },
    });
}

export class DeadlinesDto {
  @ApiPropertyOptional({
    description: 'Working days for the receiver to acknowledge receipt (1–5, default 1)',
    example: 1,
  })
  @IsOptional()
  @IsDeadline('receipt')
  receipt?: number | string;

  @ApiPropertyOptional({
    description: 'Working days until care must have started (1–40, default 10)',
    example: 10,
  })
  @IsOptional()
  @IsDeadline('start')
  start?: number | string;

  @ApiPropertyOptional({
    description: 'Working days between escalations while a step stays overdue (1–5, default 1)',
    example: 1,
  })
  @IsOptional()
  @IsDeadline('escalationInterval')
  escalationInterval?: number | string;

  @ApiPropertyOptional({
    description:
      'Working days for the sender, after a rejection or withdrawal, to record a keep-decision or request a new handover before it escalates up its own ladder (1–10, default 5)',
    example: 5,
  })
  @IsOptional()
  @IsDeadline('followUp')
  followUp?: number | string;
}

export class RequestHandoverDto {
  @ApiPropertyOptional({
    description:
      'The case, as the service issued its id (POST /cases, or the answer to an earlier request). Leave it out to register a new case: the service issues its id and your organisation is its first party, responsible for each child',
    example: '0b6f9a0e-4c1d-4f7e-9a53-2d1c0e8b7a11',
  })
  @IsOptional()
  @IsPseudonymousId()
  caseId?: string;

  @ApiProperty({ description: 'Pseudonymous ids of the children', example: ['child-7f3c', 'child-91ab'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsPseudonymousId({ each: true })
  childIds!: string[];

  @ApiPropertyOptional({
    description: 'Sending organisation; defaults to yours (and must be yours)',
    enum: [...ORGANISATION_IDS],
    example: 'vt-kennemerland',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  fromOrg?: string;

  @ApiProperty({
    description: 'Receiving organisation (see GET /organisations)',
    enum: [...ORGANISATION_IDS],
    example: 'vt-amsterdam-amstelland',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  toOrg!: string;

  @ApiProperty({ enum: HANDOVER_REASONS, example: 'family-moved' })
  @IsIn(HANDOVER_REASONS, { message: `reason must be one of ${HANDOVER_REASONS.join(', ')}` })
  reason!: HandoverReason;

  @ApiPropertyOptional({
    description: 'Reference to the risk assessment that goes with the handover',
    example: 'risk-assessment-2026-0042',
  })
  @IsOptional()
  @Matches(PSEUDONYMOUS_ID, { message: ID_MESSAGE })
  riskAssessmentRef?: string;

  @ApiPropertyOptional({
    description: 'References to the safety agreements that go with it',
    example: ['safety-agreement-17'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(PSEUDONYMOUS_ID, { each: true, message: ID_MESSAGE })
  safetyAgreementRefs?: string[];

  @ApiPropertyOptional({ type: DeadlinesDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DeadlinesDto)
  deadlines?: DeadlinesDto;
}

/** Acknowledging receipt carries nothing but who sent it. */
export class ReceiptDto {}

export class AcceptanceDto {
  @ApiProperty({ description: 'Calendar date the receiver plans to start care', format: 'date', example: '2026-12-01' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'plannedStartDate must be a calendar date like 2026-12-01' })
  plannedStartDate!: string;
}

export class StartConfirmationDto {
  @ApiPropertyOptional({
    description:
      'When care actually started (defaults to now): not in the future, nor before the handover was received',
    example: '2026-11-30T10:00:00+01:00',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'startedAt must be an ISO-8601 date-time such as 2026-11-30T10:00:00+01:00' })
  startedAt?: string;

  @ApiPropertyOptional({
    description: 'Pseudonymous id of the professional who started care; defaults to you',
    example: 'professional-4711',
  })
  @IsOptional()
  @Matches(PSEUDONYMOUS_ID, { message: ID_MESSAGE })
  startedBy?: string;
}

export class ReasonDto {
  @ApiProperty({ description: REASON_HELP, example: 'The family did not come to two intake appointments.' })
  @IsString()
  @IsNotEmpty({ message: `reason is required. ${REASON_HELP}` })
  @MaxLength(2000)
  reason!: string;
}
