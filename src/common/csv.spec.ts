import { csvCell, csvRecord } from './csv';

describe('csvCell', () => {
  it('quotes every cell with text in it, plain text too', () => {
    expect(csvCell('Ada Lovelace')).toBe('"Ada Lovelace"');
  });

  it('writes numbers as they are, quoted', () => {
    expect(csvCell(42)).toBe('"42"');
  });

  it('writes null and undefined as empty cells', () => {
    expect([csvCell(null), csvCell(undefined)]).toEqual(['', '']);
  });

  it('quotes a cell containing a comma', () => {
    expect(csvCell('Lovelace, Ada')).toBe('"Lovelace, Ada"');
  });

  it('quotes a cell containing a quote and doubles the quote', () => {
    expect(csvCell('Ada "Countess" Lovelace')).toBe('"Ada ""Countess"" Lovelace"');
  });

  it('quotes a cell containing a line feed', () => {
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it.each(['=HYPERLINK("http://evil.example","x")', '+1', '-1', '@x', '\tx', '\rx'])(
    'neutralises a cell that a spreadsheet would read as a formula: %j',
    (text) => {
      expect(csvCell(text).replace(/^"/, '')).toMatch(/^'/);
    },
  );

  it('neutralises a formula before quoting it', () => {
    expect(csvCell('=1+2,3')).toBe(`"'=1+2,3"`);
  });

  it('leaves a formula character that is not at the start alone', () => {
    expect(csvCell('a=b')).toBe('"a=b"');
  });

  it.each(['x;=1+1;', 'x\t=1+1'])(
    'keeps %j one cell in a spreadsheet whose separator is ; or TAB (quoted)',
    (text) => {
      expect(csvCell(text)).toBe(`"${text}"`);
    },
  );
});

describe('csvRecord', () => {
  it('joins the cells with commas and ends the record with CRLF', () => {
    expect(csvRecord(['a', 2, null, 'd'])).toBe('"a","2",,"d"\r\n');
  });
});
