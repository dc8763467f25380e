import { InvalidFormError } from '../common/forms/invalid-field.error';
import { MapInput, planMap, StoredSeat } from './map-plan';

const row = (label: string, seats: string[], ticketTypeId = 1, y = 0) => ({
  label,
  seats: seats.map((seat, index) => ({ label: seat, ticketTypeId, x: index * 10, y })),
});
const stored = (
  id: number,
  rowLabel: string,
  label: string,
  sectionName = 'Stalls',
): StoredSeat => ({
  id,
  sectionName,
  rowLabel,
  label,
  ticketTypeId: 1,
  unavailable: false,
});
const refusals = (input: MapInput, seats: StoredSeat[] = []) => {
  try {
    planMap(input, seats, new Set([1, 2]));
  } catch (error) {
    if (error instanceof InvalidFormError) return error.errors;
    throw error;
  }
  return {};
};

describe('planMap', () => {
  it('keeps stored seats by section (any case), row and label; the rest are new or removed', () => {
    const plan = planMap(
      { sections: [{ name: 'STALLS', rows: [row('A', ['1', '2', '3'])] }] },
      [stored(7, 'A', '1'), stored(8, 'A', '2'), stored(9, 'B', '1')],
      new Set([1]),
    );
    expect(plan.seats.map((seat) => [seat.label, seat.id, seat.seatIndex])).toEqual([
      ['1', 7, 0],
      ['2', 8, 1],
      ['3', undefined, 2],
    ]);
    expect(plan.removed.map((seat) => seat.id)).toEqual([9]);
  });

  it('keeps a seat named by id under its new label, and lets a new seat take its old label', () => {
    const input: MapInput = {
      sections: [
        {
          name: 'Stalls',
          rows: [
            {
              label: 'A',
              seats: [
                { id: 7, label: '2', ticketTypeId: 1, x: 0, y: 0 },
                { label: '1', ticketTypeId: 1, x: 10, y: 0 },
              ],
            },
          ],
        },
      ],
    };
    const plan = planMap(input, [stored(7, 'A', '1')], new Set([1]));
    expect(plan.seats.map((seat) => [seat.label, seat.id])).toEqual([
      ['2', 7],
      ['1', undefined],
    ]);
    expect(plan.removed).toEqual([]);
  });

  it('names every bad path at once', () => {
    const input: MapInput = {
      sections: [
        { name: 'Stalls', rows: [row('A', ['1', '1']), row('A', ['1'], 3, 50)] },
        { name: 'stalls', rows: [] },
      ],
    };
    expect(Object.keys(refusals(input))).toEqual([
      'sections.0.rows.0.seats.1.label',
      'sections.0.rows.1.label',
      'sections.0.rows.1.seats.0.ticketTypeId',
      'sections.1.name',
    ]);
  });

  it('refuses an id listed twice, and one not on the stored map', () => {
    const seat = { id: 7, label: '1', ticketTypeId: 1, x: 0, y: 0 };
    const input: MapInput = {
      sections: [
        {
          name: 'Stalls',
          rows: [
            {
              label: 'A',
              seats: [seat, { ...seat, label: '2', x: 10 }, { ...seat, id: 99, label: '3', x: 20 }],
            },
          ],
        },
      ],
    };
    expect(refusals(input, [stored(7, 'A', '1')])).toEqual({
      'sections.0.rows.0.seats.1.id': 'This seat is listed twice.',
      'sections.0.rows.0.seats.2.id': 'Not a seat of this event’s map.',
    });
  });
});
