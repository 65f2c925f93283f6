import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, MaxLength, IsUUID } from 'class-validator';
import { INVOLVEMENT_REASONS, type InvolvementReason, ORGANISATION_IDS } from '@warm-handover/domain';
import { IsPseudonymousId } from '../handovers/handover.dto';

export class OpenCaseDto {
  @ApiProperty({
    description: 'Pseudonymous ids of the children of the family (your own file’s ids; never names or BSNs)',
    example: ['child-7f3c', 'child-91ab'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsPseudonymousId({ each: true })
  childIds!: string[];
}

export class AddChildrenDto extends OpenCaseDto {}

export class InvolvePartyDto {
  @ApiProperty({
    description: 'The organisation to involve (see GET /organisations)',
    enum: [...ORGANISATION_IDS],
    example: 'gemeente-haarlemmermeer',
  })
  @IsString()
  @MaxLength(100)
  organisation!: string;

  @ApiProperty({ enum: INVOLVEMENT_REASONS, description: 'Why it is involved', example: 'municipality' })
  @IsIn(INVOLVEMENT_REASONS, { message: `reason must be one of ${INVOLVEMENT_REASONS.join(', ')}` })
  reason!: InvolvementReason;
}

export class KeepDecisionDto {
  @ApiProperty({
    description: 'Why the children stay with you, in a sentence without names or other personal data',
    example: 'Help continues here; a new referral follows after the family settles.',
  })
  @IsString()
  @MaxLength(2000)
  reason!: string;

  @ApiPropertyOptional({
    description: 'The rejected or withdrawn handover this decides on; defaults to the latest one of yours',
  })
  @IsOptional()
  @IsUUID('4')
  handoverId?: string;
}
