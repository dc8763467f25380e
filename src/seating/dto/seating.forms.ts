import { IsIn, IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { PostedInteger } from '../../common/forms/number.decorators';
import { NormalizedText, SingleLine } from '../../common/forms/text.decorators';
import type { NewSection, SeatChange, SeatSelection } from '../map-edits';

/**
 * A section's name as the forms take it (the map's rules: one line, 1 to 60 characters). Applied
 * as stacked decorators would be, bottom first: the form shows the most basic check that fails.
 */
const SectionName = () => (target: object, key: string) => {
  IsString({ message: 'Name the section' })(target, key);
  Length(1, 60, { message: 'Name the section (at most 60 characters)' })(target, key);
  SingleLine({ message: 'Name the section on one line' })(target, key);
  NormalizedText()(target, key);
};

/** "Add seats": a section of rows × seats of one ticket type, straight or curved. */
export class NewSectionForm {
  @SectionName()
  name!: string;

  @PostedInteger()
  @IsInt({ message: 'Rows must be a whole number from 1 to 200' })
  @Min(1, { message: 'Rows must be a whole number from 1 to 200' })
  @Max(200, { message: 'Rows must be a whole number from 1 to 200' })
  rows!: number;

  @PostedInteger()
  @IsInt({ message: 'Seats per row must be a whole number from 1 to 500' })
  @Min(1, { message: 'Seats per row must be a whole number from 1 to 500' })
  @Max(500, { message: 'Seats per row must be a whole number from 1 to 500' })
  perRow!: number;

  @Matches(/^([A-Za-z]|\d{1,3})$/, { message: 'Start the rows at a letter (A) or a number (1)' })
  @NormalizedText()
  firstRow: string = 'A';

  @IsIn(['straight', 'curved'], { message: 'Choose straight or curved rows' })
  layout: 'straight' | 'curved' = 'straight';

  @PostedInteger()
  @IsInt({ message: 'Choose one of this event’s ticket types' })
  @Min(1, { message: 'Choose one of this event’s ticket types' })
  ticketTypeId!: number;

  toNewSection(): NewSection {
    return { ...this };
  }
}

const LABEL_RANGES = /^[A-Za-z0-9 ,-]{0,200}$/;

/** "Change seats": some seats of a section given another ticket type, or taken off or put on sale. */
export class SeatChangeForm {
  @SectionName()
  section!: string;

  @Matches(LABEL_RANGES, { message: 'Name rows like A-C or A, D (empty: every row)' })
  @NormalizedText()
  rowRange: string = '';

  @Matches(LABEL_RANGES, { message: 'Name seats like 1-10 or 3, 4 (empty: every seat)' })
  @NormalizedText()
  seatRange: string = '';

  /** `type:<ticketTypeId>`, `unavailable` or `available`. */
  @Matches(/^(type:[1-9]\d{0,9}|unavailable|available)$/, { message: 'Choose what to change' })
  change: string = '';

  toSelection(): SeatSelection {
    return { section: this.section, rows: this.rowRange, seats: this.seatRange };
  }

  toChange(): SeatChange {
    if (this.change.startsWith('type:')) return { ticketTypeId: Number(this.change.slice(5)) };
    return { unavailable: this.change === 'unavailable' };
  }
}

/** "Rename a row or a seat": the row's label, or (a seat named) that seat's. */
export class RenameForm {
  @SectionName()
  section!: string;

  @Length(1, 10, { message: 'Name the row to rename' })
  @IsString({ message: 'Name the row to rename' })
  @NormalizedText()
  row!: string;

  @Length(0, 10, { message: 'Name the seat to rename (empty: the row)' })
  @IsString({ message: 'Name the seat to rename (empty: the row)' })
  @NormalizedText()
  seat: string = '';

  @SingleLine({ message: 'Write the new label on one line' })
  @Length(1, 10, { message: 'Write the new label (at most 10 characters)' })
  @IsString({ message: 'Write the new label' })
  @NormalizedText()
  label!: string;
}

/** "Remove this section". */
export class SectionRemovalForm {
  @SectionName()
  section!: string;
}
