import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import { ESCALATION_ROLES, type EscalationRole } from '@warm-handover/domain';

/** A contact point as an organisation's manager or director gives it: functional addresses only. */
export class ContactPointDto {
  @ApiProperty({ enum: ESCALATION_ROLES, description: 'The rung of the escalation ladder this contact point serves' })
  @IsIn(ESCALATION_ROLES, { message: `role must be one of ${ESCALATION_ROLES.join(', ')}` })
  role!: EscalationRole;

  @ApiPropertyOptional({
    example: 'teamleiding@vt-kennemerland.example',
    description: 'A functional mailbox (a team or role, never a person)',
  })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an e-mail address such as teamleiding@organisatie.example' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({
    example: 'https://meldingen.vt-kennemerland.example/warm-handover',
    description:
      'https URL that receives signed JSON notices (http only to 127.0.0.1/localhost). The signing secret is shown once, in the answer that registers the URL.',
  })
  @IsOptional()
  @IsUrl(
    { protocols: ['https', 'http'], require_protocol: true, require_tld: false },
    { message: 'webhookUrl must be an https:// URL' },
  )
  @MaxLength(2000)
  webhookUrl?: string;

  @ApiPropertyOptional({ example: 'Teamleiding', description: 'What the address is, in a few words; no names' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  label?: string;
}
