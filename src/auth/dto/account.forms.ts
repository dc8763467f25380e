import { IsString, MaxLength } from 'class-validator';
import { AccountEmail, CurrentPassword, NewPassword } from './account-fields';

export class ForgotPasswordForm {
  @AccountEmail()
  email!: string;
}

/** A form posted from a mailed link: the link's token rides along. */
export class LinkForm {
  @MaxLength(100, { message: 'This link does not work.' })
  @IsString({ message: 'This link does not work.' })
  token!: string;
}

export class ResetPasswordForm extends LinkForm {
  @NewPassword()
  password!: string;
}

export class ChangePasswordForm {
  @CurrentPassword()
  currentPassword!: string;

  @NewPassword()
  newPassword!: string;
}

export class ChangeEmailForm {
  @AccountEmail()
  email!: string;

  /** The current password, asked again. */
  @CurrentPassword()
  password!: string;
}
