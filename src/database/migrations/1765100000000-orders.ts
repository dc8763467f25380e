import { MigrationInterface, QueryRunner, TableCheck, TableColumn, TableIndex } from 'typeorm';
import { portableColumns } from '../portable-columns';

/**
 * Orders that take money (PRODUCT.md "Orders: hold, pay, confirm"): a booking may be held
 * (`pending` until `expires_at`) and then `confirmed` or `expired`; it knows how it is paid
 * and how much of it was refunded. Events say how long a hold lasts; the site's settings say
 * which ways of paying it offers. Every booking made before was free or paid at the door.
 */
const BOOKING_MAIL_KINDS = ['booking.confirmed', 'booking.cancelled'];
const ORDER_MAIL_KINDS = [
  ...BOOKING_MAIL_KINDS,
  'booking.payment_due',
  'booking.expired',
  'booking.refunded',
];
const quoted = (values: string[]) => values.map((value) => `'${value}'`).join(', ');
const outboxKinds = (kinds: string[]) =>
  new TableCheck({ name: 'outbox_kind_known', expression: `kind IN (${quoted(kinds)})` });

export class Orders1765100000000 implements MigrationInterface {
  name = 'Orders1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp, text, integer } = portableColumns(queryRunner);
    await queryRunner.addColumns('bookings', [
      new TableColumn({ name: 'expires_at', type: timestamp, isNullable: true }),
      // Null while a held booking's buyer has not yet chosen how to pay.
      new TableColumn(text('payment_method', 20, { isNullable: true })),
      new TableColumn({ name: 'paid_at', type: timestamp, isNullable: true }),
      new TableColumn(integer('refunded_cents', { default: 0 })),
    ]);
    await queryRunner.query(
      "UPDATE bookings SET payment_method = CASE WHEN total_cents = 0 THEN 'free' ELSE 'on_site' END",
    );
    await queryRunner.dropCheckConstraint('bookings', 'bookings_status_known');
    await queryRunner.createCheckConstraints('bookings', [
      new TableCheck({
        name: 'bookings_status_known',
        expression: "status IN ('pending', 'confirmed', 'cancelled', 'expired')",
      }),
      new TableCheck({
        name: 'bookings_payment_method_known',
        expression: "payment_method IN ('free', 'on_site', 'stripe', 'bank_transfer', 'manual')",
      }),
      new TableCheck({
        name: 'bookings_refund_within_total',
        expression: 'refunded_cents >= 0 AND refunded_cents <= total_cents',
      }),
    ]);
    // The expiry sweep's question: which holds have lapsed?
    await queryRunner.createIndex(
      'bookings',
      new TableIndex({ name: 'bookings_status_expires_at', columnNames: ['status', 'expires_at'] }),
    );

    // The mails of an order's steps: payment due, hold lapsed, money refunded.
    await queryRunner.dropCheckConstraint('outbox', 'outbox_kind_known');
    await queryRunner.createCheckConstraint('outbox', outboxKinds(ORDER_MAIL_KINDS));

    await queryRunner.addColumn(
      'events',
      new TableColumn(integer('hold_minutes', { default: 15 })),
    );
    await queryRunner.createCheckConstraint(
      'events',
      new TableCheck({
        name: 'events_hold_minutes_range',
        expression: 'hold_minutes BETWEEN 1 AND 120',
      }),
    );

    await queryRunner.addColumns('site_settings', [
      new TableColumn({ name: 'bank_transfer_instructions', type: 'text', default: "''" }),
      new TableColumn(integer('bank_transfer_days', { default: 3 })),
      new TableColumn({ name: 'on_site_payment', type: 'boolean', default: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('site_settings', [
      'bank_transfer_instructions',
      'bank_transfer_days',
      'on_site_payment',
    ]);
    await queryRunner.query(`DELETE FROM outbox WHERE kind NOT IN (${quoted(BOOKING_MAIL_KINDS)})`);
    await queryRunner.dropCheckConstraint('outbox', 'outbox_kind_known');
    await queryRunner.createCheckConstraint('outbox', outboxKinds(BOOKING_MAIL_KINDS));
    await queryRunner.dropCheckConstraint('events', 'events_hold_minutes_range');
    await queryRunner.dropColumn('events', 'hold_minutes');
    await queryRunner.dropIndex('bookings', 'bookings_status_expires_at');
    for (const check of [
      'bookings_status_known',
      'bookings_payment_method_known',
      'bookings_refund_within_total',
    ]) {
      await queryRunner.dropCheckConstraint('bookings', check);
    }
    await queryRunner.query(
      "UPDATE bookings SET status = 'cancelled' WHERE status IN ('pending', 'expired')",
    );
    await queryRunner.dropColumns('bookings', [
      'expires_at',
      'payment_method',
      'paid_at',
      'refunded_cents',
    ]);
    await queryRunner.createCheckConstraint(
      'bookings',
      new TableCheck({
        name: 'bookings_status_known',
        expression: "status IN ('confirmed', 'cancelled')",
      }),
    );
  }
}
