import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { NoControlCharacters, PlainEmail } from '../../common/forms/text.decorators';
import { AcceptablePassword } from '../passwords/password-policy';

// applyDecorators applies them in the order listed (as the bottom-up order of stacked decorators)
// and a field shows its first failed check, so the most basic check comes first.

/** An account's email: trimmed, lower-case, plain `local@domain`, at most 254 characters. */
export const AccountEmail = () =>
  applyDecorators(
    IsEmail({}, { message: 'Enter a valid email address' }),
    MaxLength(254, { message: 'Email must be at most 254 characters' }),
    PlainEmail('Enter a valid email address'),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.trim().toLowerCase() : value,
    ),
  );

/** A password being chosen: 10 to 256 characters, not a common one. */
export const NewPassword = () =>
  applyDecorators(
    IsString({ message: 'Choose a password' }),
    Length(10, 256, { message: 'Password must be 10 to 256 characters' }),
    NoControlCharacters(),
    AcceptablePassword(),
  );

/** The password the account has now, asked again before a change. */
export const CurrentPassword = () =>
  applyDecorators(
    IsString({ message: 'Enter your current password' }),
    Length(1, 256, { message: 'Enter your current password' }),
  );
