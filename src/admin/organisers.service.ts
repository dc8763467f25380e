import { Injectable } from '@nestjs/common';
import { UserListItem, UsersService } from '../auth/users.service';
import { EventsService } from '../events/events.service';

export interface Organiser extends UserListItem {
  eventCount: number;
}

/** The admin's view of the accounts: who they are, and how many events each organises. */
@Injectable()
export class OrganisersService {
  constructor(
    private readonly users: UsersService,
    private readonly events: EventsService,
  ) {}

  async list(): Promise<Organiser[]> {
    const [users, eventCounts] = await Promise.all([
      this.users.list(),
      this.events.countByOrganiser(),
    ]);
    return users.map((user) => ({ ...user, eventCount: eventCounts.get(user.id) ?? 0 }));
  }
}
