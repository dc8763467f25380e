import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it.each([
    ['olive@example.com', 'Olive@Example.com'],
    ['olive.organiser@example.com', 'olive.organiser'],
  ])('refuses the email %s itself (%s)', (email, password) => {
    expect(passwordProblem(password, email)).toBe('Password must not be your email address');
  });

  it.each(['password123', 'Password123', 'QWERTYUIOP', '1234567890', 'boxoffice123'])(
    'refuses the common password %s',
    (password) => {
      expect(passwordProblem(password, 'olive@example.com')).toBe(
        'This password is one of the most common ones; choose another',
      );
    },
  );

  it.each(['correct horse battery', 'Tr0ub4dor&3-extended', 'my box office at the pier'])(
    'accepts %s',
    (password) => {
      expect(passwordProblem(password, 'olive@example.com')).toBeUndefined();
    },
  );
});
