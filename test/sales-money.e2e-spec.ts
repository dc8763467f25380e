import request from 'supertest';
import {
  Browser,
  buyWithForm,
  createApiToken,
  createEvent,
  register,
  startTestApp,
  TestApp,
  ticketTypesOf,
  uniqueEmail,
} from './support/test-app';

/** The "Dashboard and CSV": held vs sold vs paid per ticket type; money received, less refunds. */
describe('money on the dashboard and in the stats', () => {
  let testApp: TestApp;
  let admin: Browser;
  let token: string;
  let eventId: number;

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = testApp.browser();
    await register(admin);
    token = await createApiToken(admin);
    await api()
      .put('/api/v1/settings')
      .set('Authorization', `Bearer ${token}`)
      .send({ bankTransferInstructions: 'IBAN DE02 1203 0000 0000 2020 51' })
      .expect(200);
    // Full price 25.00 × 100, Concession 12.50 × 50.
    eventId = await createEvent(testApp, admin);
    const [full, concession] = (await ticketTypesOf(testApp, eventId)).map((type) => type.id);
    const book = (body: object) =>
      api()
        .post(`/api/v1/events/${eventId}/bookings`)
        .set('Authorization', `Bearer ${token}`)
        .send({ attendeeName: 'Box Office', attendeeEmail: uniqueEmail('box'), ...body })
        .expect(201);
    // Paid at the box office: 2 × 25.00, then 10.00 of it refunded.
    const paid = await book({ items: [{ ticketTypeId: full, quantity: 2 }] });
    await api()
      .post(`/api/v1/bookings/${paid.body.reference}/refunds`)
      .set('Authorization', `Bearer ${token}`)
      .send({ amountCents: 1000 })
      .expect(201);
    // Held for a transfer: 1 × 25.00 and 1 × 12.50.
    await book({
      paymentMethod: 'bank_transfer',
      items: [
        { ticketTypeId: full, quantity: 1 },
        { ticketTypeId: concession, quantity: 1 },
      ],
    });
    // Confirmed, to be paid at the door: 1 × 12.50.
    const atDoor = await buyWithForm(testApp, eventId, {
      quantities: [0, 1],
      attendeeEmail: uniqueEmail('door'),
    });
    await atDoor.browser.post(`/booking/${atDoor.reference}/pay`, {
      _csrf: await atDoor.browser.csrfToken(),
      secret: atDoor.secret,
      method: 'on_site',
    });
  });
  afterAll(() => testApp.close());

  const api = () => request(testApp.app.getHttpServer());
  /** The cells of a ticket type's row on the dashboard: held, confirmed, paid. */
  const typeRow = (html: string, name: string) =>
    new RegExp(
      `<td>${name}</td>[\\s\\S]*?data-held>(\\d+)<[\\s\\S]*?data-confirmed>(\\d+)<[\\s\\S]*?data-paid>(\\d+)<`,
    )
      .exec(html)
      ?.slice(1)
      .map(Number);

  it('shows per ticket type how many tickets are held, confirmed and paid', async () => {
    const page = (await admin.get('/organiser')).text;
    expect(typeRow(page, 'Full price')).toEqual([1, 2, 2]);
    expect(typeRow(page, 'Concession')).toEqual([1, 1, 0]);
  });

  it('counts as received only the money that arrived, less refunds, and what is due at the door apart', async () => {
    const page = (await admin.get('/organiser')).text;
    expect(page).toContain('(2 held while their buyers pay)');
    expect(page).toContain('<strong>€52.50</strong> revenue');
    expect(page).toContain('<span data-received>€40.00</span> received');
    expect(page).toContain('€12.50 due at the door');
  });

  it('reports revenue (confirmed, less refunds) and money received in GET /api/v1/stats', async () => {
    const stats = await api().get('/api/v1/stats').set('Authorization', `Bearer ${token}`);
    expect(stats.body).toMatchObject({ revenueCents: 5250, receivedCents: 4000, ticketsSold: 5 });
  });
});
