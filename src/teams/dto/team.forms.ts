import { IsIn, IsInt, IsString, Length, Min } from 'class-validator';
import { MEMBER_ROLES, type MemberRole } from '../../auth/entities/membership.entity';
import { AccountEmail } from '../../auth/dto/account-fields';
import { PostedInteger } from '../../common/forms/number.decorators';
import { NormalizedText, SingleLine } from '../../common/forms/text.decorators';

const ROLE_MESSAGE = 'Choose owner, manager or door';

export class InviteForm {
  @AccountEmail()
  email!: string;

  @IsIn(MEMBER_ROLES, { message: ROLE_MESSAGE })
  role!: MemberRole;
}

export class RoleForm {
  @IsIn(MEMBER_ROLES, { message: ROLE_MESSAGE })
  role!: MemberRole;
}

export class OrganisationNameForm {
  @SingleLine()
  @Length(1, 100, { message: 'Name must be 1 to 100 characters' })
  @IsString({ message: 'Enter a name' })
  @NormalizedText()
  name!: string;
}

export class SwitchOrganisationForm {
  @PostedInteger()
  @Min(1, { message: 'Choose an organisation' })
  @IsInt({ message: 'Choose an organisation' })
  organisationId!: number;
}

export class AcceptInvitationForm {
  @Length(1, 200, { message: 'This link does not work' })
  @IsString({ message: 'This link does not work' })
  token!: string;
}
