// npm run bench: the app against the hardware's ceilings, measured in the same run.
// Not part of npm test. See README "Performance".
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rawSqlBookingsPerSecond, startHelloServer } from './baselines.mjs';
import { summariseProfiles } from './cpu-profile.mjs';
import { createBenchDatabase, postgresUrl } from './database.mjs';
import { joinQueue, openAndBuy } from './queue.mjs';
import { seed, seedRush } from './seed.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
/** The app's PostgreSQL pool, and as many raw-SQL loops at once. */
const POOL_SIZE = 10;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let nextPort = 4100 + Math.floor(Math.random() * 500);

/** The app in production mode; with `profileDir`, under `node --cpu-prof` writing there at exit. */
function startApp(database, profileDir) {
  const port = nextPort++;
  const started = Date.now();
  const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...profiling, join(ROOT, 'dist/src/main.js')], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      SESSION_SECRET: 'benchmark',
      OUTBOX_DIR: join(database.dir, 'outbox'),
      // The bench's load comes from one address: the abuse limits are switched off for it.
      API_REQUESTS_PER_MINUTE: '1000000',
      PURCHASES_PER_IP_PER_MINUTE: '0',
      MAILS_PER_RECIPIENT_PER_HOUR: '0',
      MAILS_PER_EVENT_PER_MINUTE: '0',
      // The bench's client solves every join's proof itself: a smaller puzzle keeps 5,000 joins
      // to seconds of its CPU (the server's check of a proof costs the same at any size).
      QUEUE_POW_MAX_NUMBER: '2000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { child, port, url: `http://127.0.0.1:${port}`, started };
}

async function untilServing(url, started) {
  for (;;) {
    const ok = await fetch(`${url}/healthz`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return Date.now() - started;
    if (Date.now() - started > 30_000) throw new Error(`${url} did not start`);
    await sleep(5);
  }
}

function stop(child) {
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

/** Peak resident memory of a process (Linux), in MB. */
function peakRssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024);
  } catch {
    return null;
  }
}

/** autocannon after a short warm-up; the measured run only. */
async function load(name, options, duration = DURATION, { bookedStatus } = {}) {
  await autocannon({ ...options, connections: CONNECTIONS, duration: 2 });
  const result = await autocannon({ ...options, connections: CONNECTIONS, duration });
  const answered = (low, high) =>
    Object.entries(result.statusCodeStats)
      .filter(([status]) => Number(status) >= low && Number(status) < high)
      .reduce((sum, [, { count }]) => sum + count, 0);
  return {
    scenario: name,
    reqPerSec: Math.round(result.requests.average),
    // A booking answers `bookedStatus` (API 201; the form's POST 303, after a GET of the form).
    bookingsPerSec: bookedStatus
      ? Math.round(answered(bookedStatus, bookedStatus + 1) / duration)
      : undefined,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    failedAnswers: answered(400, 600),
  };
}

/**
 * Buying through the buy form as a browser does: load the form (a fresh visitor: the CSRF
 * cookie and token come with it), then post it with its token and idempotency key; with a
 * `voucher`, as its holder does: the form opened from the code's link, the code posted with it;
 * with a `dateId`, for that date of a series (the form opened from the date's link); with
 * `together`, that many seats of a seated type, found together (best available).
 */
function formBookingRequests(eventId, ticketTypeId, { voucher, dateId, together } = {}) {
  const query = new URLSearchParams({
    ...(voucher ? { voucher } : {}),
    ...(dateId ? { date: String(dateId) } : {}),
  }).toString();
  return [
    {
      method: 'GET',
      path: `/buy-tickets/${eventId}${query ? `?${query}` : ''}`,
      onResponse: (status, body, context, headers) => {
        context.csrf = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
        context.key = /name="idempotencyKey" value="([^"]+)"/.exec(body)?.[1];
        const cookies = headers['set-cookie'] ?? headers['Set-Cookie'] ?? [];
        context.cookie = [cookies]
          .flat()
          .map((cookie) => cookie.split(';')[0])
          .join('; ');
      },
    },
    {
      method: 'POST',
      path: `/purchase/${eventId}`,
      setupRequest: (req, context) => ({
        ...req,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(context.cookie ? { cookie: context.cookie } : {}),
        },
        body: new URLSearchParams({
          _csrf: context.csrf ?? '',
          idempotencyKey: context.key ?? '',
          attendeeName: 'Bench Buyer',
          attendeeEmail: 'bench@example.com',
          ...(together
            ? { [`bestAvailable[${ticketTypeId}]`]: String(together) }
            : { [`quantities[${ticketTypeId}]`]: '1' }),
          ...(voucher ? { voucher } : {}),
          ...(dateId ? { dateId: String(dateId) } : {}),
        }).toString(),
      }),
    },
  ];
}

/** Seconds until every mail the run queued is sent (or given up), counted from `since`. */
async function mailDrainSeconds(database, since) {
  const db = await database.open();
  try {
    for (;;) {
      const [{ left }] = await db.all(
        `SELECT (SELECT COUNT(*) FROM domain_events)
              + (SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND gave_up_at IS NULL) AS left`,
      );
      if (Number(left) === 0) return (Date.now() - since) / 1000;
      if (Date.now() - since > 600_000) return null;
      await sleep(100);
    }
  } finally {
    await db.close();
  }
}

/** A code for 10% off every ticket of the event, good for more tickets than any run buys. */
async function createVoucher(database, eventId) {
  const db = await database.open();
  try {
    await db.run(
      "INSERT INTO vouchers (event_id, code, max_usages, price_mode, value, tag) VALUES (?, 'BENCH-TEN', 10000000, 'percent', 10, 'bench')",
      [eventId],
    );
  } finally {
    await db.close();
  }
  return 'BENCH-TEN';
}

/** Bank transfer offered (the app reads its settings again within a second). */
async function offerBankTransfer(database) {
  const db = await database.open();
  try {
    await db.run('UPDATE site_settings SET bank_transfer_instructions = ?', ['IBAN BENCH']);
  } finally {
    await db.close();
  }
  await sleep(1100);
}

/**
 * Lets every held booking lapse at once, then times the app's sweep: until none is held, and
 * from its first expiry to its last (the sweep's own cost, as expiries per second).
 */
async function sweepOfEveryHold(database) {
  const db = await database.open();
  try {
    // The holds made so far: requests still in flight when the load ended make a few more.
    const [{ last }] = await db.all('SELECT MAX(id) AS last FROM bookings');
    const past = new Date(Date.now() - 1000);
    const lapsedBy =
      database.kind === 'postgres' ? past : past.toISOString().replace('T', ' ').replace('Z', '');
    const lapsedAt = performance.now();
    const { changes: holds } = await db.run(
      "UPDATE bookings SET expires_at = ? WHERE status = 'pending' AND id <= ?",
      [lapsedBy, last],
    );
    let firstExpiry;
    // Polls for at most 10 minutes (counted in polls: this machine's clocks have been seen to jump).
    // Only the holds made to lapse count: on PostgreSQL a purchase still in flight at MAX(id) may
    // commit a lower id later, with its hold's own (later) deadline.
    for (let polls = 0; ; polls++) {
      const [{ held }] = await db.all(
        "SELECT COUNT(*) AS held FROM bookings WHERE status = 'pending' AND id <= ? AND expires_at <= ?",
        [last, lapsedBy],
      );
      if (firstExpiry === undefined && Number(held) < holds) firstExpiry = performance.now();
      if (Number(held) === 0) break;
      if (polls > 30_000) return { holds, untilAllSeconds: null };
      await sleep(20);
    }
    const sweepMs = Math.max(1, performance.now() - (firstExpiry ?? lapsedAt));
    return {
      holds,
      untilAllSeconds: Math.round(performance.now() - lapsedAt) / 1000,
      sweepSeconds: Math.round(sweepMs) / 1000,
      perSecond: Math.round((holds / sweepMs) * 1000),
    };
  } finally {
    await db.close();
  }
}

function bookingRequest(token, eventId, ticketTypeId) {
  return {
    method: 'POST',
    path: `/api/v1/events/${eventId}/bookings`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      attendeeName: 'Bench Buyer',
      attendeeEmail: 'bench@example.com',
      items: [{ ticketTypeId, quantity: 1 }],
    }),
  };
}

/** Calls the API with the token, answering the JSON (throwing on any status but 2xx). */
function apiClient(url, token) {
  return async (method, path, body) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
}

/**
 * A weekly series of `dates` dates (Fridays and Saturdays), made as an organiser makes it: through
 * the API, one date and then a rule for the rest. It starts first, so the event list shows it.
 */
async function createSeries(url, token, dates) {
  const api = apiClient(url, token);
  const day = (days) => new Date(Date.now() + days * 86_400_000);
  const event = await api('POST', '/api/v1/events', {
    title: 'Weekly quiz night',
    startsAt: day(1).toISOString(),
    ticketTypes: [{ name: 'Seat', priceCents: 800, capacity: 100_000 }],
  });
  await api('POST', `/api/v1/events/${event.id}/publish`);
  const rule = {
    freq: 'weekly',
    byWeekday: ['FR', 'SA'],
    time: '19:30',
    from: day(2).toISOString().slice(0, 10),
    count: dates - 1,
  };
  await api('POST', `/api/v1/events/${event.id}/dates`, { rule });
  const series = await api('GET', `/api/v1/events/${event.id}`);
  // A date in the middle: what a buyer picks from the list.
  return {
    eventId: event.id,
    ticketTypeId: event.ticketTypes[0].id,
    dateId: series.dates[Math.floor(series.dates.length / 2)].id,
  };
}

/**
 * A hall of `rows` rows of `perRow` seats, one price zone, made as an organiser makes it through
 * the API: an event, its seat map, published.
 */
async function createSeatedHall(url, token, rows, perRow) {
  const api = apiClient(url, token);
  const event = await api('POST', '/api/v1/events', {
    title: 'Concert hall',
    startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    ticketTypes: [{ name: 'Stalls', priceCents: 3500, capacity: 1 }],
  });
  const ticketTypeId = event.ticketTypes[0].id;
  const label = (n) =>
    (n < 26 ? '' : String.fromCharCode(64 + Math.floor(n / 26))) +
    String.fromCharCode(65 + (n % 26));
  await api('PUT', `/api/v1/events/${event.id}/seating`, {
    sections: [
      {
        name: 'Stalls',
        rows: Array.from({ length: rows }, (_, row) => ({
          label: label(row),
          seats: Array.from({ length: perRow }, (_, seat) => ({
            label: String(seat + 1),
            ticketTypeId,
            x: seat * 30,
            y: row * 30,
          })),
        })),
      },
    ],
  });
  await api('POST', `/api/v1/events/${event.id}/publish`);
  return { eventId: event.id, ticketTypeId };
}

/** A published event of `capacity` tickets selling through its queue, opening in an hour. */
async function createQueuedEvent(url, token, capacity, perMinute) {
  const api = apiClient(url, token);
  const event = await api('POST', '/api/v1/events', {
    title: 'The queued rush',
    startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    ticketTypes: [{ name: 'Standard', priceCents: 2500, capacity }],
  });
  await api('POST', `/api/v1/events/${event.id}/publish`);
  await api('PATCH', `/api/v1/events/${event.id}`, {
    queueEnabled: true,
    onSaleAt: new Date(Date.now() + 3_600_000).toISOString(),
    admissionPerMinute: perMinute,
  });
  return { eventId: event.id, ticketTypeId: event.ticketTypes[0].id };
}

/** 1000 buyers at once for `capacity` tickets over the API: time to sell out, p99, and the outcome. */
function rush(url, token, { eventId, ticketTypeId }, buyers) {
  const { method, path, headers, body } = bookingRequest(token, eventId, ticketTypeId);
  const started = Date.now();
  const one = () =>
    new Promise((resolve) => {
      const sent = Date.now();
      const req = request(`${url}${path}`, { method, headers, agent: false }, (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode, ms: Date.now() - sent, at: Date.now() - started }),
        );
      });
      req.on('error', () =>
        resolve({ status: 0, ms: Date.now() - sent, at: Date.now() - started }),
      );
      req.end(body);
    });
  return Promise.all(Array.from({ length: buyers }, one));
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A migrated, seeded database (a temporary SQLite file, or a PostgreSQL schema). */
async function preparedDatabase(dir, name, sizes, created) {
  const database = await createBenchDatabase(dir, name);
  created.push(database);
  const migrating = startApp(database);
  await untilServing(migrating.url, migrating.started);
  await stop(migrating.child);
  return { database, ...(await seed(database, sizes)) };
}

/**
 * BENCH_CPU_PROFILE=1: the booking scenario again under `node --cpu-prof`, and where the app's
 * thread spent its time (self time per package or file of the app). BENCH_CPU_PROFILE=seated:
 * the seated one (best 2 together through the buy form) instead.
 */
async function profileBooking(dir, db, hall) {
  const profileDir = join(dir, 'profile');
  const app = startApp(db.database, profileDir);
  await untilServing(app.url, app.started);
  const [type] = db.ticketTypes;
  if (process.env.BENCH_CPU_PROFILE === 'seated') {
    await load(
      'booking (buy form), best 2 seats together, profiled',
      {
        url: app.url,
        requests: formBookingRequests(hall.eventId, hall.ticketTypeId, { together: 2 }),
      },
      DURATION,
      { bookedStatus: 303 },
    );
  } else {
    await load('booking (API), profiled', {
      url: app.url,
      requests: [bookingRequest(db.token, type.eventId, type.id)],
    });
  }
  await stop(app.child);
  return summariseProfiles(profileDir);
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'boxoffice-bench-'));
  const created = [];
  const rows = [];
  try {
    console.log(
      `Seeding ${postgresUrl ? 'PostgreSQL' : 'SQLite'} (200 events, 600 ticket types, 10,000 past bookings)…`,
    );
    const db = await preparedDatabase(
      dir,
      'realistic',
      { events: 200, pastBookings: 10_000 },
      created,
    );
    const rushTarget = await seedRush(db.database, 100);
    const [firstType] = db.ticketTypes;

    const hello = startHelloServer(nextPort++);
    await sleep(300);
    const helloRow = await load('bare node:http hello', { url: hello.url });
    hello.child.kill();
    rows.push(helloRow);

    const app = startApp(db.database);
    const startupMs = await untilServing(app.url, app.started);
    const series = await createSeries(app.url, db.token, 50);
    for (const [name, path] of [
      ['GET /', '/'],
      ['GET /attendee (a 50-date series first on it)', '/attendee'],
      ['GET /event/:id', `/event/${db.eventIds[0]}`],
      ['GET /event/:id, 50 dates', `/event/${series.eventId}`],
      ['GET /event/:id?date=, 50 dates', `/event/${series.eventId}?date=${series.dateId}`],
    ]) {
      const row = await load(name, { url: app.url + path });
      rows.push({ ...row, ratio: row.reqPerSec / helloRow.reqPerSec, ratioOf: 'node:http' });
    }
    const bookingRow = await load(
      'booking (API), plenty of capacity',
      { url: app.url, requests: [bookingRequest(db.token, firstType.eventId, firstType.id)] },
      DURATION,
      { bookedStatus: 201 },
    );
    const formRow = await load(
      'booking (buy form: GET the form, POST it)',
      { url: app.url, requests: formBookingRequests(firstType.eventId, firstType.id) },
      DURATION,
      { bookedStatus: 303 },
    );
    const seriesRow = await load(
      'booking (buy form), one date of a 50-date series',
      {
        url: app.url,
        requests: formBookingRequests(series.eventId, series.ticketTypeId, {
          dateId: series.dateId,
        }),
      },
      DURATION,
      { bookedStatus: 303 },
    );
    const hall = await createSeatedHall(app.url, db.token, 40, 50);
    const seatedRow = await load(
      'booking (buy form), best 2 seats together in a 2,000-seat hall',
      {
        url: app.url,
        requests: formBookingRequests(hall.eventId, hall.ticketTypeId, { together: 2 }),
      },
      DURATION,
      { bookedStatus: 303 },
    );
    const voucher = await createVoucher(db.database, firstType.eventId);
    const voucherRow = await load(
      'booking with a voucher code (buy form opened from its link)',
      { url: app.url, requests: formBookingRequests(firstType.eventId, firstType.id, { voucher }) },
      DURATION,
      { bookedStatus: 303 },
    );
    const loadEndedAt = Date.now();
    const mailDrain = await mailDrainSeconds(db.database, loadEndedAt);
    const rushResults = await rush(app.url, db.token, rushTarget, 1000);

    // The same kind of rush behind the queue: 5,000 join before the opening, 6,000 let in a minute.
    console.log('Queue: 5,000 visitors join, the sale opens…');
    const queued = await createQueuedEvent(app.url, db.token, 500, 6000);
    const line = await joinQueue(app.url, queued.eventId, 5000);
    const queuePageRow = await load('GET /event/:id/queue (waiting in line)', {
      url: `${app.url}/event/${queued.eventId}/queue`,
      headers: { cookie: line.cookie },
    });
    rows.push({
      ...queuePageRow,
      ratio: queuePageRow.reqPerSec / helloRow.reqPerSec,
      ratioOf: 'node:http',
    });
    const queueRow = {
      visitors: 5000,
      joined: line.joined,
      joinsPerSec: line.joinsPerSec,
      queuePageP99Ms: queuePageRow.p99Ms,
      ...(await openAndBuy(
        app.url,
        apiClient(app.url, db.token),
        db.database,
        queued,
        line.crowd,
        6000,
      )),
    };

    // A paid sale: with a transfer offered, each purchase holds its tickets until paid.
    await offerBankTransfer(db.database);
    const heldRow = await load(
      'held purchase (buy form, a transfer offered)',
      { url: app.url, requests: formBookingRequests(firstType.eventId, firstType.id) },
      DURATION,
      { bookedStatus: 303 },
    );
    const sweep = await sweepOfEveryHold(db.database);
    const rssMb = peakRssMb(app.child.pid);
    await stop(app.child);

    console.log(`Raw-SQL booking loop (${db.database.kind}, no HTTP, no ORM)…`);
    const rawPerSec = await rawSqlBookingsPerSecond(
      db.database,
      { eventId: firstType.eventId, ticketTypeId: firstType.id },
      Math.min(DURATION, 5),
      POOL_SIZE,
    );
    rows.push({ ...bookingRow, ratio: bookingRow.bookingsPerSec / rawPerSec, ratioOf: 'raw SQL' });
    rows.push({ ...formRow, ratio: formRow.bookingsPerSec / rawPerSec, ratioOf: 'raw SQL' });
    rows.push({ ...seriesRow, ratio: seriesRow.bookingsPerSec / rawPerSec, ratioOf: 'raw SQL' });
    rows.push({ ...seatedRow, ratio: seatedRow.bookingsPerSec / rawPerSec, ratioOf: 'raw SQL' });
    rows.push({ ...voucherRow, ratio: voucherRow.bookingsPerSec / rawPerSec, ratioOf: 'raw SQL' });
    rows.push({ ...heldRow, ratio: heldRow.bookingsPerSec / rawPerSec, ratioOf: 'raw SQL' });
    rows.push({ scenario: 'raw-SQL booking loop', reqPerSec: Math.round(rawPerSec) });

    const sold = rushResults.filter((result) => result.status === 201);
    const rush5xx = rushResults.filter((result) => result.status >= 500 || result.status === 0);
    const rushRow = {
      scenario: 'on-sale rush: 1000 buyers, 100 tickets',
      soldOutMs: Math.max(...sold.map((result) => result.at)),
      p50Ms: percentile(
        rushResults.map((result) => result.ms),
        50,
      ),
      p99Ms: percentile(
        rushResults.map((result) => result.ms),
        99,
      ),
      sold: sold.length,
      errors: rush5xx.length,
      correct: sold.length === 100 && rush5xx.length === 0,
    };

    console.log('Scaling (5 s each)…');
    const scaling = [];
    for (const [events, scenario] of [
      [10, 'booking'],
      [10_000, 'booking'],
      [10, 'attendee'],
      [2_000, 'attendee'],
    ]) {
      const scaled = await preparedDatabase(
        dir,
        `scale-${events}-${scenario}`,
        { events, pastBookings: 0 },
        created,
      );
      const scaledApp = startApp(scaled.database);
      await untilServing(scaledApp.url, scaledApp.started);
      const [type] = scaled.ticketTypes;
      const options =
        scenario === 'booking'
          ? { url: scaledApp.url, requests: [bookingRequest(scaled.token, type.eventId, type.id)] }
          : { url: `${scaledApp.url}/attendee` };
      const row = await load(
        `${scenario === 'booking' ? 'booking' : 'GET /attendee'}, ${events} events`,
        options,
        5,
      );
      scaling.push(row);
      await stop(scaledApp.child);
    }

    const profile = process.env.BENCH_CPU_PROFILE ? await profileBooking(dir, db, hall) : undefined;

    printTable(rows, rushRow, scaling, { startupMs, rssMb, mailDrain, sweep });
    console.log(
      `Queue: ${queueRow.joined} of ${queueRow.visitors} joined at ${queueRow.joinsPerSec}/s; ` +
        `its page p99 ${queueRow.queuePageP99Ms} ms; let in ${queueRow.perMinuteAchieved}/min of ` +
        `${queueRow.perMinuteSet} set; ${queueRow.sold} sold, purchases p50 ` +
        `${queueRow.purchaseP50Ms} ms, p99 ${queueRow.purchaseP99Ms} ms (the plain rush: p99 ${rushRow.p99Ms} ms)`,
    );
    if (profile) printProfile(profile);
    const results = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
      database: db.database.kind,
      durationSeconds: DURATION,
      connections: CONNECTIONS,
      scenarios: rows,
      rush: rushRow,
      queue: queueRow,
      scaling,
      startupMs,
      peakRssMb: rssMb,
      mailDrainSeconds: mailDrain,
      holdSweep: sweep,
      bookingProfile: profile,
    };
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench/results/latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log('\nWritten to bench/results/latest.json');
    if (!rushRow.correct) process.exitCode = 1;
  } finally {
    await Promise.all(created.map((database) => database.drop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

function printProfile(profile) {
  console.log('\nBooking scenario, app thread self time (node --cpu-prof):');
  for (const { where, share } of profile)
    console.log(`  ${(share * 100).toFixed(1).padStart(5)}%  ${where}`);
}

function printTable(rows, rushRow, scaling, { startupMs, rssMb, mailDrain, sweep }) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  console.log(
    `\n${line(['scenario', 'req/s', 'bookings/s', 'p50 ms', 'p99 ms', 'errors', '4xx/5xx', 'ratio'])}`,
  );
  console.log(line(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---']));
  for (const row of [...rows, ...scaling]) {
    const ratio =
      row.ratio === undefined ? '' : `${Math.round(row.ratio * 100)}% of ${row.ratioOf}`;
    console.log(
      line([
        row.scenario,
        row.reqPerSec ?? '',
        row.bookingsPerSec ?? '',
        row.p50Ms ?? '',
        row.p99Ms ?? '',
        row.errors ?? '',
        row.failedAnswers ?? '',
        ratio,
      ]),
    );
  }
  console.log(
    `\nOn-sale rush: ${rushRow.sold} sold of 100 in ${rushRow.soldOutMs} ms, p50 ${rushRow.p50Ms} ms, ` +
      `p99 ${rushRow.p99Ms} ms, ${rushRow.errors} errors — ${rushRow.correct ? 'correct' : 'WRONG'}`,
  );
  console.log(
    `Start-up (spawn → first 200): ${startupMs} ms; peak RSS of the app: ${rssMb ?? 'n/a'} MB`,
  );
  console.log(
    `Mail drain: the outbox was empty ${mailDrain ?? 'n/a (over 10 minutes)'} s after the booking loads ended`,
  );
  console.log(
    `Hold sweep: ${sweep.holds} lapsed holds all expired ${sweep.untilAllSeconds} s after they lapsed ` +
      `(the sweep runs every 5 s); the sweep itself took ${sweep.sweepSeconds} s, ` +
      `${sweep.perSecond} expiries/s`,
  );
  console.log(
    'The abuse limits (purchases per address, mails per recipient and per event) were off for this load.',
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
