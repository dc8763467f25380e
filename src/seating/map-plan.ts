import { InvalidFormError } from '../common/forms/invalid-field.error';
import type { FieldErrors } from '../common/forms/form.pipe';

/** A seat map as an organiser sends it (PUT /api/v1/events/:id/seating, or the map editor). */
export interface MapInput {
  sections: {
    name: string;
    rows: {
      label: string;
      seats: {
        id?: number;
        label: string;
        ticketTypeId: number;
        x: number;
        y: number;
        unavailable?: boolean;
      }[];
    }[];
  }[];
}

/** A seat of the map as stored. */
export interface StoredSeat {
  id: number;
  sectionName: string;
  rowLabel: string;
  label: string;
  ticketTypeId: number;
  unavailable: boolean;
}

/** A seat as it will be: `id` when it is a seat kept from the stored map. */
export interface PlannedSeat {
  id?: number;
  /** Where it is in the input, for messages: `sections.0.rows.2.seats.5`. */
  path: string;
  sectionIndex: number;
  rowLabel: string;
  rowIndex: number;
  label: string;
  seatIndex: number;
  ticketTypeId: number;
  x: number;
  y: number;
  unavailable: boolean;
}

export interface MapPlan {
  seats: PlannedSeat[];
  /** Stored seats the new map leaves out. */
  removed: StoredSeat[];
}

/** Most seats one map may have. */
export const MAX_SEATS = 10_000;
/** Most refusals named at once, as for any body (ValidationFailedException). */
const MAX_ERRORS = 100;

const sameName = (name: string) => name.toLocaleLowerCase('en');
const seatKey = (section: string, row: string, seat: string) =>
  JSON.stringify([sameName(section), row, seat]);

/**
 * Checks a map against the event's ticket types and its stored seats, and matches each seat to
 * the stored one it keeps (by `id`, else by section, row and label), so that seats with bookings
 * stay the same seats. Refuses, naming each bad path (400 on the API, 422 on a page), duplicate
 * names, unknown ticket types or seat ids, two seats drawn at one place, and more than MAX_SEATS
 * seats.
 */
export function planMap(
  input: MapInput,
  stored: StoredSeat[],
  ticketTypeIds: Set<number>,
): MapPlan {
  const count = input.sections.reduce(
    (sum, section) => sum + section.rows.reduce((n, row) => n + row.seats.length, 0),
    0,
  );
  if (count > MAX_SEATS) {
    throw new InvalidFormError({
      sections: `A map may have at most ${MAX_SEATS} seats; this one has ${count}.`,
    });
  }
  const errors: FieldErrors = {};
  const refuse = (path: string, message: string) => {
    if (Object.keys(errors).length < MAX_ERRORS && !errors[path]) errors[path] = message;
  };
  const storedById = new Map(stored.map((seat) => [seat.id, seat]));
  const claimedIds = new Set<number>();
  const seats: PlannedSeat[] = [];
  const sectionNames = new Set<string>();
  const places = new Set<string>();

  input.sections.forEach((section, sectionIndex) => {
    const sectionPath = `sections.${sectionIndex}`;
    if (sectionNames.has(sameName(section.name)))
      refuse(`${sectionPath}.name`, `Two sections are called “${section.name}”.`);
    sectionNames.add(sameName(section.name));
    const rowLabels = new Set<string>();
    section.rows.forEach((row, rowIndex) => {
      const rowPath = `${sectionPath}.rows.${rowIndex}`;
      if (rowLabels.has(row.label))
        refuse(`${rowPath}.label`, `Two rows of “${section.name}” are labelled “${row.label}”.`);
      rowLabels.add(row.label);
      const seatLabels = new Set<string>();
      row.seats.forEach((seat, seatIndex) => {
        const path = `${rowPath}.seats.${seatIndex}`;
        if (seatLabels.has(seat.label))
          refuse(`${path}.label`, `Two seats of row ${row.label} are labelled “${seat.label}”.`);
        seatLabels.add(seat.label);
        if (!ticketTypeIds.has(seat.ticketTypeId))
          refuse(`${path}.ticketTypeId`, 'Not one of this event’s ticket types.');
        const place = `${seat.x},${seat.y}`;
        if (places.has(place)) refuse(`${path}.x`, `Another seat is drawn at (${place}).`);
        places.add(place);
        if (seat.id !== undefined) {
          if (!storedById.has(seat.id)) refuse(`${path}.id`, 'Not a seat of this event’s map.');
          else if (claimedIds.has(seat.id)) refuse(`${path}.id`, 'This seat is listed twice.');
          claimedIds.add(seat.id);
        }
        seats.push({
          id: seat.id,
          path,
          sectionIndex,
          rowLabel: row.label,
          rowIndex,
          label: seat.label,
          seatIndex,
          ticketTypeId: seat.ticketTypeId,
          x: seat.x,
          y: seat.y,
          unavailable: seat.unavailable ?? false,
        });
      });
    });
  });
  // 422 on a page's form; the API answers 400 (error-responder).
  if (Object.keys(errors).length) throw new InvalidFormError(errors);

  // Seats named by their labels keep the stored seat of those labels, unless an id claimed it.
  const storedByKey = new Map(
    stored
      .filter((seat) => !claimedIds.has(seat.id))
      .map((seat) => [seatKey(seat.sectionName, seat.rowLabel, seat.label), seat]),
  );
  for (const seat of seats) {
    if (seat.id !== undefined) continue;
    const name = input.sections[seat.sectionIndex].name;
    const match = storedByKey.get(seatKey(name, seat.rowLabel, seat.label));
    if (match) {
      seat.id = match.id;
      claimedIds.add(match.id);
      storedByKey.delete(seatKey(name, seat.rowLabel, seat.label));
    }
  }
  return { seats, removed: stored.filter((seat) => !claimedIds.has(seat.id)) };
}
