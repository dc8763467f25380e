import { DateTime } from 'luxon';
import { RRule, Weekday } from 'rrule';

/** Weekdays as PRODUCT.md names them in a rule (`byWeekday`). */
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type WeekdayCode = (typeof WEEKDAYS)[number];

/** One rule makes at most this many dates: a weekly series for about ten years of two nights. */
export const MAX_DATES_PER_RULE = 500;

/**
 * Dates made from a rule (PRODUCT.md "Dates"): weekly on the chosen weekdays at a local time,
 * from a day until a day (inclusive) or for `count` dates; each `durationMinutes` long if given.
 */
export interface DateRule {
  freq: 'weekly';
  byWeekday: WeekdayCode[];
  /** `HH:mm`, local (the server's `TZ`). */
  time: string;
  /** `YYYY-MM-DD`. */
  from: string;
  until?: string;
  count?: number;
  durationMinutes?: number;
}

export interface RuleDate {
  startsAt: Date;
  endsAt: Date | null;
}

/** A rule that would make more dates than one rule may: `field` is where to say fewer. */
export class TooManyDatesError extends Error {
  constructor(readonly field: 'until' | 'count') {
    super(`A rule may make at most ${MAX_DATES_PER_RULE} dates.`);
  }
}

const RRULE_DAYS: Record<WeekdayCode, Weekday> = {
  MO: RRule.MO,
  TU: RRule.TU,
  WE: RRule.WE,
  TH: RRule.TH,
  FR: RRule.FR,
  SA: RRule.SA,
  SU: RRule.SU,
};

/** The time zone local times mean: the server's (`TZ`). */
export const serverTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * The dates a (well-formed) rule makes, in order. The rule is expanded in wall-clock time
 * (rrule's "floating" dates, held in UTC fields) and each occurrence then placed in `zone`,
 * so 19:30 stays 19:30 across a daylight-saving change.
 */
export function expandRule(rule: DateRule, zone = serverTimeZone()): RuleDate[] {
  const [year, month, day] = rule.from.split('-').map(Number);
  const [hour, minute] = rule.time.split(':').map(Number);
  const until = rule.until?.split('-').map(Number);
  const wallClock = new RRule({
    freq: RRule.WEEKLY,
    byweekday: rule.byWeekday.map((code) => RRULE_DAYS[code]),
    dtstart: new Date(Date.UTC(year, month - 1, day, hour, minute)),
    until: until ? new Date(Date.UTC(until[0], until[1] - 1, until[2], 23, 59, 59)) : null,
    // One more than allowed, to tell "exactly the limit" from "over it".
    count: rule.count === undefined ? MAX_DATES_PER_RULE + 1 : rule.count,
  }).all();
  if (wallClock.length > MAX_DATES_PER_RULE)
    throw new TooManyDatesError(rule.count === undefined ? 'until' : 'count');
  return wallClock.map((occurrence) => {
    const startsAt = DateTime.fromObject(
      {
        year: occurrence.getUTCFullYear(),
        month: occurrence.getUTCMonth() + 1,
        day: occurrence.getUTCDate(),
        hour: occurrence.getUTCHours(),
        minute: occurrence.getUTCMinutes(),
      },
      { zone },
    ).toJSDate();
    const endsAt = rule.durationMinutes
      ? new Date(startsAt.getTime() + rule.durationMinutes * 60_000)
      : null;
    return { startsAt, endsAt };
  });
}
