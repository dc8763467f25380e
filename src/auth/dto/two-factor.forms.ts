import { IsString, Length } from 'class-validator';

/** A code from the authenticator app, or a recovery code. */
export class CodeForm {
  @Length(1, 40, { message: 'Enter the code' })
  @IsString({ message: 'Enter the code' })
  code!: string;
}
