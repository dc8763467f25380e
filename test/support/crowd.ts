import { Answer, send } from './app-process';

/** The n-th address of a crowd in 127.`block`.0.0/16 (never 127.0.0.1, the tests' own). */
export const crowdAddress = (block: number, n: number) =>
  `127.${block}.${Math.floor(n / 250)}.${(n % 250) + 2}`;

export interface CrowdBuyer {
  address: string;
  cookie: string;
  csrf: string;
  key: string;
}

/**
 * `count` buyers, each from their own address (as a real crowd is), who opened `formPath` (a
 * buy form): each with its session cookie, CSRF token and idempotency key.
 */
export function crowdAtTheForm(
  url: string,
  formPath: string,
  count: number,
  block: number,
): Promise<CrowdBuyer[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, n) => {
      const address = crowdAddress(block, n);
      const form = await send(`${url}${formPath}`, 'GET', '', '', address);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
      const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
      return { address, cookie: form.cookie, csrf, key };
    }),
  );
}

/** Every buyer posts the purchase form at once, with their token and key and `fields(n)`. */
export function purchaseAtOnce(
  url: string,
  eventId: number,
  buyers: CrowdBuyer[],
  fields: (n: number) => Record<string, string>,
): Promise<Answer[]> {
  return Promise.all(
    buyers.map(({ address, cookie, csrf, key }, n) =>
      send(
        `${url}/purchase/${eventId}`,
        'POST',
        new URLSearchParams({ _csrf: csrf, idempotencyKey: key, ...fields(n) }).toString(),
        cookie,
        address,
      ),
    ),
  );
}
