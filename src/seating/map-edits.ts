import { InvalidFieldError } from '../common/forms/invalid-field.error';
import { MapInput } from './map-plan';

type Section = MapInput['sections'][number];
type Row = Section['rows'][number];

/** What the organiser's "Add seats" form asks for: a block of rows × seats of one ticket type. */
export interface NewSection {
  name: string;
  rows: number;
  perRow: number;
  /** The first row's label: a letter (rows go on A, B, …) or a number (1, 2, …). */
  firstRow: string;
  /** Curved rows bow towards the stage at their ends, as in a theatre. */
  layout: 'straight' | 'curved';
  ticketTypeId: number;
}

/** Seats 30 units apart, rows 34, a new section 60 below what is drawn already. */
const SEAT_SPACING = 30;
const ROW_SPACING = 34;
const SECTION_GAP = 60;

/** The map with a new section below the others: rows labelled on from `firstRow`, seats numbered 1 to N. */
export function withSection(map: MapInput, spec: NewSection): MapInput {
  const seats = map.sections.flatMap((section) => section.rows.flatMap((row) => row.seats));
  const top = seats.length ? Math.max(...seats.map((seat) => seat.y)) + SECTION_GAP : 0;
  const width = (spec.perRow - 1) * SEAT_SPACING;
  const rows: Row[] = Array.from({ length: spec.rows }, (_, row) => ({
    label: nthLabel(spec.firstRow, row),
    seats: Array.from({ length: spec.perRow }, (_, seat) => {
      const x = seat * SEAT_SPACING;
      // A gentle parabola: the row's middle sits three quarters of a row further back than its ends.
      const bow =
        spec.layout === 'curved' && width > 0
          ? Math.round(0.75 * ROW_SPACING * (1 - ((2 * x) / width - 1) ** 2))
          : 0;
      return {
        label: String(seat + 1),
        ticketTypeId: spec.ticketTypeId,
        x,
        y: top + row * ROW_SPACING + bow,
      };
    }),
  }));
  return { sections: [...map.sections, { name: spec.name, rows }] };
}

/** The label `n` places after `first`: B, C … after A (then AA, AB …), 2, 3 … after 1. */
export function nthLabel(first: string, n: number): string {
  if (/^\d+$/.test(first)) return String(Number(first) + n);
  const start = first.toUpperCase().charCodeAt(0) - 65;
  const index = start + n;
  const letter = String.fromCharCode(65 + (index % 26));
  return index < 26 ? letter : nthLabel('A', Math.floor(index / 26) - 1) + letter;
}

/** Which seats the "Change seats" form means: a section, some of its rows, some seats of them. */
export interface SeatSelection {
  section: string;
  /** `A-C`, `A, D` or empty for every row. */
  rows: string;
  /** `1-10`, `3, 4` or empty for every seat. */
  seats: string;
}

export type SeatChange = { ticketTypeId: number } | { unavailable: boolean };

/** The map with the selected seats given another ticket type, or made (un)available. */
export function withSeatsChanged(
  map: MapInput,
  selection: SeatSelection,
  change: SeatChange,
): MapInput {
  const section = sectionNamed(map, selection.section);
  const rows = picked(
    section.rows.map((row) => row.label),
    selection.rows,
    'rowRange',
  );
  let count = 0;
  const sections = map.sections.map((each) =>
    each !== section
      ? each
      : {
          ...each,
          rows: each.rows.map((row) => {
            if (!rows.has(row.label)) return row;
            const seats = picked(
              row.seats.map((seat) => seat.label),
              selection.seats,
              'seatRange',
            );
            return {
              ...row,
              seats: row.seats.map((seat) => {
                if (!seats.has(seat.label)) return seat;
                count++;
                return { ...seat, ...change };
              }),
            };
          }),
        },
  );
  if (count === 0)
    throw new InvalidFieldError('seatRange', 'No seat of those rows has those numbers.');
  return { sections };
}

/** The map with one row of a section labelled anew. */
export function withRowRenamed(
  map: MapInput,
  sectionName: string,
  row: string,
  label: string,
): MapInput {
  const section = sectionNamed(map, sectionName);
  if (!section.rows.some((each) => each.label === row))
    throw new InvalidFieldError('row', `“${section.name}” has no row ${row}.`);
  return {
    sections: map.sections.map((each) =>
      each !== section
        ? each
        : { ...each, rows: each.rows.map((r) => (r.label === row ? { ...r, label } : r)) },
    ),
  };
}

/** The map with one seat of a row labelled anew. */
export function withSeatRenamed(
  map: MapInput,
  sectionName: string,
  row: string,
  seat: string,
  label: string,
): MapInput {
  const section = sectionNamed(map, sectionName);
  const named = section.rows.find((each) => each.label === row);
  if (!named) throw new InvalidFieldError('row', `“${section.name}” has no row ${row}.`);
  if (!named.seats.some((each) => each.label === seat))
    throw new InvalidFieldError('seat', `Row ${row} of “${section.name}” has no seat ${seat}.`);
  const renamed = {
    ...named,
    seats: named.seats.map((each) => (each.label === seat ? { ...each, label } : each)),
  };
  return {
    sections: map.sections.map((each) =>
      each !== section
        ? each
        : { ...each, rows: each.rows.map((r) => (r === named ? renamed : r)) },
    ),
  };
}

/** The map without one section (its seats go too, unless one is booked: the map refuses then). */
export function withoutSection(map: MapInput, sectionName: string): MapInput {
  const section = sectionNamed(map, sectionName);
  return { sections: map.sections.filter((each) => each !== section) };
}

function sectionNamed(map: MapInput, name: string): Section {
  const section = map.sections.find(
    (each) => each.name.toLocaleLowerCase('en') === name.toLocaleLowerCase('en'),
  );
  if (!section) throw new InvalidFieldError('section', `The map has no section “${name}”.`);
  return section;
}

/**
 * The labels a range names, in the order given: `A-C` (from one label to another, as they come in
 * the list), `A, D`, or empty for all. Refuses labels the list does not have.
 */
function picked(labels: string[], wanted: string, field: 'rowRange' | 'seatRange'): Set<string> {
  if (wanted.trim() === '') return new Set(labels);
  const chosen = new Set<string>();
  for (const part of wanted
    .split(',')
    .map((each) => each.trim())
    .filter(Boolean)) {
    const [from, to = from] = part.split('-').map((each) => each.trim());
    const [start, end] = [labels.indexOf(from), labels.indexOf(to)];
    if (start < 0 || end < 0) {
      throw new InvalidFieldError(
        field,
        `No ${field === 'rowRange' ? 'row' : 'seat'} ${start < 0 ? from : to} here: use labels of the map, like ${labels[0]}-${labels[labels.length - 1]}.`,
      );
    }
    for (const label of labels.slice(Math.min(start, end), Math.max(start, end) + 1))
      chosen.add(label);
  }
  return chosen;
}
