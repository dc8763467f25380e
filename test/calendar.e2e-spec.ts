import { Event } from '../src/events/entities/event.entity';
import {
  Browser,
  createEvent,
  eventFields,
  register,
  startTestApp,
  TestApp,
} from './support/test-app';

/** An iCalendar body as content lines: folded lines (CRLF + space) joined again, per RFC 5545 §3.1. */
const contentLines = (body: string) => body.replace(/\r\n[ \t]/g, '').split('\r\n');

/** The value of the first property with this name (parameters such as `;VALUE=URI` skipped). */
function property(lines: string[], name: string): string | undefined {
  const line = lines.find((candidate) => new RegExp(`^${name}[:;]`).test(candidate));
  return line?.slice(line.indexOf(':') + 1);
}

/** A UTC date-time as iCalendar writes it: 20300601T193000Z. */
const icalDateTime = (date: Date) =>
  date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');

describe('an event as a calendar file (GET /event/:id/calendar.ics)', () => {
  let testApp: TestApp;
  let organiser: Browser;
  const title = 'Jazz, Blues; Soul\nNight \\ Live';
  let eventId: number;
  let startsAt: Date;

  beforeAll(async () => {
    testApp = await startTestApp();
    organiser = testApp.browser();
    await register(organiser);
    eventId = await createEvent(testApp, organiser, {
      title,
      venue: 'The Blue Room, Main St.',
      description: 'An evening of jazz. '.repeat(20),
    });
    startsAt = (await testApp.db.getRepository(Event).findOneByOrFail({ id: eventId })).startsAt;
  });
  afterAll(() => testApp.close());

  const download = (id: number | string) => testApp.browser().get(`/event/${id}/calendar.ics`);

  it('is an attached text/calendar file in UTF-8 named after the event', async () => {
    const res = await download(eventId);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="event-${eventId}.ics"`);
  });

  it('is one VCALENDAR holding exactly one VEVENT', async () => {
    const lines = contentLines((await download(eventId)).text);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.filter((line) => line === 'END:VCALENDAR')).toHaveLength(1);
    expect(lines.filter((line) => line === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(lines.filter((line) => line === 'END:VEVENT')).toHaveLength(1);
  });

  it('starts when the event starts, in UTC, and ends two hours later', async () => {
    const lines = contentLines((await download(eventId)).text);
    expect(property(lines, 'DTSTART')).toBe(icalDateTime(startsAt));
    expect(property(lines, 'DTEND')).toBe(
      icalDateTime(new Date(startsAt.getTime() + 2 * 3_600_000)),
    );
  });

  it('ends when the event says it ends, and shows the end on the event page', async () => {
    const id = await createEvent(testApp, organiser, {
      startsAt: '2031-03-14T19:30',
      endsAt: '2031-03-14T23:15',
    });
    const event = await testApp.db.getRepository(Event).findOneByOrFail({ id });
    expect(event.endsAt).toEqual(new Date('2031-03-14T23:15'));
    const lines = contentLines((await download(id)).text);
    expect(property(lines, 'DTEND')).toBe(icalDateTime(new Date('2031-03-14T23:15')));
    const page = await testApp.browser().get(`/event/${id}`);
    expect(page.text).toContain(`datetime="${new Date('2031-03-14T23:15').toISOString()}"`);
  });

  it.each([
    ['before the start', '2031-03-14T18:00', /end after it starts/],
    ['at the start', '2031-03-14T19:30', /end after it starts/],
    ['not a date', 'late', /YYYY-MM-DDTHH:mm/],
    ['on 31 April', '2031-04-31T10:00', /YYYY-MM-DDTHH:mm/],
  ])(
    'refuses an end %s with the form again (422), creating nothing',
    async (_, endsAt, message) => {
      const before = await testApp.sql('SELECT COUNT(*) AS n FROM events');
      const res = await organiser.submit(
        '/create-event',
        eventFields({ startsAt: '2031-03-14T19:30', endsAt }),
        '/create-event',
      );
      expect(res.status).toBe(422);
      expect(/id="endsAt-error">([^<]*)</.exec(res.text)?.[1]).toMatch(message);
      expect(await testApp.sql('SELECT COUNT(*) AS n FROM events')).toEqual(before);
    },
  );

  it('escapes commas, semicolons, backslashes and newlines in the title (RFC 5545 TEXT)', async () => {
    const lines = contentLines((await download(eventId)).text);
    expect(property(lines, 'SUMMARY')).toBe('Jazz\\, Blues\\; Soul\\nNight \\\\ Live');
    expect(property(lines, 'LOCATION')).toBe('The Blue Room\\, Main St.');
  });

  it('has a stable UID per event and links to the event page', async () => {
    const first = contentLines((await download(eventId)).text);
    const second = contentLines((await download(eventId)).text);
    expect(property(first, 'UID')).toBe(`event-${eventId}@localhost`);
    expect(property(second, 'UID')).toBe(property(first, 'UID'));
    expect(property(first, 'URL')).toMatch(new RegExp(`^http://localhost:\\d+/event/${eventId}$`));
  });

  it('folds long lines to at most 75 octets', async () => {
    const physicalLines = (await download(eventId)).text.split('\r\n');
    for (const line of physicalLines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  });

  it('is linked from the event page as "Add to calendar"', async () => {
    const page = await testApp.browser().get(`/event/${eventId}`);
    expect(page.text).toContain(
      `<a href="/event/${eventId}/calendar.ics" download>Add to calendar</a>`,
    );
  });

  it('answers 404 for a draft event', async () => {
    const draftId = await createEvent(testApp, organiser, {}, { publish: false });
    expect((await download(draftId)).status).toBe(404);
  });

  it.each(['999999', 'abc', '0', '1e3'])('answers 404 for the id %s', async (id) => {
    expect((await download(id)).status).toBe(404);
  });
});
