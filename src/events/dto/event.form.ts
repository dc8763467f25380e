import { plainToInstance, Transform } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsDate,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsPrice } from '../../common/forms/price.decorator';
import { PostedDateTime } from '../../common/forms/date-time.decorators';
import { PostedInteger } from '../../common/forms/number.decorators';
import { NoControlCharacters, NormalizedText } from '../../common/forms/text.decorators';
import { parsePriceToCents } from '../../common/money';
import { EventInput } from '../event-input';

const TICKET_FIELDS = ['name', 'price', 'capacity', 'description'] as const;

/**
 * The ticket-type rows of a posted event form, in the order shown, without rows
 * left entirely empty (the form always offers spare rows).
 */
export function postedTicketTypeRows(posted: unknown): Record<string, unknown>[] {
  if (posted === null || typeof posted !== 'object') return [];
  const rows = Object.entries(posted as Record<string, unknown>)
    .filter(([key, row]) => /^\d{1,3}$/.test(key) && row !== null && typeof row === 'object')
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, row]) => row as Record<string, unknown>);
  return rows.filter(
    (row) =>
      row.id ||
      TICKET_FIELDS.some((field) => typeof row[field] === 'string' && row[field].trim() !== ''),
  );
}

export class TicketTypeForm {
  @IsOptional()
  @PostedInteger()
  @IsInt({ message: 'Unknown ticket type' })
  @Min(1, { message: 'Unknown ticket type' })
  id?: number;

  // class-validator reports the bottom-most failing decorator first: the type check goes last.
  @NormalizedText()
  @NoControlCharacters()
  @Length(1, 60, { message: 'Name must be 1 to 60 characters' })
  @IsString({ message: 'Enter a name' })
  name!: string;

  @NormalizedText()
  @IsPrice('Price must be from 0.00 to 100000.00, like 12.50')
  price!: string;

  @PostedInteger()
  @IsInt({ message: 'Capacity must be a whole number from 1 to 100000' })
  @Min(1, { message: 'Capacity must be a whole number from 1 to 100000' })
  @Max(100_000, { message: 'Capacity must be a whole number from 1 to 100000' })
  capacity!: number;

  @NormalizedText()
  @IsOptional()
  @NoControlCharacters()
  @MaxLength(500, { message: 'Description must be at most 500 characters' })
  @IsString({ message: 'Description must be text' })
  description: string = '';

  @PostedDateTime({ optional: true })
  @IsOptional()
  @IsDate({ message: 'Enter the date and time as YYYY-MM-DDTHH:mm, or leave it empty' })
  saleStartsAt: Date | null = null;

  @PostedDateTime({ optional: true })
  @IsOptional()
  @IsDate({ message: 'Enter the date and time as YYYY-MM-DDTHH:mm, or leave it empty' })
  saleEndsAt: Date | null = null;

  @IsOptional()
  @PostedInteger({ whenEmpty: 1 })
  @IsInt({ message: 'Must be a whole number from 1 to 100' })
  @Min(1, { message: 'Must be a whole number from 1 to 100' })
  @Max(100, { message: 'Must be a whole number from 1 to 100' })
  minPerOrder: number = 1;

  @IsOptional()
  @PostedInteger({ whenEmpty: 10 })
  @IsInt({ message: 'Must be a whole number from 1 to 100' })
  @Min(1, { message: 'Must be a whole number from 1 to 100' })
  @Max(100, { message: 'Must be a whole number from 1 to 100' })
  maxPerOrder: number = 10;

  /** A checkbox: present ("on") when ticked. */
  @Transform(({ value }: { value: unknown }) => value !== undefined && value !== '')
  @IsBoolean()
  hidden: boolean = false;
}

export class EventForm {
  @NormalizedText()
  @NoControlCharacters()
  @Length(1, 200, { message: 'Title must be 1 to 200 characters' })
  @IsString({ message: 'Enter a title' })
  title!: string;

  @NormalizedText()
  @IsOptional()
  @NoControlCharacters()
  @MaxLength(5000, { message: 'Description must be at most 5000 characters' })
  @IsString({ message: 'Description must be text' })
  description: string = '';

  @NormalizedText()
  @IsOptional()
  @NoControlCharacters()
  @MaxLength(200, { message: 'Venue must be at most 200 characters' })
  @IsString({ message: 'Venue must be text' })
  venue: string = '';

  /** `YYYY-MM-DDTHH:mm` as a datetime-local input sends it, in the server's time zone. */
  @PostedDateTime()
  @IsDate({ message: 'Enter the date and time as YYYY-MM-DDTHH:mm' })
  startsAt!: Date;

  @PostedDateTime({ optional: true })
  @IsOptional()
  @IsDate({ message: 'Enter the date and time as YYYY-MM-DDTHH:mm, or leave it empty' })
  endsAt: Date | null = null;

  @IsOptional()
  @PostedInteger()
  @IsInt({ message: 'Must be a whole number from 1 to 100' })
  @Min(1, { message: 'Must be a whole number from 1 to 100' })
  @Max(100, { message: 'Must be a whole number from 1 to 100' })
  maxTicketsPerType: number = 10;

  @IsOptional()
  @PostedInteger()
  @IsInt({ message: 'Must be a whole number of minutes from 1 to 120' })
  @Min(1, { message: 'Must be a whole number of minutes from 1 to 120' })
  @Max(120, { message: 'Must be a whole number of minutes from 1 to 120' })
  holdMinutes: number = 15;

  @IsOptional()
  @PostedInteger({ whenEmpty: 24 })
  @IsInt({ message: 'Must be a whole number of hours from 1 to 720' })
  @Min(1, { message: 'Must be a whole number of hours from 1 to 720' })
  @Max(720, { message: 'Must be a whole number of hours from 1 to 720' })
  waitingListHours: number = 24;

  /** A checkbox: present ("on") when ticked. */
  @Transform(({ value }: { value: unknown }) => value !== undefined && value !== '')
  @IsBoolean()
  namePerTicket: boolean = false;

  /** A checkbox: the sale goes through the fair on-sale queue. */
  @Transform(({ value }: { value: unknown }) => value !== undefined && value !== '')
  @IsBoolean()
  queueEnabled: boolean = false;

  @PostedDateTime({ optional: true })
  @IsOptional()
  @IsDate({ message: 'Enter the date and time as YYYY-MM-DDTHH:mm, or leave it empty' })
  onSaleAt: Date | null = null;

  @IsOptional()
  @PostedInteger({ whenEmpty: 300 })
  @IsInt({ message: 'Must be a whole number from 1 to 100000' })
  @Min(1, { message: 'Must be a whole number from 1 to 100000' })
  @Max(100_000, { message: 'Must be a whole number from 1 to 100000' })
  admissionPerMinute: number = 300;

  @IsOptional()
  @PostedInteger({ whenEmpty: 10 })
  @IsInt({ message: 'Must be a whole number of minutes from 1 to 60' })
  @Min(1, { message: 'Must be a whole number of minutes from 1 to 60' })
  @Max(60, { message: 'Must be a whole number of minutes from 1 to 60' })
  admissionMinutes: number = 10;

  @Transform(({ obj }: { obj: Record<string, unknown> }) =>
    postedTicketTypeRows(obj.ticketTypes).map((row) => plainToInstance(TicketTypeForm, row)),
  )
  @IsArray()
  @ValidateNested({ each: true })
  ticketTypes!: TicketTypeForm[];

  toInput(): EventInput {
    return {
      title: this.title,
      description: this.description,
      venue: this.venue,
      startsAt: this.startsAt,
      endsAt: this.endsAt,
      maxTicketsPerType: this.maxTicketsPerType,
      holdMinutes: this.holdMinutes,
      waitingListHours: this.waitingListHours,
      namePerTicket: this.namePerTicket,
      queueEnabled: this.queueEnabled,
      onSaleAt: this.onSaleAt,
      admissionPerMinute: this.admissionPerMinute,
      admissionMinutes: this.admissionMinutes,
      ticketTypes: this.ticketTypes.map((row) => ({
        id: row.id,
        name: row.name,
        priceCents: parsePriceToCents(row.price)!,
        capacity: row.capacity,
        description: row.description,
        saleStartsAt: row.saleStartsAt,
        saleEndsAt: row.saleEndsAt,
        minPerOrder: row.minPerOrder,
        maxPerOrder: row.maxPerOrder,
        hidden: row.hidden,
      })),
    };
  }
}
