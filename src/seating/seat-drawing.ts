import type { MapSection, SeatStatus } from './seat-map';

/** Colours of the price zones, one per seated ticket type (each distinct at a glance, AA on white). */
const ZONE_COLOURS = ['#1d4ed8', '#be185d', '#047857', '#b45309', '#6d28d9', '#0e7490'];

/** Each seated ticket type's colour, by its place among them: the same on the editor and the buy page. */
export function zoneColours(seatedTypes: { id: number }[]): Map<number, string> {
  return new Map(
    seatedTypes.map((type, index) => [type.id, ZONE_COLOURS[index % ZONE_COLOURS.length]]),
  );
}
/** Room around the seats for the stage along the top. */
const MARGIN = 40;

/**
 * The map drawn (views/partials/seat-drawing.hbs): the stage along the top, each seat where it
 * sits, free ones in their zone's colour (`colourOf` its ticket type; none: not for sale), the
 * rest by status. Thousands of seats: each one's markup is kept small, its words made here.
 */
export function seatDrawing(
  sections: MapSection[],
  colourOf: (ticketTypeId: number) => string | undefined,
  picked: Set<number> = new Set(),
) {
  const all = sections.flatMap((section) => section.rows.flatMap((row) => row.seats));
  if (all.length === 0) return undefined;
  const xs = all.map((seat) => seat.x);
  const ys = all.map((seat) => seat.y);
  const [left, top] = [Math.min(...xs) - MARGIN, Math.min(...ys) - 2 * MARGIN];
  const [width, height] = [Math.max(...xs) - left + MARGIN, Math.max(...ys) - top + MARGIN];
  return {
    viewBox: `${left} ${top} ${width} ${height}`,
    stage: { x: left + MARGIN, y: top + 10, width: width - 2 * MARGIN, labelX: left + width / 2 },
    seats: sections.flatMap((section) =>
      section.rows.flatMap((row) =>
        row.seats.map((seat) => {
          const colour = colourOf(seat.ticketTypeId);
          // A free seat of a type not on sale (yet, or any more) cannot be picked.
          const status: SeatStatus =
            seat.status === 'free' && !colour ? 'unavailable' : seat.status;
          return {
            id: seat.id,
            x: seat.x,
            y: seat.y,
            status,
            fill: status === 'free' ? colour : undefined,
            zone: colour,
            title: `${section.name}, row ${row.label}, seat ${seat.label}`,
            picked: picked.has(seat.id),
          };
        }),
      ),
    ),
  };
}

const NOT_FOR_SALE = { fill: '#fff', opacity: 1, stroke: '#9ca3af', dash: '3 2' };

/**
 * How the organiser's picture of a date paints a seat (no stylesheet reaches an SVG shown as an
 * image): in its zone's colour, filled in when sold, half when held, open when free.
 */
export function seatPaint(status: SeatStatus, zone: string | undefined) {
  if (status === 'unavailable' || !zone) return NOT_FOR_SALE;
  if (status === 'free') return { fill: '#fff', opacity: 1, stroke: zone };
  return { fill: zone, opacity: status === 'held' ? 0.4 : 1, stroke: zone };
}
