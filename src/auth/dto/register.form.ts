import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import {
  NoControlCharacters,
  NormalizedText,
  PlainEmail,
  SingleLine,
} from '../../common/forms/text.decorators';
import { AcceptablePassword } from '../passwords/password-policy';

export class RegisterForm {
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  // Decorators apply bottom-up and a field shows its first failed check, so the most basic check comes last.
  @PlainEmail('Enter a valid email address')
  @MaxLength(254, { message: 'Email must be at most 254 characters' })
  @IsEmail({}, { message: 'Enter a valid email address' })
  email!: string;

  @AcceptablePassword()
  @NoControlCharacters()
  @Length(10, 256, { message: 'Password must be 10 to 256 characters' })
  @IsString({ message: 'Choose a password' })
  password!: string;

  @SingleLine()
  @Length(1, 100, { message: 'Name must be 1 to 100 characters' })
  @IsString({ message: 'Enter your name' })
  @NormalizedText()
  displayName!: string;
}
