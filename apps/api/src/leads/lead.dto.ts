import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CHAINS, type Chain, ORGANISATION_IDS } from '@warm-handover/domain';
import { IsDeadline } from '../handovers/handover.dto';

const RATIONALE_HELP = 'Say why in a sentence, without names or other personal data.';

export class NegotiationDeadlinesDto {
  @ApiPropertyOptional({
    description: 'Working days to agree (1–10, default 2)',
    example: 2,
  })
  @IsOptional()
  @IsDeadline('agreement')
  agreement?: number | string;

  @ApiPropertyOptional({
    description: 'Working days between escalations (1–5, default 1)',
    example: 1,
  })
  @IsOptional()
  @IsDeadline('escalationInterval')
  escalationInterval?: number | string;
}

export class OpenNegotiationDto {
  @ApiProperty({ enum: CHAINS, description: 'care: Veilig Thuis organisations; safety: police units' })
  @IsIn(CHAINS, { message: `chain must be one of ${CHAINS.join(', ')}` })
  chain!: Chain;

  @ApiProperty({
    description: 'Two or more organisations of that chain, yours among them',
    enum: [...ORGANISATION_IDS],
    isArray: true,
    example: ['vt-kennemerland', 'vt-amsterdam-amstelland'],
  })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  parties!: string[];

  @ApiPropertyOptional({
    description: 'Municipality where the child lives: the basis of the suggested lead, and told about a lead mismatch',
    enum: [...ORGANISATION_IDS],
    example: 'gemeente-haarlemmermeer',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  municipality?: string;

  @ApiPropertyOptional({ type: NegotiationDeadlinesDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => NegotiationDeadlinesDto)
  deadlines?: NegotiationDeadlinesDto;
}

export class ProposalDto {
  @ApiProperty({
    description: 'The proposed lead: one of the parties (yourself or another)',
    enum: [...ORGANISATION_IDS],
    example: 'vt-kennemerland',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  lead!: string;

  @ApiProperty({ description: RATIONALE_HELP, example: 'The child lives in Haarlemmermeer, in our region.' })
  @IsString()
  @IsNotEmpty({ message: `rationale is required. ${RATIONALE_HELP}` })
  // Blank is no reason: the decider trims it (and refuses what is left empty).
  @Matches(/\S/, { message: `rationale is required. ${RATIONALE_HELP}` })
  @MaxLength(2000)
  rationale!: string;
}

export class AcceptanceOfProposalDto {
  @ApiProperty({ description: 'The proposal you accept (currentProposal.proposalId of GET /lead-negotiations/{id})' })
  @IsUUID('4', { message: 'proposalId must be the id of the current proposal' })
  proposalId!: string;
}

export class DecisionDto extends ProposalDto {}

export class DecisionConfirmationDto {
  @ApiProperty({
    description: 'The decision you confirm (pendingDecision.decisionId of GET /lead-negotiations/{id})',
  })
  @IsUUID('4', { message: 'decisionId must be the id of the open decision (pendingDecision.decisionId)' })
  decisionId!: string;
}

export class RenegotiationDto {
  @ApiProperty({ description: RATIONALE_HELP, example: 'The family moved to Amsterdam.' })
  @IsString()
  @IsNotEmpty({ message: `reason is required. ${RATIONALE_HELP}` })
  @MaxLength(2000)
  reason!: string;
}
