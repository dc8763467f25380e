import { createHash } from 'node:crypto';
import request from 'supertest';
import { solveChallenge } from 'altcha-lib/v1';
import type { Challenge } from 'altcha-lib/v1/types';
import { AdmissionClock } from '../src/queue/admission-clock';
import { QueueProofs } from '../src/queue/queue-proofs';
import { QueueService } from '../src/queue/queue.service';
import {
  Browser,
  createApiToken,
  createEvent,
  hiddenField,
  register,
  startTestApp,
  TestApp,
  ticketTypesOf,
  timestampParam,
  uniqueEmail,
  writeSql,
} from './support/test-app';

/**
 * The base64 JSON a browser posts as `altcha` once it solved `challenge`: altcha-lib's own
 * solver, or (`fast`, for a thousand joins) the same search with node:crypto's synchronous hash.
 */
async function solved(challenge: Challenge, { fast = false } = {}): Promise<string> {
  const number = fast
    ? Array.from({ length: (challenge.maxnumber ?? 0) + 1 }, (_, n) => n).find(
        (n) =>
          createHash('sha256').update(`${challenge.salt}${n}`).digest('hex') ===
          challenge.challenge,
      )
    : (
        await solveChallenge(
          challenge.challenge,
          challenge.salt,
          challenge.algorithm,
          challenge.maxnumber,
        ).promise
      )?.number;
  const { algorithm, challenge: hash, salt, signature } = challenge;
  return Buffer.from(
    JSON.stringify({ algorithm, challenge: hash, number, salt, signature }),
  ).toString('base64');
}

/** Spearman's rank correlation of two orderings of the same items (ranks 1..n, no ties). */
function rankCorrelation(a: number[], b: number[]): number {
  const n = a.length;
  const squares = a.reduce((sum, rank, i) => sum + (rank - b[i]) ** 2, 0);
  return 1 - (6 * squares) / (n * (n * n - 1));
}

/*
 * The fair on-sale queue (PRODUCT.md "Fair on-sale queue"): the gate in front of the buy page
 * and the purchase, joining with a real proof of work (ALTCHA v1; small here so tests solve it
 * fast), places drawn at random at the opening, admission at the event's rate, lapsing, sold out.
 */
describe('the on-sale queue', () => {
  let testApp: TestApp;
  let organiser: Browser;
  let token: string;

  beforeAll(async () => {
    testApp = await startTestApp({
      QUEUE_POW_MAX_NUMBER: '2000',
      QUEUE_JOINS_PER_IP_PER_HOUR: '0',
    });
    const admin = testApp.browser();
    await register(admin, uniqueEmail('admin'));
    token = await createApiToken(admin);
    organiser = admin;
  });
  afterAll(() => testApp.close());

  const api = () => request(testApp.app.getHttpServer());
  /** A published event selling through a queue that opened a moment ago (or opens at `onSaleAt`). */
  async function queuedEvent({
    capacity = 100,
    perMinute = 300,
    onSaleAt = new Date(Date.now() - 1000),
  } = {}) {
    const id = await createEvent(testApp, organiser, { 'ticketTypes[0][capacity]': capacity });
    const res = await api()
      .patch(`/api/v1/events/${id}`)
      .set('Authorization', `Bearer ${token}`)
      .send({
        queueEnabled: true,
        onSaleAt: onSaleAt.toISOString(),
        admissionPerMinute: perMinute,
      });
    expect(res.status).toBe(200);
    return id;
  }
  const challengeFor = async (browser: Browser, eventId: number) =>
    (await browser.get(`/event/${eventId}/queue/challenge`)).body as Challenge;
  async function join(browser: Browser, eventId: number, altcha?: string) {
    const proof = altcha ?? (await solved(await challengeFor(browser, eventId)));
    return browser.post(`/event/${eventId}/queue`, {
      _csrf: await browser.csrfToken('/login'),
      altcha: proof,
    });
  }
  const entries = (eventId: number) =>
    testApp.sql<{ id: number; status: string; position: number | null }[]>(
      'SELECT id, status, position FROM queue_entries WHERE event_id = ? ORDER BY id',
      [eventId],
    );

  describe('the event’s queue fields', () => {
    it('are refused at the field when they cannot work', async () => {
      const id = await createEvent(testApp, organiser);
      for (const [body, field] of [
        [{ queueEnabled: true, onSaleAt: null }, 'onSaleAt'],
        [{ admissionPerMinute: 0 }, 'admissionPerMinute'],
        [{ admissionPerMinute: 100_001 }, 'admissionPerMinute'],
        [{ admissionMinutes: 61 }, 'admissionMinutes'],
        [{ onSaleAt: 'tomorrow' }, 'onSaleAt'],
        [{ queueEnabled: 'yes' }, 'queueEnabled'],
        [{ paused: 'no' }, 'paused'],
        [{ onSaleAt: new Date(Date.now() + 400 * 86_400_000).toISOString() }, 'onSaleAt'],
      ] as const) {
        const res = await api()
          .patch(`/api/v1/events/${id}`)
          .set('Authorization', `Bearer ${token}`)
          .send(body);
        expect([400, 422]).toContain(res.status);
        expect(res.body.errors?.[0]?.field).toBe(field);
      }
      const form = await organiser.submit(
        `/edit-event/${id}`,
        { queueEnabled: 'on', onSaleAt: '', admissionPerMinute: '0' },
        `/edit-event/${id}`,
      );
      expect(form.status).toBe(422);
    });

    it('show in the event JSON', async () => {
      const id = await queuedEvent({ perMinute: 120 });
      const res = await api().get(`/api/v1/events/${id}`).set('Authorization', `Bearer ${token}`);
      expect(res.body).toMatchObject({
        queueEnabled: true,
        admissionPerMinute: 120,
        admissionMinutes: 10,
      });
      expect(typeof res.body.onSaleAt).toBe('string');
    });
  });

  describe('the gate', () => {
    it('sends a visitor without an admission from the buy page and the purchase to the queue', async () => {
      const eventId = await queuedEvent({ onSaleAt: new Date(Date.now() + 86_400_000) });
      const visitor = testApp.browser();
      const page = await visitor.get(`/buy-tickets/${eventId}`);
      expect([page.status, page.headers.location]).toEqual([303, `/event/${eventId}/queue`]);
      const [{ id: typeId }] = await ticketTypesOf(testApp, eventId);
      const csrf = hiddenField((await visitor.get(`/event/${eventId}/queue`)).text, '_csrf');
      const posted = await visitor.post(`/purchase/${eventId}`, {
        _csrf: csrf,
        idempotencyKey: 'k-1',
        attendeeName: 'Sly Skipper',
        attendeeEmail: 'sly@example.com',
        [`quantities[${typeId}]`]: 1,
      });
      expect([posted.status, posted.headers.location]).toEqual([303, `/event/${eventId}/queue`]);
      const [{ n }] = await testApp.sql<{ n: number }[]>(
        'SELECT COUNT(*) AS n FROM bookings WHERE event_id = ?',
        [eventId],
      );
      expect(Number(n)).toBe(0);
      // The API (an admin's token) is not queued.
      const booked = await api()
        .post(`/api/v1/events/${eventId}/bookings`)
        .set('Authorization', `Bearer ${token}`)
        .send({
          attendeeName: 'Box Office',
          attendeeEmail: 'office@example.com',
          items: [{ ticketTypeId: typeId, quantity: 1 }],
        });
      expect(booked.status).toBe(201);
    });
  });

  describe('joining', () => {
    it('needs a proof of work: missing, wrong or reused ones join nothing', async () => {
      const eventId = await queuedEvent({ onSaleAt: new Date(Date.now() + 86_400_000) });
      const browser = testApp.browser();
      const page = await browser.get(`/event/${eventId}/queue`);
      expect(page.text).toContain('Join the queue');
      expect(page.text).toContain('data-challenge=');
      const challenge = await challengeFor(browser, eventId);
      const good = await solved(challenge);
      const decoded = JSON.parse(Buffer.from(good, 'base64').toString()) as { number: number };
      const wrong = Buffer.from(
        JSON.stringify({
          ...JSON.parse(Buffer.from(good, 'base64').toString()),
          number: decoded.number + 1,
        }),
      ).toString('base64');
      for (const bad of ['', 'not base64 json', wrong, Buffer.from('{}').toString('base64')]) {
        const res = await join(testApp.browser(), eventId, bad);
        expect(res.status).toBe(400);
      }
      expect(await entries(eventId)).toHaveLength(0);
      expect((await join(browser, eventId, good)).status).toBe(303);
      expect((await join(testApp.browser(), eventId, good)).status).toBe(400);
      expect(await entries(eventId)).toHaveLength(1);
    });

    it('refuses a proof older than 5 minutes, and says without script that joining needs it', async () => {
      const eventId = await queuedEvent({ onSaleAt: new Date(Date.now() + 86_400_000) });
      const browser = testApp.browser();
      const page = await browser.get(`/event/${eventId}/queue`);
      expect(page.text).toMatch(/<noscript>[^<]*<p[^>]*>Joining the queue needs JavaScript/);
      const proof = await solved(await challengeFor(browser, eventId));
      const csrf = await browser.csrfToken('/login');
      // Six minutes on: the challenge has expired (the app reads the clock through Date.now).
      const later = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 6 * 60_000);
      try {
        const res = await browser.post(`/event/${eventId}/queue`, { _csrf: csrf, altcha: proof });
        expect(res.status).toBe(400);
      } finally {
        later.mockRestore();
      }
      expect(await entries(eventId)).toHaveLength(0);
    });

    it('before the opening: the same entry again from that browser, its place drawn at the opening', async () => {
      const eventId = await queuedEvent({ onSaleAt: new Date(Date.now() + 86_400_000) });
      const browser = testApp.browser();
      expect((await join(browser, eventId)).status).toBe(303);
      expect((await join(browser, eventId)).status).toBe(303);
      expect(await entries(eventId)).toEqual([
        expect.objectContaining({ status: 'waiting', position: null }),
      ]);
      const page = await browser.get(`/event/${eventId}/queue`);
      expect(page.text).toContain('Positions are drawn at');
      expect(page.text).toContain('<meta http-equiv="refresh" content="15">');
    });

    it('is limited per address an hour (429 with Retry-After)', async () => {
      const limited = await startTestApp({
        QUEUE_POW_MAX_NUMBER: '0',
        QUEUE_JOINS_PER_IP_PER_HOUR: '3',
      });
      try {
        const admin = limited.browser();
        await register(admin, uniqueEmail('limited'));
        const eventId = await createEvent(limited, admin);
        await writeSql(
          limited,
          'UPDATE events SET queue_enabled = ?, on_sale_at = ? WHERE id = ?',
          [true, timestampParam(limited, new Date(Date.now() + 86_400_000)), eventId],
        );
        const statuses = [];
        for (let i = 0; i < 4; i++) {
          const browser = limited.browser();
          const page = await browser.get(`/event/${eventId}/queue`);
          const res = await browser.post(`/event/${eventId}/queue`, {
            _csrf: hiddenField(page.text, '_csrf'),
          });
          statuses.push(res.status);
          if (res.status === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        }
        expect(statuses).toEqual([303, 303, 303, 429]);
      } finally {
        await limited.close();
      }
    });
  });

  describe('admission', () => {
    it('lets the only one in line in at once, to buy once: a resubmission gets its booking, a new order the queue', async () => {
      const eventId = await queuedEvent();
      const browser = testApp.browser();
      expect((await join(browser, eventId)).status).toBe(303);
      const queuePage = await browser.get(`/event/${eventId}/queue`);
      expect([queuePage.status, queuePage.headers.location]).toEqual([
        303,
        `/buy-tickets/${eventId}`,
      ]);
      const buyPage = await browser.get(`/buy-tickets/${eventId}`);
      expect(buyPage.status).toBe(200);
      const [{ id: typeId }] = await ticketTypesOf(testApp, eventId);
      const order = {
        _csrf: hiddenField(buyPage.text, '_csrf'),
        idempotencyKey: hiddenField(buyPage.text, 'idempotencyKey'),
        attendeeName: 'Quinn Queue',
        attendeeEmail: 'quinn@example.com',
        [`quantities[${typeId}]`]: 1,
      };
      const first = await browser.post(`/purchase/${eventId}`, order);
      expect(first.status).toBe(303);
      expect(first.headers.location).not.toBe(`/event/${eventId}/queue`);
      const again = await browser.post(`/purchase/${eventId}`, order);
      expect(again.headers.location).toBe(first.headers.location);
      const another = await browser.post(`/purchase/${eventId}`, {
        ...order,
        idempotencyKey: 'another-order',
      });
      expect(another.headers.location).toBe(`/event/${eventId}/queue`);
      expect((await entries(eventId)).map(({ status }) => status)).toEqual(['purchased']);
      const [{ n }] = await testApp.sql<{ n: number }[]>(
        'SELECT COUNT(*) AS n FROM bookings WHERE event_id = ?',
        [eventId],
      );
      expect(Number(n)).toBe(1);
    });

    it('draws random places for early arrivals at the opening, and queues later ones in arrival order', async () => {
      const opening = new Date(Date.now() + 86_400_000);
      const eventId = await queuedEvent({ onSaleAt: opening });
      const queue = testApp.app.get(QueueService);
      const proofs = testApp.app.get(QueueProofs);
      const event = await queue.queuedEvent(eventId);
      for (let i = 0; i < 1000; i++)
        await queue.join(
          event,
          undefined,
          `127.1.${i >> 8}.${i & 255}`,
          await solved(await proofs.challenge(), { fast: true }),
        );
      // The opening comes.
      await writeSql(testApp, 'UPDATE events SET on_sale_at = ? WHERE id = ?', [
        timestampParam(testApp, new Date(Date.now() - 1000)),
        eventId,
      ]);
      const opened = await queue.queuedEvent(eventId);
      for (let i = 0; i < 100; i++)
        await queue.join(
          opened,
          undefined,
          `127.2.0.${i + 1}`,
          await solved(await proofs.challenge(), { fast: true }),
        );
      const rows = await entries(eventId);
      const early = rows.slice(0, 1000);
      const late = rows.slice(1000);
      expect(new Set(rows.map(({ position }) => position)).size).toBe(1100);
      const byPosition = (list: typeof rows) =>
        [...list].sort((a, b) => a.position! - b.position!).map(({ id }) => id);
      const earlyRanks = byPosition(early);
      const rho = rankCorrelation(
        early.map((_, i) => i + 1),
        early.map(({ id }) => earlyRanks.indexOf(id) + 1),
      );
      expect(Math.abs(rho)).toBeLessThan(0.15);
      expect(Math.max(...early.map(({ position }) => position!))).toBeLessThan(
        Math.min(...late.map(({ position }) => position!)),
      );
      expect(byPosition(late)).toEqual(late.map(({ id }) => id));
    });

    it('admits at the event’s rate in order of place, each once; lapses unused admissions; sold out ends the line', async () => {
      const eventId = await queuedEvent({
        onSaleAt: new Date(Date.now() + 86_400_000),
        perMinute: 600,
        capacity: 5,
      });
      const queue = testApp.app.get(QueueService);
      const proofs = testApp.app.get(QueueProofs);
      const clock = testApp.app.get(AdmissionClock);
      for (let i = 0; i < 200; i++)
        await queue.join(
          await queue.queuedEvent(eventId),
          undefined,
          `127.3.0.${i + 1}`,
          await solved(await proofs.challenge(), { fast: true }),
        );
      // An opening an hour ahead, stepped through with the clock's own times: the processes'
      // background steps (which go by the real time) leave it alone meanwhile.
      const start = new Date(Date.now() + 3_600_000);
      await writeSql(testApp, 'UPDATE events SET on_sale_at = ? WHERE id = ?', [
        timestampParam(testApp, start),
        eventId,
      ]);
      const event = await queue.queuedEvent(eventId);
      // A step a second for 15 s from the opening: 10 a second at 600 a minute.
      const admittedPerStep: number[] = [];
      for (let second = 1; second <= 15; second++)
        admittedPerStep.push(await clock.step(event, new Date(start.getTime() + second * 1000)));
      expect(admittedPerStep.reduce((a, b) => a + b, 0)).toBe(150);
      expect(Math.max(...admittedPerStep)).toBeLessThanOrEqual(20);
      // The same moment stepped again (another process) admits nobody more.
      expect(await clock.step(event, new Date(start.getTime() + 15_000))).toBe(0);
      const rows = await entries(eventId);
      const admitted = rows.filter(({ status }) => status === 'admitted');
      expect(admitted).toHaveLength(150);
      expect(Math.max(...admitted.map(({ position }) => position!))).toBeLessThan(
        Math.min(
          ...rows.filter(({ status }) => status === 'waiting').map(({ position }) => position!),
        ),
      );

      // Their time runs out unused: lapsed.
      await writeSql(
        testApp,
        "UPDATE queue_entries SET expires_at = ? WHERE event_id = ? AND status = 'admitted'",
        [timestampParam(testApp, new Date(Date.now() - 1000)), eventId],
      );
      await clock.step(event, new Date(start.getTime() + 20_000));
      const after = await entries(eventId);
      expect(after.filter(({ status }) => status === 'lapsed')).toHaveLength(150);

      // Sold out: whoever still waits is told.
      await writeSql(
        testApp,
        'UPDATE date_inventory SET sold = capacity WHERE ticket_type_id IN (SELECT id FROM ticket_types WHERE event_id = ?)',
        [eventId],
      );
      await clock.step(event, new Date(start.getTime() + 30_000));
      const final = await entries(eventId);
      expect(final.filter(({ status }) => status === 'waiting')).toHaveLength(0);
      expect(final.filter(({ status }) => status === 'sold_out').length).toBeGreaterThan(0);
    });
  });

  describe('for organisers', () => {
    it('the event page links to the queue; the live page and the API count it; pause and rate change', async () => {
      const eventId = await queuedEvent({ onSaleAt: new Date(Date.now() + 86_400_000) });
      const show = await testApp.browser().get(`/event/${eventId}`);
      expect(show.text).toContain(`href="/event/${eventId}/queue"`);
      expect(show.text).not.toContain(`href="/buy-tickets/${eventId}"`);
      for (let i = 0; i < 3; i++) await join(testApp.browser(), eventId);

      const status = await api()
        .get(`/api/v1/events/${eventId}/queue`)
        .set('Authorization', `Bearer ${token}`);
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({
        enabled: true,
        admissionPerMinute: 300,
        admissionMinutes: 10,
        paused: false,
        state: 'before',
        waiting: 3,
        admitted: 0,
        purchased: 0,
        lapsed: 0,
      });
      const page = await organiser.get(`/organiser/events/${eventId}/queue`);
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/data-stat="waiting">3</);
      expect((await organiser.get('/organiser')).text).toContain(
        `href="/organiser/events/${eventId}/queue"`,
      );

      const paused = await organiser.submit(
        `/organiser/events/${eventId}/queue/pause`,
        { paused: 'true' },
        `/organiser/events/${eventId}/queue`,
      );
      expect(paused.status).toBe(303);
      const patched = await api()
        .patch(`/api/v1/events/${eventId}`)
        .set('Authorization', `Bearer ${token}`)
        .send({ admissionPerMinute: 42 });
      expect(patched.status).toBe(200);
      const after = await api()
        .get(`/api/v1/events/${eventId}/queue`)
        .set('Authorization', `Bearer ${token}`);
      expect(after.body).toMatchObject({ paused: true, admissionPerMinute: 42 });
      const resumed = await api()
        .patch(`/api/v1/events/${eventId}`)
        .set('Authorization', `Bearer ${token}`)
        .send({ paused: false });
      expect(resumed.status).toBe(200);
      expect(
        (await api().get(`/api/v1/events/${eventId}/queue`).set('Authorization', `Bearer ${token}`))
          .body.paused,
      ).toBe(false);

      for (const bad of ['0', 'lots', '100001', '']) {
        const res = await organiser.submit(
          `/organiser/events/${eventId}/queue/rate`,
          { admissionPerMinute: bad },
          `/organiser/events/${eventId}/queue`,
        );
        expect(res.status).toBe(422);
        expect(res.text).toContain('id="admissionPerMinute-error"');
      }
      const rate = await organiser.submit(
        `/organiser/events/${eventId}/queue/rate`,
        { admissionPerMinute: '900' },
        `/organiser/events/${eventId}/queue`,
      );
      expect(rate.status).toBe(303);
      const log = await testApp.sql<{ action: string }[]>(
        "SELECT action FROM audit_log WHERE action LIKE 'event.queue-%' ORDER BY id",
      );
      expect(log.map(({ action }) => action)).toEqual([
        'event.queue-paused',
        'event.queue-resumed',
      ]);
    });

    it('answers another organiser and anonymous visitors as any other event page', async () => {
      const eventId = await queuedEvent();
      const stranger = testApp.browser();
      await register(stranger, uniqueEmail('stranger'));
      expect((await stranger.get(`/organiser/events/${eventId}/queue`)).status).toBe(404);
      expect((await testApp.browser().get(`/organiser/events/${eventId}/queue`)).status).toBe(303);
      expect((await api().get(`/api/v1/events/${eventId}/queue`)).status).toBe(401);
    });
  });
});
