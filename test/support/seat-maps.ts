/** A section of `rows` straight rows (A, B, …) of `perRow` seats numbered from 1, all of one ticket type. */
export function gridSection(
  name: string,
  rows: number,
  perRow: number,
  ticketTypeId: number | ((row: number, seat: number) => number),
  origin = { x: 0, y: 0 },
) {
  return {
    name,
    rows: Array.from({ length: rows }, (_, row) => ({
      label: rowLabel(row),
      seats: Array.from({ length: perRow }, (_, seat) => ({
        label: String(seat + 1),
        ticketTypeId: typeof ticketTypeId === 'number' ? ticketTypeId : ticketTypeId(row, seat),
        x: origin.x + seat * 30,
        y: origin.y + row * 30,
      })),
    })),
  };
}

/** A, B, … Z, AA, AB, …: how theatres label rows. */
export function rowLabel(index: number): string {
  const letter = String.fromCharCode(65 + (index % 26));
  return index < 26 ? letter : rowLabel(Math.floor(index / 26) - 1) + letter;
}

/** The seats buyer `n` of a rush picks of `seats`: one to three of them, some the same as others pick. */
export function pickFor(n: number, seats: number[]): number[] {
  const count = 1 + (n % 3);
  return Array.from({ length: count }, (_, k) => seats[(n * 7 + k * 3) % seats.length]);
}
