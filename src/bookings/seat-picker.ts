import type { MapSection, SeatStatus } from '../seating/seat-map';
import { seatDrawing, zoneColours } from '../seating/seat-drawing';

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
  const colours = zoneColours(seated);
  const zone = new Map(seated.map((type) => [type.id, { ...type, colour: colours.get(type.id)! }]));
  const buyable = (status: SeatStatus, ticketTypeId: number) =>
    status === 'free' && Boolean(zone.get(ticketTypeId)?.buyable);
  const drawing = seatDrawing(
    sections,
    (ticketTypeId) =>
      zone.get(ticketTypeId)?.buyable ? zone.get(ticketTypeId)!.colour : undefined,
    picked,
  );
  return {
    ...drawing,
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
                ticketTypeId: seat.ticketTypeId,
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
