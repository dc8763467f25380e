// The on-sale queue under a crowd (README "Fair on-sale queue"): visitors join before the
// opening, each from its own loopback address, solving the proof of work as a browser does;
// then the sale opens and the admitted buy. Measured: joins a second, the queue page's p99 under
// that load, the admission rate achieved against the one set, the admitted buyers' purchase p99.
import { createHash } from 'node:crypto';
import { request } from 'node:http';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One HTTP exchange from `address` (in 127.0.0.0/8) with a cookie jar of its own. */
function exchange(url, visitor, { method = 'GET', path, form }) {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  return new Promise((resolve) => {
    const sent = Date.now();
    const req = request(
      `${url}${path}`,
      {
        method,
        agent: false,
        localAddress: visitor.address,
        headers: {
          ...(visitor.cookies.size
            ? { cookie: [...visitor.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }
            : {}),
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
      },
      (res) => {
        for (const cookie of [res.headers['set-cookie'] ?? []].flat()) {
          const [pair] = cookie.split(';');
          const at = pair.indexOf('=');
          visitor.cookies.set(pair.slice(0, at), pair.slice(at + 1));
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            location: res.headers.location,
            text,
            ms: Date.now() - sent,
          }),
        );
      },
    );
    req.on('error', () => resolve({ status: 0, text: '', ms: Date.now() - sent }));
    req.end(body);
  });
}

const hidden = (html, name) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

/** ALTCHA v1: the number whose SHA-256 with the salt is the challenge, as the page's script finds it. */
function solve(challenge) {
  for (let number = 0; number <= challenge.maxnumber; number++) {
    if (
      createHash('sha256').update(`${challenge.salt}${number}`).digest('hex') ===
      challenge.challenge
    ) {
      const { algorithm, salt, signature } = challenge;
      return Buffer.from(
        JSON.stringify({ algorithm, challenge: challenge.challenge, number, salt, signature }),
      ).toString('base64');
    }
  }
  return '';
}

/** Runs `work` over `items`, `concurrency` at a time. */
async function pool(items, concurrency, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** Admissions a minute, from the first to the last admission (as the entries record them). */
async function admissionsPerMinute(database, eventId) {
  const db = await database.open();
  try {
    const [row] = await db.all(
      'SELECT COUNT(*) AS n, MIN(admitted_at) AS first, MAX(admitted_at) AS last FROM queue_entries WHERE event_id = ? AND admitted_at IS NOT NULL',
      [eventId],
    );
    const time = (at) => new Date(at instanceof Date ? at : `${String(at).replace(' ', 'T')}Z`);
    const minutes = (time(row.last) - time(row.first)) / 60_000;
    return minutes > 0 ? Math.round((Number(row.n) - 1) / minutes) : 0;
  } finally {
    await db.close();
  }
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * `visitors` join the queue of `eventId` before its opening, each from its own loopback
 * address, 50 at a time: the first page, a challenge, its proof solved, the join posted.
 */
export async function joinQueue(url, eventId, visitors) {
  const crowd = Array.from({ length: visitors }, (_, n) => ({
    address: `127.${20 + Math.floor(n / 62_500)}.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`,
    cookies: new Map(),
  }));
  const started = Date.now();
  let joined = 0;
  await pool(crowd, 50, async (visitor) => {
    const page = await exchange(url, visitor, { path: `/event/${eventId}/queue` });
    const challenge = await exchange(url, visitor, { path: `/event/${eventId}/queue/challenge` });
    const altcha = challenge.status === 200 ? solve(JSON.parse(challenge.text)) : '';
    const res = await exchange(url, visitor, {
      method: 'POST',
      path: `/event/${eventId}/queue`,
      form: { _csrf: hidden(page.text, '_csrf'), altcha },
    });
    if (res.status === 303) joined++;
  });
  const seconds = (Date.now() - started) / 1000;
  const [first] = crowd;
  return {
    crowd,
    joined,
    joinsPerSec: Math.round(joined / seconds),
    /** A visitor waiting in line, to load its queue page. */
    cookie: [...first.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
  };
}

/**
 * Opens the sale now; every second, each visitor still out checks the buy page (as its queue
 * page's refresh does) and, once let in, buys one ticket. Until sold out (or a minute).
 */
export async function openAndBuy(url, api, database, { eventId, ticketTypeId }, crowd, perMinute) {
  const opened = Date.now();
  await api('PATCH', `/api/v1/events/${eventId}`, { onSaleAt: new Date(opened).toISOString() });
  const purchaseMs = [];
  let sold = 0;
  const waiting = new Set(crowd);
  while (waiting.size && Date.now() - opened < 60_000) {
    await sleep(1000);
    await pool([...waiting], 50, async (visitor) => {
      const form = await exchange(url, visitor, { path: `/buy-tickets/${eventId}` });
      if (form.status !== 200) return;
      waiting.delete(visitor);
      const res = await exchange(url, visitor, {
        method: 'POST',
        path: `/purchase/${eventId}`,
        form: {
          _csrf: hidden(form.text, '_csrf'),
          idempotencyKey: hidden(form.text, 'idempotencyKey'),
          attendeeName: 'Queued Buyer',
          attendeeEmail: 'queued@example.com',
          [`quantities[${ticketTypeId}]`]: '1',
        },
      });
      purchaseMs.push(res.ms);
      if (res.status === 303 && /purchase\/success|booking\//.test(res.location ?? '')) sold++;
    });
    const status = await api('GET', `/api/v1/events/${eventId}/queue`);
    if (status.state === 'sold_out') break;
  }
  return {
    perMinuteSet: perMinute,
    perMinuteAchieved: await admissionsPerMinute(database, eventId),
    sold,
    purchaseP50Ms: percentile(purchaseMs, 50),
    purchaseP99Ms: percentile(purchaseMs, 99),
  };
}
