import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { NoControlCharacters, NormalizedText } from '../../common/forms/text.decorators';

export class RegisterForm {
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsEmail({}, { message: 'Enter a valid email address' })
  @MaxLength(254, { message: 'Email must be at most 254 characters' })
  email!: string;

  @IsString({ message: 'Choose a password' })
  @Length(10, 256, { message: 'Password must be 10 to 256 characters' })
  @NoControlCharacters()
  password!: string;

  @NormalizedText()
  @IsString({ message: 'Enter your name' })
  @Length(1, 100, { message: 'Name must be 1 to 100 characters' })
  @NoControlCharacters()
  displayName!: string;
}
