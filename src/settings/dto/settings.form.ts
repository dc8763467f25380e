import { IsString, Length, MaxLength } from 'class-validator';
import { NoControlCharacters, NormalizedText } from '../../common/forms/text.decorators';

export class SettingsForm {
  @NormalizedText()
  @IsString({ message: 'Enter the site name' })
  @Length(1, 100, { message: 'Site name must be 1 to 100 characters' })
  @NoControlCharacters()
  name!: string;

  @NormalizedText()
  @IsString({ message: 'Description must be text' })
  @MaxLength(1000, { message: 'Description must be at most 1000 characters' })
  @NoControlCharacters()
  description: string = '';
}
