import { IsString, Length } from 'class-validator';
import { NormalizedText, SingleLine } from '../../common/forms/text.decorators';
import { AccountEmail, NewPassword } from './account-fields';

export class RegisterForm {
  @AccountEmail()
  email!: string;

  @NewPassword()
  password!: string;

  @SingleLine()
  @Length(1, 100, { message: 'Name must be 1 to 100 characters' })
  @IsString({ message: 'Enter your name' })
  @NormalizedText()
  displayName!: string;
}
