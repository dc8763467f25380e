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
export function seatPicker(
  sections: MapSection[],
  types: PickerType[],
  picked: Set<number>,
  money: (cents: number) => string,
) {
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
    // Thousands of seats: each one's markup is kept small, its words made here.
    seats: sections.flatMap((section) =>
      section.rows.flatMap((row) =>
        row.seats.map((seat) => {
          // A free seat of a type not on sale (yet, or any more) cannot be picked.
          const status =
            seat.status === 'free' && !buyable(seat.status, seat.ticketTypeId)
              ? 'unavailable'
              : seat.status;
          return {
            id: seat.id,
            x: seat.x,
            y: seat.y,
            status,
            fill: status === 'free' ? zone.get(seat.ticketTypeId)!.colour : undefined,
            title: `${section.name}, row ${row.label}, seat ${seat.label}`,
            picked: picked.has(seat.id),
          };
        }),
      ),
    ),
    legend: [...zone.values()],
    sections: sections
      .map((section) => ({
        name: section.name,
        rows: section.rows
          .map((row) => {
            const free = row.seats.filter((seat) => buyable(seat.status, seat.ticketTypeId));
            const prices = [
              ...new Set(free.map((seat) => zone.get(seat.ticketTypeId)!.priceCents)),
            ];
            return {
              label: row.label,
              prices: prices
                .sort((a, b) => a - b)
                .map(money)
                .join(' or '),
              seats: free.map((seat) => ({
                id: seat.id,
                label: seat.label,
                priceCents: zone.get(seat.ticketTypeId)!.priceCents,
                picked: picked.has(seat.id),
              })),
            };
          })
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
