import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, MaxLength } from 'class-validator';
import { NoControlCharacters, NormalizedText } from '../../common/forms/text.decorators';

export class SettingsForm {
  @ApiProperty({ minLength: 1, maxLength: 100 })
  // Decorators apply bottom-up and a field shows its first failed check, so the most basic check comes last.
  @NoControlCharacters()
  @Length(1, 100, { message: 'Site name must be 1 to 100 characters' })
  @IsString({ message: 'Enter the site name' })
  @NormalizedText()
  name!: string;

  @ApiPropertyOptional({ maxLength: 1000, default: '' })
  @NoControlCharacters()
  @MaxLength(1000, { message: 'Description must be at most 1000 characters' })
  @IsString({ message: 'Description must be text' })
  @NormalizedText()
  description: string = '';
}
