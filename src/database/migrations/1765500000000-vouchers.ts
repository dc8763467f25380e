import {
  MigrationInterface,
  QueryRunner,
  Table,
  TableCheck,
  TableColumn,
  TableForeignKey,
} from 'typeorm';
import { portableColumns } from '../portable-columns';

/**
 * Vouchers (PRODUCT.md "Selling tools"): codes per event that discount, unlock hidden ticket
 * types or hold tickets back for their holders. `reserved` on a ticket type is what its open
 * vouchers hold back (the sum of their `held`); the public may buy only what neither sold nor
 * reserved, so `sold + reserved <= capacity` is the invariant the database keeps.
 */
const SOLD_WITHIN_CAPACITY = 'ticket_types_sold_within_capacity';

export class Vouchers1765500000000 implements MigrationInterface {
  name = 'Vouchers1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { id, createdAt, text, integer, timestamp } = portableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'vouchers',
        columns: [
          id,
          integer('event_id'),
          text('code', 32),
          integer('max_usages', { default: 1 }),
          integer('redeemed', { default: 0 }),
          { name: 'valid_until', type: timestamp, isNullable: true },
          integer('ticket_type_id', { isNullable: true }),
          text('price_mode', 10, { default: "'none'" }),
          integer('value', { default: 0 }),
          { name: 'unlocks_hidden', type: 'boolean', default: false },
          { name: 'reserves_capacity', type: 'boolean', default: false },
          // Tickets of its type held back for it right now; 0 once released (lapsed).
          integer('held', { default: 0 }),
          { name: 'released_at', type: timestamp, isNullable: true },
          text('tag', 60, { default: "''" }),
          createdAt,
        ],
        uniques: [{ name: 'vouchers_event_code', columnNames: ['event_id', 'code'] }],
        indices: [{ name: 'vouchers_lapsing', columnNames: ['released_at', 'valid_until'] }],
        foreignKeys: [
          {
            columnNames: ['event_id'],
            referencedTableName: 'events',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
          {
            columnNames: ['ticket_type_id'],
            referencedTableName: 'ticket_types',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        checks: [
          {
            name: 'vouchers_usage_within_max',
            expression:
              'max_usages >= 1 AND redeemed >= 0 AND held >= 0 AND redeemed + held <= max_usages',
          },
          {
            name: 'vouchers_price_mode_known',
            expression: "price_mode IN ('none', 'set', 'subtract', 'percent')",
          },
          { name: 'vouchers_value_not_negative', expression: 'value >= 0' },
        ],
      }),
    );

    await queryRunner.addColumn(
      'ticket_types',
      new TableColumn(integer('reserved', { default: 0 })),
    );
    await queryRunner.dropCheckConstraint('ticket_types', SOLD_WITHIN_CAPACITY);
    await queryRunner.createCheckConstraint(
      'ticket_types',
      new TableCheck({
        name: SOLD_WITHIN_CAPACITY,
        expression: 'sold >= 0 AND reserved >= 0 AND sold + reserved <= capacity',
      }),
    );

    await queryRunner.addColumn(
      'bookings',
      new TableColumn(integer('voucher_id', { isNullable: true })),
    );
    await queryRunner.createForeignKey(
      'bookings',
      new TableForeignKey({
        name: 'bookings_voucher',
        columnNames: ['voucher_id'],
        referencedTableName: 'vouchers',
        referencedColumnNames: ['id'],
        onDelete: 'SET NULL',
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropForeignKey('bookings', 'bookings_voucher');
    await queryRunner.dropColumn('bookings', 'voucher_id');
    await queryRunner.dropCheckConstraint('ticket_types', SOLD_WITHIN_CAPACITY);
    await queryRunner.dropColumn('ticket_types', 'reserved');
    await queryRunner.createCheckConstraint(
      'ticket_types',
      new TableCheck({ name: SOLD_WITHIN_CAPACITY, expression: 'sold >= 0 AND sold <= capacity' }),
    );
    await queryRunner.dropTable('vouchers');
  }
}
