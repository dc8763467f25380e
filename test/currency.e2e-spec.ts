import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { eventually } from './support/eventually';
import {
  buyWithForm,
  createApiToken,
  insertEvent,
  register,
  startTestApp,
  TestApp,
} from './support/test-app';

/** The site's currency (PRODUCT.md "Money and currency") on every price, in pages and mails. */
describe('the site currency', () => {
  let testApp: TestApp;
  let token: string;
  let outboxDir: string;
  let admin: ReturnType<TestApp['browser']>;

  beforeAll(async () => {
    outboxDir = mkdtempSync(join(tmpdir(), 'currency-outbox-'));
    testApp = await startTestApp({ OUTBOX_DIR: outboxDir });
    admin = testApp.browser();
    await register(admin);
    token = await createApiToken(admin);
  });
  afterAll(async () => {
    await testApp.close();
    rmSync(outboxDir, { recursive: true, force: true });
  });

  const settings = (body: object) =>
    request(testApp.app.getHttpServer())
      .put('/api/v1/settings')
      .set('Authorization', `Bearer ${token}`)
      .send(body);

  it('is EUR by default, shown as €', async () => {
    const { eventId } = await insertEvent(testApp, {
      ticketTypes: [{ priceCents: 1800, capacity: 10 }],
    });
    expect((await testApp.browser().get(`/event/${eventId}`)).text).toContain('€18.00');
  });

  it('shows every price of pages and mails in the currency set', async () => {
    expect((await settings({ currency: 'GBP' })).body.currency).toBe('GBP');
    const { eventId } = await insertEvent(testApp, {
      ticketTypes: [{ priceCents: 2500, capacity: 10 }],
    });
    expect((await testApp.browser().get(`/event/${eventId}`)).text).toContain('£25.00');
    const booking = await buyWithForm(testApp, eventId, { quantities: [2] });
    const success = await booking.browser.get(`/purchase/success?ref=${booking.reference}`);
    expect(success.text).toContain('£50.00');
    const mail = await eventually(() => {
      const file = readdirSync(outboxDir).find((name) => name.endsWith('.eml'));
      const text = file ? readFileSync(join(outboxDir, file), 'utf8') : '';
      return text.includes(booking.reference) ? text : undefined;
    }, 'the confirmation');
    expect(mail).toMatch(/Total: (£|=C2=A3)50\.00/);
  });

  it('takes the settings page’s currency, upper-cased, and refuses one that is not ISO 4217 (422 / 400), changing nothing', async () => {
    const saved = await admin.submit(
      '/update-settings',
      { name: 'Box', description: '', currency: 'usd' },
      '/site-settings',
    );
    expect(saved.status).toBe(303);
    expect((await settings({})).body.currency).toBe('USD');
    const refused = await admin.submit(
      '/update-settings',
      { name: 'Box', description: '', currency: 'euro' },
      '/site-settings',
    );
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Enter a currency code such as EUR, GBP or USD');
    const api = await settings({ currency: 'XYZ' });
    expect(api.status).toBe(400);
    expect((await settings({})).body.currency).toBe('USD');
  });
});
