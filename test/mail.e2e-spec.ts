import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { EventsService } from '../src/events/events.service';
import { OutboxWorker } from '../src/mail/outbox.worker';
import { eventually } from './support/eventually';
import { decodeQuotedPrintable } from './support/quoted-printable';
import { buyWithForm, insertEvent, organiserOf, startTestApp, TestApp } from './support/test-app';
import { createTestDatabase } from './support/test-database';

const PUBLIC_URL = 'https://tickets.example.org';

/** A real SMTP server on 127.0.0.1 keeping every message it accepts, as raw text. */
class MailServer {
  readonly messages: string[] = [];
  private server?: SMTPServer;
  port = 0;
  /** Recipients this server refuses for good, as a server does an unknown mailbox (550). */
  readonly unknownMailboxes = new Set<string>();

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (!this.unknownMailboxes.has(address.address)) return callback();
        callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
      },
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          this.messages.push(decodeQuotedPrintable(Buffer.concat(chunks).toString()));
          callback();
        });
      },
    });
    const server = this.server.server;
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Stops listening; `start()` again takes the same port back. */
  stop(): Promise<void> {
    return new Promise((resolve) => this.server!.close(() => resolve()));
  }

  about(reference: string, subject: RegExp): string[] {
    return this.messages.filter(
      (message) => message.includes(reference) && subject.test(subjectOf(message)),
    );
  }
}

const subjectOf = (message: string) => /^Subject: (.*)$/m.exec(message)?.[1] ?? '';

/** Buys 2 × 25.00 and 1 × 12.50 through the buy form, as a browser does. */
const buy = (testApp: TestApp, eventId: number, attendeeEmail = 'ada@example.com') =>
  buyWithForm(testApp, eventId, { quantities: [2, 1], attendeeEmail });

const seedEvent = (testApp: TestApp) =>
  insertEvent(testApp, {
    title: 'Jazz Night',
    ticketTypes: [
      { name: 'Full price', priceCents: 2500, capacity: 100 },
      { name: 'Concession', priceCents: 1250, capacity: 50 },
    ],
  });

const outboxRows = (testApp: TestApp, bookingId: number) =>
  testApp.sql<
    {
      kind: string;
      attempts: number;
      sent_at: unknown;
      gave_up_at: unknown;
      last_error: string | null;
    }[]
  >(
    'SELECT kind, attempts, sent_at, gave_up_at, last_error FROM outbox WHERE booking_id = ? ORDER BY id',
    [bookingId],
  );

describe('booking mails over SMTP', () => {
  let smtp: MailServer;
  let testApp: TestApp;
  let event: { eventId: number };

  beforeAll(async () => {
    smtp = await new MailServer().start();
    testApp = await startTestApp({
      SMTP_URL: smtp.url,
      PUBLIC_URL,
      MAIL_RETRY_BASE_MS: '100',
    });
    event = await seedEvent(testApp);
  });

  afterAll(async () => {
    await testApp.close();
    await smtp.stop();
  });

  it('sends the confirmation: reference, total, the booking link with its secret, each ticket’s code and QR code', async () => {
    const booking = await buy(testApp, event.eventId);
    const [mail] = await eventually(
      () => smtp.about(booking.reference, /^Your tickets for Jazz Night/),
      'the confirmation',
    );
    expect(mail).toMatch(/^To: "?Ada Lovelace"? <ada@example\.com>$/m);
    expect(mail).toContain('Total: €62.50');
    expect(mail).toContain(`${PUBLIC_URL}/booking/${booking.reference}?secret=${booking.secret}`);
    const [{ code }] = await testApp.sql<{ code: string }[]>(
      'SELECT code FROM tickets WHERE booking_id = ? ORDER BY id',
      [booking.id],
    );
    expect(mail.match(/^Content-Type: image\/png/gm)).toHaveLength(3);
    expect(mail).toContain(`Content-ID: <qr-${code}@boxoffice>`);
    expect(mail).toContain(`src="cid:qr-${code}@boxoffice"`);
    expect(await outboxRows(testApp, booking.id)).toEqual([
      expect.objectContaining({ kind: 'booking.confirmed', last_error: null }),
    ]);
    // The server has the mail a moment before the outbox records it as sent.
    await eventually(async () => (await outboxRows(testApp, booking.id))[0].sent_at, 'sent_at');
  });

  it('sends one cancellation mail when the booking is cancelled twice', async () => {
    const booking = await buy(testApp, event.eventId);
    for (let i = 0; i < 2; i++) {
      const res = await testApp
        .browser()
        .submit(`/booking/${booking.reference}/cancel`, { secret: booking.secret });
      expect(res.status).toBe(303);
    }
    await eventually(async () => {
      const rows = await outboxRows(testApp, booking.id);
      return rows.length === 2 && rows.every((row) => row.sent_at);
    }, 'both mails sent');
    expect(smtp.about(booking.reference, /cancelled/)).toHaveLength(1);
    expect((await outboxRows(testApp, booking.id)).map((row) => row.kind)).toEqual([
      'booking.confirmed',
      'booking.cancelled',
    ]);
  });

  it('keeps a mail while the SMTP server is down, and sends it once the server is back', async () => {
    await smtp.stop();
    const booking = await buy(testApp, event.eventId);
    const [pending] = await eventually(
      async () => (await outboxRows(testApp, booking.id)).filter((row) => row.last_error),
      'a failed attempt',
    );
    expect(pending.sent_at).toBeNull();
    expect(Number(pending.attempts)).toBeGreaterThanOrEqual(1);
    expect(pending.last_error).toMatch(/ECONNREFUSED/);

    await smtp.start();
    await eventually(() => smtp.about(booking.reference, /^Your tickets/).length, 'the mail');
    expect(smtp.about(booking.reference, /^Your tickets/)).toHaveLength(1);
    const [sent] = await eventually(
      async () => (await outboxRows(testApp, booking.id)).filter((row) => row.sent_at),
      'sent_at',
    );
    expect(sent.last_error).toBeNull();
  });

  it('gives a mail up at once when the server refuses its address for good, and tries no more', async () => {
    smtp.unknownMailboxes.add('nobody@example.com');
    const booking = await buy(testApp, event.eventId, 'nobody@example.com');
    const [row] = await eventually(
      async () => (await outboxRows(testApp, booking.id)).filter((row) => row.gave_up_at),
      'the mail given up',
    );
    expect(Number(row.attempts)).toBe(1);
    expect(row.last_error).toMatch(/550/);
    expect(row.sent_at).toBeNull();
    // Retries here come after 100 ms: by the time a later mail has gone out, none has come.
    const later = await buy(testApp, event.eventId, 'later@example.com');
    await eventually(() => smtp.about(later.reference, /^Your tickets/).length, 'the later mail');
    expect(Number((await outboxRows(testApp, booking.id))[0].attempts)).toBe(1);
    expect(smtp.about(booking.reference, /^Your tickets/)).toEqual([]);
  });

  it('sends only the cancellation when a booking is cancelled before its confirmation could go out', async () => {
    await smtp.stop();
    const booking = await buy(testApp, event.eventId);
    await eventually(
      async () => (await outboxRows(testApp, booking.id)).filter((row) => row.last_error),
      'a failed attempt',
    );
    const cancelled = await testApp
      .browser()
      .submit(`/booking/${booking.reference}/cancel`, { secret: booking.secret });
    expect(cancelled.status).toBe(303);

    await smtp.start();
    await eventually(() => smtp.about(booking.reference, /cancelled/).length, 'the cancellation');
    await eventually(
      async () => (await outboxRows(testApp, booking.id)).every((row) => row.sent_at),
      'both rows done',
    );
    expect(smtp.about(booking.reference, /^Your tickets/)).toEqual([]);
    expect(smtp.about(booking.reference, /cancelled/)).toHaveLength(1);
  });
});

describe('booking mails without SMTP', () => {
  it('writes the confirmation as an .eml file with To: and Subject: to OUTBOX_DIR', async () => {
    const outboxDir = mkdtempSync(join(tmpdir(), 'boxoffice-eml-'));
    const testApp = await startTestApp({ OUTBOX_DIR: outboxDir });
    try {
      const { eventId } = await seedEvent(testApp);
      const booking = await buy(testApp, eventId);
      const [file] = await eventually(
        () => readdirSync(outboxDir).filter((name) => name.endsWith('.eml')),
        'an .eml file',
      );
      const mail = readFileSync(join(outboxDir, file), 'utf8');
      expect(mail).toMatch(/^To: .*<ada@example\.com>$/m);
      expect(mail).toMatch(
        new RegExp(
          `^Subject: Your tickets for Jazz Night \\(booking ${booking.reference}\\)$`,
          'm',
        ),
      );
    } finally {
      await testApp.close();
      rmSync(outboxDir, { recursive: true, force: true });
    }
  });
});

describe('a mail queued by an app that stopped before sending it', () => {
  it('is sent by the next app on the same database', async () => {
    const smtp = await new MailServer().start();
    const database = await createTestDatabase();
    const env = { DATABASE_URL: database.url, SMTP_URL: smtp.url };
    try {
      const first = await startTestApp(env);
      // As if the process died right after the mail was queued: its worker never runs.
      await first.app.get(OutboxWorker).beforeApplicationShutdown();
      const { eventId } = await seedEvent(first);
      const booking = await buy(first, eventId);
      await eventually(() => outboxRows(first, booking.id).then((rows) => rows.length), 'the mail');
      expect(await outboxRows(first, booking.id)).toEqual([
        expect.objectContaining({ kind: 'booking.confirmed', sent_at: null }),
      ]);
      await first.close();
      expect(smtp.messages).toEqual([]);

      const next = await startTestApp(env);
      try {
        await eventually(() => smtp.about(booking.reference, /^Your tickets/).length, 'the mail');
      } finally {
        await next.close();
      }
    } finally {
      await smtp.stop();
      await database.drop();
    }
  });
});

describe('a booking and its mail', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
    // Nothing sends: what a booking leaves behind is seen as it committed.
    await testApp.app.get(OutboxWorker).beforeApplicationShutdown();
  });
  afterAll(() => testApp.close());

  it('are committed together: the mail is queued by the time the buyer is answered', async () => {
    const { eventId } = await seedEvent(testApp);
    const booking = await buy(testApp, eventId);
    expect(await outboxRows(testApp, booking.id)).toEqual([
      expect.objectContaining({ kind: 'booking.confirmed', sent_at: null }),
    ]);
    expect(await testApp.sql('SELECT id FROM domain_events')).toEqual([]);
  });

  it('go together when the event is deleted while a cancelled booking’s mails still wait', async () => {
    const { eventId } = await seedEvent(testApp);
    const booking = await buy(testApp, eventId);
    const cancelled = await testApp
      .browser()
      .submit(`/booking/${booking.reference}/cancel`, { secret: booking.secret });
    expect(cancelled.status).toBe(303);
    await testApp.app.get(EventsService).remove(await organiserOf(testApp, eventId), eventId);

    expect(await outboxRows(testApp, booking.id)).toEqual([]);
    expect(await testApp.sql('SELECT id FROM domain_events')).toEqual([]);
  });
});

describe('two app processes on one database', () => {
  it('send each mail once, however their workers race for the outbox', async () => {
    const smtp = await new MailServer().start();
    const database = await createTestDatabase();
    // Both workers look for due mails every 100 ms, besides waking after their own commits.
    const env = { DATABASE_URL: database.url, SMTP_URL: smtp.url, MAIL_RETRY_BASE_MS: '100' };
    const apps = [await startTestApp(env), await startTestApp(env)];
    try {
      const { eventId } = await seedEvent(apps[0]);
      const bookings = await Promise.all(
        Array.from({ length: 12 }, (_, i) => buy(apps[i % 2], eventId)),
      );
      await eventually(
        async () => (await apps[0].sql('SELECT id FROM outbox WHERE sent_at IS NULL')).length === 0,
        'every mail sent',
      );
      for (const booking of bookings)
        expect(smtp.about(booking.reference, /^Your tickets/)).toHaveLength(1);
      expect(smtp.messages).toHaveLength(bookings.length);
    } finally {
      for (const app of apps) await app.close();
      await smtp.stop();
      await database.drop();
    }
  });
});
