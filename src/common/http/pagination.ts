import { NotFoundException } from '@nestjs/common';

/** No list is ever this long; a page number past it is refused before any query. */
const LAST_POSSIBLE_PAGE = 1_000_000;

/**
 * The page a `?page=N` parameter asks for, from 1; anything but digits means the first page.
 * Past the last possible page → 404.
 */
export function requestedPage(param: unknown): number {
  if (typeof param !== 'string' || !/^\d+$/.test(param)) return 1;
  const page = Number(param);
  if (page > LAST_POSSIBLE_PAGE) throw noSuchPage();
  return Math.max(1, page);
}

/** A page past the last one (nothing on it, and not the first) → 404. */
export function assertPageExists(page: number, itemsOnPage: number): void {
  if (page > 1 && itemsOnPage === 0) throw noSuchPage();
}

const noSuchPage = () => new NotFoundException('There is no such page.');

/** The neighbouring pages of `page` when `total` items are shown `perPage` at a time. */
export function neighbourPages(
  page: number,
  perPage: number,
  total: number,
): { previousPage?: number; nextPage?: number } {
  const pages = Math.max(1, Math.ceil(total / perPage));
  return {
    previousPage: page > 1 ? Math.min(page - 1, pages) : undefined,
    nextPage: page < pages ? page + 1 : undefined,
  };
}
