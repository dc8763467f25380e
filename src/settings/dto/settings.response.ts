import { ApiProperty } from '@nestjs/swagger';

export class SettingsResponse {
  @ApiProperty({ description: "The site's name, in the header of every page" })
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217: every price is shown in it' })
  currency!: string;

  @ApiProperty({
    description: "New organisers' events go public only once an admin has approved the account",
  })
  organiserApproval!: boolean;
}
