import { DateTime } from 'luxon';
import { DateRule, expandRule, MAX_DATES_PER_RULE, TooManyDatesError } from './date-rule';

const ZONE = 'Europe/Berlin';
/** The wall-clock time of a moment in ZONE, as `YYYY-MM-DD HH:mm`. */
const local = (date: Date) =>
  DateTime.fromJSDate(date, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm');

describe('expandRule (dates from a weekly rule)', () => {
  // Daylight saving starts on 28 March 2027 and ends on 31 October 2027 in ZONE.
  const weekends: DateRule = {
    freq: 'weekly',
    byWeekday: ['FR', 'SA'],
    time: '19:30',
    from: '2027-03-19',
    count: 6,
  };

  it('makes the chosen weekdays at the local time, keeping 19:30 across the change to summer time', () => {
    const dates = expandRule(weekends, ZONE);
    expect(dates.map((date) => local(date.startsAt))).toEqual([
      '2027-03-19 19:30',
      '2027-03-20 19:30',
      '2027-03-26 19:30',
      '2027-03-27 19:30',
      '2027-04-02 19:30',
      '2027-04-03 19:30',
    ]);
    // Winter time is UTC+1, summer time UTC+2: the instants move, the wall clock does not.
    expect(dates[3].startsAt.toISOString()).toBe('2027-03-27T18:30:00.000Z');
    expect(dates[4].startsAt.toISOString()).toBe('2027-04-02T17:30:00.000Z');
  });

  it('keeps the local time across the change back to winter time too', () => {
    const dates = expandRule({ ...weekends, from: '2027-10-29', count: 4 }, ZONE);
    expect(dates.map((date) => local(date.startsAt))).toEqual([
      '2027-10-29 19:30',
      '2027-10-30 19:30',
      '2027-11-05 19:30',
      '2027-11-06 19:30',
    ]);
    expect(dates[1].startsAt.toISOString()).toBe('2027-10-30T17:30:00.000Z');
    expect(dates[2].startsAt.toISOString()).toBe('2027-11-05T18:30:00.000Z');
  });

  it('runs until a day, that day included, and gives each date its duration', () => {
    const dates = expandRule(
      {
        freq: 'weekly',
        byWeekday: ['WE'],
        time: '20:00',
        from: '2027-01-01',
        until: '2027-01-20',
        durationMinutes: 150,
      },
      ZONE,
    );
    expect(dates.map((date) => local(date.startsAt))).toEqual([
      '2027-01-06 20:00',
      '2027-01-13 20:00',
      '2027-01-20 20:00',
    ]);
    expect(dates.map((date) => local(date.endsAt!))).toEqual([
      '2027-01-06 22:30',
      '2027-01-13 22:30',
      '2027-01-20 22:30',
    ]);
  });

  it('has no end without a duration', () => {
    expect(expandRule({ ...weekends, count: 1 })[0].endsAt).toBeNull();
  });

  it(`makes at most ${MAX_DATES_PER_RULE} dates, naming what to shorten`, () => {
    const daily: DateRule = {
      freq: 'weekly',
      byWeekday: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'],
      time: '10:00',
      from: '2027-01-01',
    };
    expect(expandRule({ ...daily, count: MAX_DATES_PER_RULE })).toHaveLength(MAX_DATES_PER_RULE);
    expect(() => expandRule({ ...daily, count: MAX_DATES_PER_RULE + 1 })).toThrow(
      new TooManyDatesError('count'),
    );
    expect(() => expandRule({ ...daily, until: '2030-01-01' })).toThrow(TooManyDatesError);
    try {
      expandRule({ ...daily, until: '2030-01-01' });
    } catch (error) {
      expect((error as TooManyDatesError).field).toBe('until');
    }
  });
});

it('places local times in the server’s own time zone by default (TZ)', () => {
  const [first] = expandRule({
    freq: 'weekly',
    byWeekday: ['MO'],
    time: '09:15',
    from: '2027-05-03',
    count: 1,
  });
  expect([first.startsAt.getHours(), first.startsAt.getMinutes()]).toEqual([9, 15]);
});
