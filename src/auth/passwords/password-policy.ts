import { registerDecorator, ValidationArguments } from 'class-validator';
import { COMMON_PASSWORDS } from './common-passwords';

/** Why this password may not be used for this email, or undefined when it may (length is checked apart). */
export function passwordProblem(password: string, email: string): string | undefined {
  const lower = password.toLowerCase();
  const normalizedEmail = email.trim().toLowerCase();
  if (lower === normalizedEmail || lower === normalizedEmail.split('@')[0]) {
    return 'Password must not be your email address';
  }
  if (COMMON_PASSWORDS.has(lower)) {
    return 'This password is one of the most common ones; choose another';
  }
  return undefined;
}

/** On a form with an `email` field: refuses the email itself and the most common passwords. */
export function AcceptablePassword(): PropertyDecorator {
  const problemOf = (args: ValidationArguments) => {
    const { email } = args.object as { email?: unknown };
    return typeof args.value === 'string'
      ? passwordProblem(args.value, typeof email === 'string' ? email : '')
      : undefined;
  };
  return (target, propertyName) => {
    registerDecorator({
      name: 'acceptablePassword',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (_value: unknown, args: ValidationArguments) => problemOf(args) === undefined,
        defaultMessage: (args: ValidationArguments) => problemOf(args) ?? '',
      },
    });
  };
}
