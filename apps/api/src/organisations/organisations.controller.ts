import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import {
  DIRECTORY_VERSION,
  ESCALATION_ROLES,
  type EscalationLevel,
  type EscalationRole,
  findOrganisation,
  type LadderStep,
  type Organisation,
  ORGANISATION_KINDS,
  type OrganisationKind,
  ORGANISATIONS,
} from '@warm-handover/domain';
import { ApiProblems } from '../openapi/problem-responses';

export class LadderStepDto implements LadderStep {
  @ApiProperty({ enum: [0, 1, 2, 3], description: 'Escalation level, 0 = the professional' })
  readonly level!: EscalationLevel;

  @ApiProperty({ enum: ESCALATION_ROLES })
  readonly role!: EscalationRole;

  @ApiProperty({ example: 'Teamleider', description: 'The Dutch job title this organisation uses for the role' })
  readonly title!: string;
}

export class OrganisationDto {
  @ApiProperty({ example: 'vt-kennemerland' })
  readonly id!: string;

  @ApiProperty({ enum: ORGANISATION_KINDS, example: 'veilig-thuis' })
  readonly kind!: OrganisationKind;

  @ApiProperty({ example: 'Veilig Thuis Kennemerland' })
  readonly name!: string;

  @ApiPropertyOptional({ example: 'Kennemerland', description: 'Region, police unit or municipality served' })
  readonly area?: string;

  @ApiPropertyOptional({ example: 'vt-kennemerland', description: 'Veilig Thuis region of its working area' })
  readonly veiligThuisRegion?: string;

  @ApiPropertyOptional({ example: 'politie-noord-holland', description: 'Police unit of its working area' })
  readonly policeUnit?: string;

  @ApiPropertyOptional({ example: 'gemeente-haarlemmermeer', description: 'For a local team: its municipality' })
  readonly municipality?: string;

  @ApiProperty({ type: [LadderStepDto], description: 'Who an escalation reaches, level 0 to 3' })
  readonly ladder!: readonly LadderStepDto[];
}

export class OrganisationDirectoryDto {
  @ApiProperty({
    example: DIRECTORY_VERSION,
    description: 'Version of the directory; a handover records the one it took its escalation ladders from',
  })
  readonly directoryVersion!: string;

  @ApiProperty({ type: [OrganisationDto] })
  readonly organisations!: readonly OrganisationDto[];
}

function toDto(organisation: Organisation): OrganisationDto {
  const { id, kind, name, area, veiligThuisRegion, policeUnit, municipality, ladder } = organisation;
  return {
    id,
    kind,
    name,
    area,
    veiligThuisRegion,
    policeUnit,
    municipality,
    ladder: ladder.map(({ level, role, title }) => ({ level, role, title })),
  };
}

@ApiTags('organisations')
@ApiBearerAuth()
@Controller('organisations')
export class OrganisationsController {
  @Get()
  @ApiOperation({
    summary: 'Every organisation the service knows, with its escalation ladder',
    description:
      'The 26 Veilig Thuis regions, the 10 police units, and the municipalities, local teams and other organisations of the seed cases. Use these ids in tokens and commands.',
  })
  @ApiOkResponse({ type: OrganisationDirectoryDto })
  list(): OrganisationDirectoryDto {
    return { directoryVersion: DIRECTORY_VERSION, organisations: ORGANISATIONS.map(toDto) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One organisation and its escalation ladder' })
  @ApiParam({ name: 'id', example: 'vt-kennemerland' })
  @ApiOkResponse({ type: OrganisationDto })
  @ApiProblems({ 404: 'No organisation has this id' })
  get(@Param('id') id: string): OrganisationDto {
    const organisation = findOrganisation(id);
    if (!organisation) {
      throw new NotFoundException(
        `No organisation has the id ${JSON.stringify(id)}; GET /organisations lists every id`,
      );
    }
    return toDto(organisation);
  }
}
