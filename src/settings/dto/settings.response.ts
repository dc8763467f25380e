import { ApiProperty } from '@nestjs/swagger';

export class SettingsResponse {
  @ApiProperty({ description: "The site's name, in the header of every page" })
  name!: string;

  @ApiProperty()
  description!: string;
}
