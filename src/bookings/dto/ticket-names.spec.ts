import qs from 'qs';
import { postedTicketNames } from './ticket-names';

/** As the form body parser reads a posted form (see form-body-parser.ts). */
const parsed = (body: string) =>
  qs.parse(body, { parseArrays: false, depth: 3, parameterLimit: 1000 }).ticketNames;

describe('postedTicketNames', () => {
  it('reads one list per ticket type, in order, trimmed, blanks left out', () => {
    const body =
      'ticketNames[12][]=Ann&ticketNames[12][]=%20&ticketNames[12][]=%20Bob%20&ticketNames[13][]=Cy';
    expect(postedTicketNames(parsed(body))).toEqual({ 12: ['Ann', 'Bob'], 13: ['Cy'] });
  });

  it('keeps the order of 30 names, past the parser’s array limit', () => {
    const names = Array.from({ length: 30 }, (_, n) => `Guest ${n + 1}`);
    const body = names.map((name) => `ticketNames[7][]=${encodeURIComponent(name)}`).join('&');
    expect(postedTicketNames(parsed(body))).toEqual({ 7: names });
  });

  it('reads numbered fields (ticketNames[7][0]) the same way', () => {
    expect(postedTicketNames(parsed('ticketNames[7][1]=Bob&ticketNames[7][0]=Ann'))).toEqual({
      7: ['Ann', 'Bob'],
    });
  });

  it('leaves what is not a list of names for the validator to refuse', () => {
    expect(postedTicketNames('Ann')).toBe('Ann');
    expect(postedTicketNames(['Ann'])).toEqual(['Ann']);
  });
});
