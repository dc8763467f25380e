import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { portableColumns } from '../portable-columns';

/**
 * Each refund of a booking, numbered per booking (`seq`): the number is part of the refund's
 * idempotency key at the payment provider, and unique, so one refund is never made twice.
 */
export class Refunds1765300000000 implements MigrationInterface {
  name = 'Refunds1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { id, integer, text, createdAt } = portableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'refunds',
        columns: [
          id,
          integer('booking_id'),
          integer('seq'),
          integer('amount_cents'),
          text('status', 20, { default: "'succeeded'" }),
          text('provider_refund_id', 255, { isNullable: true }),
          integer('created_by', { isNullable: true }),
          createdAt,
        ],
        foreignKeys: [
          {
            columnNames: ['booking_id'],
            referencedTableName: 'bookings',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        uniques: [{ name: 'refunds_booking_seq', columnNames: ['booking_id', 'seq'] }],
        checks: [
          { name: 'refunds_amount_positive', expression: 'amount_cents > 0' },
          { name: 'refunds_status_known', expression: "status IN ('pending', 'succeeded')" },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('refunds');
  }
}
