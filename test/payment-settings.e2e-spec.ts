import request from 'supertest';
import { Browser, createApiToken, register, startTestApp, TestApp } from './support/test-app';

type PaymentSettingsRow = {
  bank_transfer_instructions: string;
  bank_transfer_days: number;
  on_site_payment: boolean | number;
};

const INSTRUCTIONS = 'Riverside Tickets Ltd\nIBAN DE02 1203 0000 0000 2020 51\nBIC BYLADEM1001';

const fieldError = (html: string, field: string) =>
  new RegExp(`id=["']${field}-error["'][^>]*>([^<]*)<`).exec(html)?.[1];

/** PRODUCT.md "Money and currency": the ways of paying an admin offers, on the settings page. */
describe('payment settings', () => {
  let testApp: TestApp;
  let admin: Browser;

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = testApp.browser();
    await register(admin);
  });
  afterAll(() => testApp.close());

  const row = async () =>
    (
      await testApp.sql<PaymentSettingsRow[]>(
        'SELECT bank_transfer_instructions, bank_transfer_days, on_site_payment FROM site_settings',
      )
    )[0];
  const save = (fields: Record<string, string>) =>
    admin.submit('/update-settings', { name: 'Riverside Tickets', ...fields }, '/site-settings');

  it('offers paying at the door, and no bank transfer, out of the box', async () => {
    const page = await admin.get('/site-settings');
    expect(page.text).toMatch(/<input type="radio" name="onSitePayment" value="on" checked/);
    expect(page.text).toMatch(/<textarea[^>]*name="bankTransferInstructions"[^>]*><\/textarea>/);
    expect(page.text).toMatch(/<input[^>]*name="bankTransferDays"[^>]*value="3"/);
    expect(await row()).toMatchObject({ bank_transfer_instructions: '', bank_transfer_days: 3 });
  });

  it('saves the bank details (newlines kept), the days to pay and paying at the door switched off', async () => {
    const res = await save({
      bankTransferInstructions: INSTRUCTIONS.replace(/\n/g, '\r\n'),
      bankTransferDays: '7',
      onSitePayment: 'off',
    });
    expect(res.status).toBe(303);
    const saved = await row();
    expect(saved).toMatchObject({
      bank_transfer_instructions: INSTRUCTIONS,
      bank_transfer_days: 7,
    });
    expect(Boolean(saved.on_site_payment)).toBe(false);
    const page = await admin.get('/site-settings');
    expect(page.text).toMatch(/<input type="radio" name="onSitePayment" value="off" checked/);
    expect(page.text).toContain('IBAN DE02 1203 0000 0000 2020 51');
  });

  it('keeps the payment settings when a form or script leaves them out', async () => {
    await save({
      bankTransferInstructions: INSTRUCTIONS,
      bankTransferDays: '5',
      onSitePayment: 'on',
    });
    expect((await save({ description: 'Only the description' })).status).toBe(303);
    const kept = await row();
    expect(kept).toMatchObject({ bank_transfer_instructions: INSTRUCTIONS, bank_transfer_days: 5 });
    expect(Boolean(kept.on_site_payment)).toBe(true);
  });

  it.each([
    ['bankTransferDays', '0 days', { bankTransferDays: '0' }],
    ['bankTransferDays', '31 days', { bankTransferDays: '31' }],
    ['bankTransferDays', '2.5 days', { bankTransferDays: '2.5' }],
    ['bankTransferDays', 'a word', { bankTransferDays: 'three' }],
    ['bankTransferDays', 'nothing', { bankTransferDays: '' }],
    ['bankTransferInstructions', '2001 characters', { bankTransferInstructions: 'x'.repeat(2001) }],
    ['bankTransferInstructions', 'a NUL', { bankTransferInstructions: 'IBAN\u0000' }],
    ['onSitePayment', 'a value other than on or off', { onSitePayment: 'maybe' }],
    [
      'onSitePayment',
      'no way to pay left (neither the door nor transfers)',
      { onSitePayment: 'off', bankTransferInstructions: '' },
    ],
  ])(
    'refuses %s of %s with 422, the message at the field and nothing changed',
    async (field, _case, fields) => {
      await save({
        bankTransferInstructions: INSTRUCTIONS,
        bankTransferDays: '4',
        onSitePayment: 'on',
      });
      const before = await row();
      const res = await save(fields);
      expect(res.status).toBe(422);
      expect(fieldError(res.text, field)).toBeTruthy();
      expect(await row()).toEqual(before);
    },
  );

  it('refuses through the API, too, to switch off the last way to pay (400 naming the field)', async () => {
    await save({ bankTransferInstructions: '', onSitePayment: 'on' });
    const token = await createApiToken(admin);
    const res = await request(testApp.app.getHttpServer())
      .put('/api/v1/settings')
      .set('Authorization', `Bearer ${token}`)
      .send({ onSitePayment: false });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('onSitePayment');
    expect(Boolean((await row()).on_site_payment)).toBe(true);
  });
});
