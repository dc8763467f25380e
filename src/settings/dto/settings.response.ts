import { ApiProperty } from '@nestjs/swagger';

export class SettingsResponse {
  @ApiProperty({ description: "The site's name, in the header of every page" })
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217: every price is shown in it' })
  currency!: string;

  @ApiProperty({
    description:
      'Told to a buyer who pays by bank transfer (account, IBAN, what to quote); empty: transfers are not offered',
  })
  bankTransferInstructions!: string;

  @ApiProperty({ minimum: 1, maximum: 30, description: 'Days a booking paid by transfer is held' })
  bankTransferDays!: number;

  @ApiProperty({ description: 'Paying at the door is offered' })
  onSitePayment!: boolean;

  @ApiProperty({
    description: "New organisers' events go public only once an admin has approved the account",
  })
  organiserApproval!: boolean;

  @ApiProperty({
    description: 'Administrators must use two-factor sign-in (one without it is sent to set it up)',
  })
  requireTwoFactorForAdmins!: boolean;
}
