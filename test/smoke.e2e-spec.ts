import { createEvent, register, startTestApp, TestApp, ticketTypesOf } from './support/test-app';

describe('a first visit (smoke)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('lets an organiser register, create and publish an event, and an attendee buy a ticket', async () => {
    const organiser = testApp.browser();
    await register(organiser);
    const eventId = await createEvent(testApp, organiser);
    const [fullPrice] = await ticketTypesOf(testApp, eventId);

    const attendee = testApp.browser();
    const buy = await attendee.get(`/buy-tickets/${eventId}`);
    expect(buy.status).toBe(200);
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(buy.text)![1];
    const purchase = await attendee.submit(
      `/purchase/${eventId}`,
      {
        [`quantities[${fullPrice.id}]`]: 2,
        attendeeName: 'Ada',
        attendeeEmail: 'ada@example.com',
        idempotencyKey: key,
      },
      `/buy-tickets/${eventId}`,
    );
    expect(purchase.status).toBe(303);
    expect(purchase.headers.location).toMatch(/^\/purchase\/success\?ref=[0-9A-Z]{10}$/);
    const success = await attendee.get(purchase.headers.location);
    expect(success.status).toBe(200);
    expect(success.text).toContain('50.00');
    expect((await ticketTypesOf(testApp, eventId))[0].sold).toBe(2);
  });
});
