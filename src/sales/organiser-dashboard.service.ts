import { Injectable } from '@nestjs/common';
import type { SessionUser } from '../auth/session-user';
import { assertPageExists, neighbourPages } from '../common/http/pagination';
import { EventsService } from '../events/events.service';
import { SeatingService } from '../seating/seating.service';
import { salesChart } from './sales-chart';
import { SalesTimelineService } from './sales-timeline.service';
import { StatsService } from './stats.service';

const NO_SALES = { revenueCents: 0, receivedCents: 0, dueCents: 0, confirmedBookings: 0 };

/** Events per page of the dashboard: an admin of a large platform gets pages, not everything at once. */
export const DASHBOARD_PAGE_EVENTS = 20;

/**
 * What `GET /organiser` shows: a page of the user's events (an admin's: everyone's), each with
 * its sales, chart and totals; for admins the platform's figures too.
 */
@Injectable()
export class OrganiserDashboardService {
  constructor(
    private readonly events: EventsService,
    private readonly salesTimeline: SalesTimelineService,
    private readonly stats: StatsService,
    private readonly seating: SeatingService,
  ) {}

  async forUser(user: SessionUser, page: number, now = new Date()) {
    const { events, total } = await this.events.pageOfManageable(
      user,
      DASHBOARD_PAGE_EVENTS,
      (page - 1) * DASHBOARD_PAGE_EVENTS,
    );
    assertPageExists(page, events.length);
    const ids = events.map((event) => event.id);
    const [hourly, sales, byType, vouchersRedeemed, dates, seating] = await Promise.all([
      this.salesTimeline.hourlyTicketsSold(ids),
      this.stats.byEvent(ids),
      this.stats.byTicketType(ids),
      this.stats.vouchersRedeemed(ids),
      this.events.scheduledDates(ids),
      this.seating.seatsOnNextDates(ids),
    ]);
    const entries = events.map((event) => {
      const sold = event.ticketTypes.reduce((sum, type) => sum + type.sold, 0);
      // Every scheduled date sells the types' capacity again.
      const capacity =
        event.ticketTypes.reduce((sum, type) => sum + type.capacity, 0) *
        Math.max(1, dates.get(event.id) ?? 1);
      return {
        event,
        ticketTypes: event.ticketTypes.map((type) => ({
          ...type,
          ...(byType.get(type.id) ?? { held: 0, confirmed: 0, paid: 0 }),
        })),
        sold,
        capacity,
        held: event.ticketTypes.reduce((sum, type) => sum + (byType.get(type.id)?.held ?? 0), 0),
        vouchersRedeemed: vouchersRedeemed.get(event.id) ?? 0,
        /** Entries on the event's waiting lists not yet offered tickets. */
        waiting: event.ticketTypes.reduce((sum, type) => sum + type.waiting, 0),
        ...(sales.get(event.id) ?? NO_SALES),
        /** An event with a seat map: how its seats stand on its next date (drawn beside). */
        seating: seating.get(event.id),
        salesChart: salesChart({
          subject: event.title,
          sales: hourly.get(event.id) ?? [],
          capacity,
          now,
        }),
      };
    });
    return {
      events: entries,
      total,
      page,
      ...neighbourPages(page, DASHBOARD_PAGE_EVENTS, total),
      ...(user.role === 'admin'
        ? { platform: await this.platform(now) }
        : { totals: await this.stats.forOrganisation(user.organisation!.id) }),
    };
  }

  /** What a door volunteer's dashboard shows: the organisation's events, to check in or look up. */
  async forDoor(user: SessionUser, page: number) {
    const { events, total } = await this.events.pageOfManageable(
      user,
      DASHBOARD_PAGE_EVENTS,
      (page - 1) * DASHBOARD_PAGE_EVENTS,
    );
    assertPageExists(page, events.length);
    return { events, total, page, ...neighbourPages(page, DASHBOARD_PAGE_EVENTS, total) };
  }

  private async platform(now: Date) {
    const [stats, sales, capacity] = await Promise.all([
      this.stats.platform(),
      this.salesTimeline.platformHourlyTicketsSold(),
      this.stats.capacity(),
    ]);
    return {
      stats,
      salesChart: salesChart({ subject: 'all events', sales, capacity, now }),
    };
  }
}
