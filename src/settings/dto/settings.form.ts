import { IsString, Length, MaxLength } from 'class-validator';
import { NoControlCharacters, NormalizedText } from '../../common/forms/text.decorators';

export class SettingsForm {
  // Decorators apply bottom-up and a field shows its first failed check, so the most basic check comes last.
  @NoControlCharacters()
  @Length(1, 100, { message: 'Site name must be 1 to 100 characters' })
  @IsString({ message: 'Enter the site name' })
  @NormalizedText()
  name!: string;

  @NoControlCharacters()
  @MaxLength(1000, { message: 'Description must be at most 1000 characters' })
  @IsString({ message: 'Description must be text' })
  @NormalizedText()
  description: string = '';
}
