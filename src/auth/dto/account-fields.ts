import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { NoControlCharacters, PlainEmail } from '../../common/forms/text.decorators';
import { AcceptablePassword } from '../passwords/password-policy';

// Decorators apply bottom-up and a field shows its first failed check, so the most basic check comes last.

/** An account's email: trimmed, lower-case, plain `local@domain`, at most 254 characters. */
export const AccountEmail = () =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.trim().toLowerCase() : value,
    ),
    PlainEmail('Enter a valid email address'),
    MaxLength(254, { message: 'Email must be at most 254 characters' }),
    IsEmail({}, { message: 'Enter a valid email address' }),
  );

/** A password being chosen: 10 to 256 characters, not a common one. */
export const NewPassword = () =>
  applyDecorators(
    AcceptablePassword(),
    NoControlCharacters(),
    Length(10, 256, { message: 'Password must be 10 to 256 characters' }),
    IsString({ message: 'Choose a password' }),
  );

/** The password the account has now, asked again before a change. */
export const CurrentPassword = () =>
  applyDecorators(
    Length(1, 256, { message: 'Enter your current password' }),
    IsString({ message: 'Enter your current password' }),
  );
