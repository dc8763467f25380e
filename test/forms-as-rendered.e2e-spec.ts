import {
  Browser,
  createEvent,
  hiddenField,
  register,
  startTestApp,
  TestApp,
  ticketTypesOf,
} from './support/test-app';

/** The `_csrf` value inside the form that posts to `action`, exactly as the page renders it. */
function tokenOfForm(html: string, action: string): string {
  const form = new RegExp(`<form[^>]*action="${action}"[^>]*>([\\s\\S]*?)</form>`).exec(html);
  if (!form) throw new Error(`no form posting to ${action}`);
  return /name="_csrf" value="([^"]*)"/.exec(form[1])![1];
}

describe('forms submitted exactly as rendered', () => {
  let testApp: TestApp;
  let organiser: Browser;

  beforeAll(async () => {
    testApp = await startTestApp();
    organiser = testApp.browser();
    await register(organiser);
  });
  afterAll(() => testApp.close());

  it('publishes an event from the dashboard with the token inside its Publish form', async () => {
    const eventId = await createEvent(testApp, organiser, {}, { publish: false });
    const dashboard = await organiser.get('/organiser');
    const token = tokenOfForm(dashboard.text, `/publish-event/${eventId}`);
    expect(token).not.toBe('');

    const res = await organiser.post(`/publish-event/${eventId}`, { _csrf: token });
    expect(res.status).toBe(303);
    const [event] = await testApp.sql<{ status: string }[]>(
      'SELECT status FROM events WHERE id = ?',
      [eventId],
    );
    expect(event.status).toBe('published');
  });

  it('deletes an event from the dashboard with the token inside its Delete form', async () => {
    const eventId = await createEvent(testApp, organiser, {}, { publish: false });
    const dashboard = await organiser.get('/organiser');
    const res = await organiser.post(`/delete-event/${eventId}`, {
      _csrf: tokenOfForm(dashboard.text, `/delete-event/${eventId}`),
    });
    expect(res.status).toBe(303);
    expect(await testApp.sql('SELECT id FROM events WHERE id = ?', [eventId])).toEqual([]);
  });

  it.each(['/organiser', '/create-event', '/register', '/login'])(
    'never renders an empty CSRF token on %s',
    async (path) => {
      const page = await organiser.get(path);
      expect(page.text).toContain('name="_csrf"');
      expect(page.text).not.toContain('name="_csrf" value=""');
    },
  );

  it('refuses to reuse one order form for another event, booking nothing', async () => {
    const first = await createEvent(testApp, organiser);
    const second = await createEvent(testApp, organiser);
    const [firstType] = await ticketTypesOf(testApp, first);
    const [secondType] = await ticketTypesOf(testApp, second);
    const attendee = testApp.browser();
    const form = await attendee.get(`/buy-tickets/${first}`);
    const idempotencyKey = hiddenField(form.text, 'idempotencyKey');
    const buyer = { attendeeName: 'Ada', attendeeEmail: 'ada@example.com', idempotencyKey };

    const booked = await attendee.submit(
      `/purchase/${first}`,
      { ...buyer, [`quantities[${firstType.id}]`]: 1 },
      `/buy-tickets/${first}`,
    );
    expect(booked.status).toBe(303);
    const reused = await attendee.submit(
      `/purchase/${second}`,
      { ...buyer, [`quantities[${secondType.id}]`]: 1 },
      `/buy-tickets/${second}`,
    );

    expect(reused.status).toBe(409);
    expect((await ticketTypesOf(testApp, second))[0].sold).toBe(0);
    expect(await testApp.sql('SELECT id FROM bookings WHERE event_id = ?', [second])).toEqual([]);
  });
});

describe('ids and query values that only look right', () => {
  let testApp: TestApp;
  let eventId: number;

  beforeAll(async () => {
    testApp = await startTestApp();
    const organiser = testApp.browser();
    await register(organiser);
    eventId = await createEvent(testApp, organiser);
  });
  afterAll(() => testApp.close());

  it.each(['3e0', '0x3', '3.000', '%203', '03', '+3'])(
    'answers 404 for the event id %s',
    async (id) => {
      const variant = id.replace('3', String(eventId));
      expect((await testApp.browser().get(`/event/${variant}`)).status).toBe(404);
      expect((await testApp.browser().get(`/buy-tickets/${variant}`)).status).toBe(404);
    },
  );

  it.each(['__defineGetter__', '__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'shows the generic failure message for the reason %s',
    async (reason) => {
      const res = await testApp.browser().get(`/purchase/fail?reason=${reason}&event=${eventId}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('Your order could not be completed.');
      expect(res.text).not.toContain('[object');
    },
  );
});
