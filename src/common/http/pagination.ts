/** The page a `?page=N` parameter asks for, from 1; anything else means the first page. */
export function requestedPage(param: unknown): number {
  return typeof param === 'string' && /^\d{1,6}$/.test(param) ? Math.max(1, Number(param)) : 1;
}

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
