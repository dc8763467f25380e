import { InvalidFieldError } from '../common/forms/invalid-field.error';
import {
  nthLabel,
  withRowRenamed,
  withSeatRenamed,
  withSeatsChanged,
  withSection,
  withoutSection,
} from './map-edits';
import type { MapInput } from './map-plan';

const hall = (): MapInput =>
  withSection(
    { sections: [] },
    { name: 'Stalls', rows: 3, perRow: 4, firstRow: 'A', layout: 'straight', ticketTypeId: 1 },
  );
const seatsOf = (map: MapInput) =>
  map.sections.flatMap((section) =>
    section.rows.flatMap((row) => row.seats.map((seat) => ({ row: row.label, ...seat }))),
  );

describe('map edits', () => {
  it('labels rows on from a letter or a number, past Z as theatres do', () => {
    expect([0, 1, 25, 26, 27].map((n) => nthLabel('A', n))).toEqual(['A', 'B', 'Z', 'AA', 'AB']);
    expect(nthLabel('c', 2)).toBe('E');
    expect(nthLabel('1', 9)).toBe('10');
  });

  it('adds a section of rows × seats, numbered from 1, below what is drawn already', () => {
    const map = withSection(hall(), {
      name: 'Circle',
      rows: 2,
      perRow: 5,
      firstRow: '1',
      layout: 'curved',
      ticketTypeId: 2,
    });
    const circle = map.sections[1];
    expect(circle.rows.map((row) => row.label)).toEqual(['1', '2']);
    expect(circle.rows[0].seats.map((seat) => seat.label)).toEqual(['1', '2', '3', '4', '5']);
    const stallsBottom = Math.max(...map.sections[0].rows.flatMap((r) => r.seats.map((s) => s.y)));
    expect(Math.min(...circle.rows.flatMap((r) => r.seats.map((s) => s.y)))).toBeGreaterThan(
      stallsBottom,
    );
    // Curved: the ends of a row sit nearer the stage than its middle.
    const [first, , middle] = circle.rows[0].seats;
    expect(first.y).toBeLessThan(middle.y);
    const places = new Set(seatsOf(map).map((seat) => `${seat.x},${seat.y}`));
    expect(places.size).toBe(seatsOf(map).length);
  });

  it('changes the seats a selection names, and only those', () => {
    const map = withSeatsChanged(
      hall(),
      { section: 'stalls', rows: 'A-B', seats: '2-3' },
      {
        unavailable: true,
      },
    );
    expect(
      seatsOf(map)
        .filter((seat) => seat.unavailable)
        .map((seat) => `${seat.row}${seat.label}`),
    ).toEqual(['A2', 'A3', 'B2', 'B3']);
    const retyped = withSeatsChanged(
      map,
      { section: 'Stalls', rows: 'C', seats: '' },
      {
        ticketTypeId: 9,
      },
    );
    expect(seatsOf(retyped).filter((seat) => seat.ticketTypeId === 9)).toHaveLength(4);
  });

  it.each([
    [{ section: 'Circle', rows: '', seats: '' }, 'section'],
    [{ section: 'Stalls', rows: 'A-Q', seats: '' }, 'rowRange'],
    [{ section: 'Stalls', rows: 'A', seats: '9' }, 'seatRange'],
  ])('refuses a selection that names nothing there (%o) at %s', (selection, field) => {
    expect(() => withSeatsChanged(hall(), selection, { unavailable: true })).toThrow(
      expect.objectContaining({ field }) as InvalidFieldError,
    );
  });

  it('renames a row and removes a section', () => {
    const renamed = withRowRenamed(hall(), 'Stalls', 'B', 'BB');
    expect(renamed.sections[0].rows.map((row) => row.label)).toEqual(['A', 'BB', 'C']);
    expect(() => withRowRenamed(hall(), 'Stalls', 'Q', 'R')).toThrow(InvalidFieldError);
    const seat = withSeatRenamed(hall(), 'stalls', 'C', '2', '2a');
    expect(
      seatsOf(seat)
        .filter((each) => each.row === 'C')
        .map((each) => each.label),
    ).toEqual(['1', '2a', '3', '4']);
    expect(seatsOf(seat).filter((each) => each.label === '2')).toHaveLength(2);
    expect(() => withSeatRenamed(hall(), 'Stalls', 'C', '5', '6')).toThrow(InvalidFieldError);
    expect(() => withSeatRenamed(hall(), 'Stalls', 'D', '1', '6')).toThrow(InvalidFieldError);
    expect(withoutSection(hall(), 'STALLS').sections).toEqual([]);
  });
});
