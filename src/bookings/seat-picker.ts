import type { MapSection, SeatStatus } from '../seating/seat-map';

/** Colours of the price zones, one per seated ticket type (each distinct at a glance, AA on white). */
const ZONE_COLOURS = ['#1d4ed8', '#be185d', '#047857', '#b45309', '#6d28d9', '#0e7490'];
/** Room around the seats for the stage along the top. */
const MARGIN = 40;

interface PickerType {
  id: number;
  name: string;
  priceCents: number;
  buyable: boolean;
  seated: boolean;
  min: number;
  max: number;
  remaining: number;
}

/**
 * The buy page's seat map: the seats drawn (each in its price zone's colour, as free, held, sold
 * or unavailable), the legend, the free seats as a list of checkboxes grouped by section and row
 * (what keyboards, screen readers and browsers without JavaScript use; a click on a drawn seat
 * ticks its box), and "best available" per seated type. Undefined when the event has no seats.
 */
export function seatPicker(sections: MapSection[], types: PickerType[], picked: Set<number>) {
  const seated = types.filter((type) => type.seated);
  const all = sections.flatMap((section) => section.rows.flatMap((row) => row.seats));
  if (all.length === 0 || seated.length === 0) return undefined;
  const zone = new Map(
    seated.map((type, index) => [
      type.id,
      { ...type, colour: ZONE_COLOURS[index % ZONE_COLOURS.length] },
    ]),
  );
  const xs = all.map((seat) => seat.x);
  const ys = all.map((seat) => seat.y);
  const [left, top] = [Math.min(...xs) - MARGIN, Math.min(...ys) - 2 * MARGIN];
  const [width, height] = [Math.max(...xs) - left + MARGIN, Math.max(...ys) - top + MARGIN];
  const buyable = (status: SeatStatus, ticketTypeId: number) =>
    status === 'free' && Boolean(zone.get(ticketTypeId)?.buyable);
  return {
    viewBox: `${left} ${top} ${width} ${height}`,
    stage: { x: left + MARGIN, y: top + 10, width: width - 2 * MARGIN, labelX: left + width / 2 },
    seats: sections.flatMap((section) =>
      section.rows.flatMap((row) =>
        row.seats.map((seat) => ({
          ...seat,
          section: section.name,
          row: row.label,
          // A free seat of a type not on sale (yet, or any more) cannot be picked.
          status:
            seat.status === 'free' && !buyable(seat.status, seat.ticketTypeId)
              ? 'unavailable'
              : seat.status,
          colour: zone.get(seat.ticketTypeId)?.colour ?? '#6b7280',
          picked: picked.has(seat.id),
        })),
      ),
    ),
    legend: [...zone.values()],
    sections: sections
      .map((section) => ({
        name: section.name,
        rows: section.rows
          .map((row) => ({
            label: row.label,
            seats: row.seats
              .filter((seat) => buyable(seat.status, seat.ticketTypeId))
              .map((seat) => ({
                ...seat,
                priceCents: zone.get(seat.ticketTypeId)!.priceCents,
                colour: zone.get(seat.ticketTypeId)!.colour,
                picked: picked.has(seat.id),
              })),
          }))
          .filter((row) => row.seats.length > 0),
      }))
      .filter((section) => section.rows.length > 0),
    bestAvailable: seated
      .filter((type) => type.buyable)
      .map((type) => ({
        ...type,
        choices: Array.from({ length: Math.min(type.max, type.remaining) }, (_, n) => n + 1),
      })),
  };
}
