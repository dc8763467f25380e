import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { portableColumns } from '../portable-columns';

/** A booking paid by card remembers its Checkout Session (to expire or ask it) and its payment (to refund). */
export class StripeCheckout1765200000000 implements MigrationInterface {
  name = 'StripeCheckout1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { text } = portableColumns(queryRunner);
    await queryRunner.addColumns('bookings', [
      new TableColumn(text('stripe_session_id', 255, { isNullable: true })),
      new TableColumn(text('stripe_payment_intent', 255, { isNullable: true })),
    ]);
    await queryRunner.createIndex(
      'bookings',
      new TableIndex({
        name: 'bookings_stripe_session_id',
        columnNames: ['stripe_session_id'],
        isUnique: true,
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('bookings', 'bookings_stripe_session_id');
    await queryRunner.dropColumns('bookings', ['stripe_session_id', 'stripe_payment_intent']);
  }
}
