import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { PostedDateTime } from '../../../common/forms/date-time.decorators';
import { PostedInteger } from '../../../common/forms/number.decorators';
import { MAX_DATES_PER_RULE, WEEKDAYS, WeekdayCode } from '../date-rule';
import type { NewDates } from '../event-dates.service';

/** The "add one date" form of an event's dates page. */
export class OneDateForm {
  @PostedDateTime()
  @IsDate({ message: 'Enter the date and time as YYYY-MM-DDTHH:mm' })
  startsAt!: Date;

  @PostedDateTime({ optional: true })
  @IsOptional()
  @IsDate({ message: 'Enter the date and time as YYYY-MM-DDTHH:mm, or leave it empty' })
  endsAt: Date | null = null;

  toNewDates(): NewDates {
    return { startsAt: this.startsAt, endsAt: this.endsAt };
  }
}

const emptyAsUndefined = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && value.trim() === '' ? undefined : value,
  );

/** The "add a weekly series" form: weekdays as checkboxes, the rest as a browser's date and time inputs send them. */
export class DateSeriesForm {
  // One checkbox ticked arrives as a string, several as a list.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value))
  @IsIn(WEEKDAYS, { each: true, message: 'Choose weekdays from the list' })
  @ArrayMaxSize(7, { message: 'Choose weekdays from the list' })
  @ArrayMinSize(1, { message: 'Choose at least one weekday' })
  @IsArray({ message: 'Choose at least one weekday' })
  byWeekday: WeekdayCode[] = [];

  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'Enter the time as HH:mm, like 19:30' })
  time: string = '';

  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'Enter the first day as YYYY-MM-DD' })
  from: string = '';

  @emptyAsUndefined()
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, {
    message: 'Enter the last day as YYYY-MM-DD, or leave it empty',
  })
  until?: string;

  @PostedInteger({ whenEmpty: 0 })
  @Max(MAX_DATES_PER_RULE, { message: `At most ${MAX_DATES_PER_RULE} dates at once` })
  @Min(0, { message: 'How many dates: a whole number, or leave it empty' })
  @IsInt({ message: 'How many dates: a whole number, or leave it empty' })
  count: number = 0;

  @PostedInteger({ whenEmpty: 0 })
  @Max(1440, { message: 'How long: at most 1440 minutes (a day)' })
  @Min(0, { message: 'How long: a whole number of minutes, or leave it empty' })
  @IsInt({ message: 'How long: a whole number of minutes, or leave it empty' })
  durationMinutes: number = 0;

  toNewDates(): NewDates {
    return {
      rule: {
        freq: 'weekly',
        byWeekday: this.byWeekday,
        time: this.time,
        from: this.from,
        until: this.until,
        count: this.count || undefined,
        durationMinutes: this.durationMinutes || undefined,
      },
    };
  }
}
