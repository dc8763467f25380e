export type CsvCell = string | number | null | undefined;

/** Characters that make a spreadsheet read a cell as a formula (or, for TAB and CR, hide one). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell: text a spreadsheet would run as a formula gets a leading `'` (OWASP's
 * advice for CSV injection), and every non-empty cell is quoted (RFC 4180), so no separator
 * a spreadsheet might be set to (`;`, TAB) can start a formula in the middle of a cell.
 */
export function csvCell(value: CsvCell): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (text === '') return '';
  if (FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** One record (RFC 4180: CRLF after every record, the first one being the header). */
export const csvRecord = (cells: readonly CsvCell[]): string =>
  `${cells.map(csvCell).join(',')}\r\n`;
