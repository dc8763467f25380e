import { Injectable } from '@nestjs/common';
import type { SessionUser } from '../auth/session-user';
import { salesChart } from '../sales/sales-chart';
import { SalesTimelineService } from '../sales/sales-timeline.service';
import type { PlatformStats } from '../sales/stats.service';
import { EventsService } from './events.service';

/** What `GET /organiser` shows: each event with its sales chart, the totals, and for admins the platform's. */
@Injectable()
export class OrganiserDashboardService {
  constructor(
    private readonly events: EventsService,
    private readonly salesTimeline: SalesTimelineService,
  ) {}

  async forUser(user: SessionUser, now = new Date()) {
    const events = await this.events.dashboard(user);
    const sales = await this.salesTimeline.hourlyTicketsSold(events.map((entry) => entry.event.id));
    const totals = {
      sold: events.reduce((sum, entry) => sum + entry.sold, 0),
      capacity: events.reduce((sum, entry) => sum + entry.capacity, 0),
      revenueCents: events.reduce((sum, entry) => sum + entry.revenueCents, 0),
    };
    return {
      events: events.map((entry) => ({
        ...entry,
        salesChart: salesChart({
          subject: entry.event.title,
          sales: sales.get(entry.event.id) ?? [],
          capacity: entry.capacity,
          now,
        }),
      })),
      totals,
      // An admin's dashboard lists every event, so its combined chart covers the platform.
      platform:
        user.role === 'admin'
          ? {
              // The numbers of GET /api/v1/stats, counted from that same list.
              stats: {
                events: events.length,
                publishedEvents: events.filter(({ event }) => event.status === 'published').length,
                ticketsSold: totals.sold,
                revenueCents: totals.revenueCents,
              } satisfies PlatformStats,
              salesChart: salesChart({
                subject: 'all events',
                sales: [...sales.values()].flat(),
                capacity: totals.capacity,
                now,
              }),
            }
          : undefined,
    };
  }
}
