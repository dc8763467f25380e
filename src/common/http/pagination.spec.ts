import { NotFoundException } from '@nestjs/common';
import { assertPageExists, neighbourPages, requestedPage } from './pagination';

describe('pagination of pages', () => {
  it('reads ?page=N and falls back to the first page for anything else', () => {
    expect(requestedPage('3')).toBe(3);
    expect(requestedPage(undefined)).toBe(1);
    for (const bad of ['0', '-1', '1.5', 'abc', '', ['2', '3'], { a: 1 }])
      expect(requestedPage(bad)).toBe(1);
  });

  it('refuses a page past 1,000,000 with 404, however many digits it has', () => {
    expect(requestedPage('1000000')).toBe(1_000_000);
    for (const far of ['1000001', '9999999', '99999999999999999999999'])
      expect(() => requestedPage(far)).toThrow(NotFoundException);
  });

  it('refuses an empty page past the first with 404; an empty first page is an empty list', () => {
    expect(() => assertPageExists(2, 0)).toThrow(NotFoundException);
    expect(() => assertPageExists(1, 0)).not.toThrow();
    expect(() => assertPageExists(2, 1)).not.toThrow();
  });

  it('links to the pages before and after, and back into range from beyond the last', () => {
    expect(neighbourPages(1, 10, 25)).toEqual({ previousPage: undefined, nextPage: 2 });
    expect(neighbourPages(2, 10, 25)).toEqual({ previousPage: 1, nextPage: 3 });
    expect(neighbourPages(3, 10, 25)).toEqual({ previousPage: 2, nextPage: undefined });
    expect(neighbourPages(9, 10, 25)).toEqual({ previousPage: 3, nextPage: undefined });
    expect(neighbourPages(1, 10, 0)).toEqual({ previousPage: undefined, nextPage: undefined });
  });
});
