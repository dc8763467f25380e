import { IsString, Length } from 'class-validator';
import { NoControlCharacters, NormalizedText } from '../../common/forms/text.decorators';

export class ApiTokenForm {
  // Decorators apply bottom-up and a field shows its first failed check, so the most basic check comes last.
  @NoControlCharacters()
  @Length(1, 100, { message: 'Name must be 1 to 100 characters' })
  @IsString({ message: 'Give the token a name, e.g. "ticket sync"' })
  @NormalizedText()
  name!: string;
}
