import { ApiProperty } from '@nestjs/swagger';
import type { Role } from '../../auth/entities/user.entity';

/** An account; never its password hash. */
export class UserResponse {
  @ApiProperty()
  id!: number;

  @ApiProperty()
  email!: string;

  @ApiProperty()
  displayName!: string;

  @ApiProperty({ enum: ['organiser', 'admin'] })
  role!: Role;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ description: 'Events the account organises' })
  eventCount!: number;
}

export class UserListResponse {
  @ApiProperty({ type: [UserResponse] })
  data!: UserResponse[];
}
