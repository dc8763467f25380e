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
 * The waiting list (PRODUCT.md "Selling tools"): entries queue per ticket type; freed tickets
 * are offered to them in order as reserving vouchers, mailed through the outbox (whose rows
 * may now be about an entry instead of a booking). `ticket_types.waiting` counts the entries
 * still waiting: while there are any, the public cannot buy what comes free.
 */
const ORDER_MAIL_KINDS = [
  'booking.confirmed',
  'booking.cancelled',
  'booking.payment_due',
  'booking.expired',
  'booking.refunded',
];
const WITH_OFFERS = [...ORDER_MAIL_KINDS, 'waiting_list.offered'];
const quoted = (values: string[]) => values.map((value) => `'${value}'`).join(', ');
const outboxKinds = (kinds: string[]) =>
  new TableCheck({ name: 'outbox_kind_known', expression: `kind IN (${quoted(kinds)})` });

export class WaitingList1765600000000 implements MigrationInterface {
  name = 'WaitingList1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { id, createdAt, text, integer, timestamp } = portableColumns(queryRunner);
    await queryRunner.addColumn(
      'events',
      new TableColumn(integer('waiting_list_hours', { default: 24 })),
    );
    await queryRunner.createCheckConstraint(
      'events',
      new TableCheck({
        name: 'events_waiting_list_hours_range',
        expression: 'waiting_list_hours BETWEEN 1 AND 720',
      }),
    );
    await queryRunner.addColumn(
      'ticket_types',
      new TableColumn(integer('waiting', { default: 0 })),
    );
    await queryRunner.createCheckConstraint(
      'ticket_types',
      new TableCheck({ name: 'ticket_types_waiting_not_negative', expression: 'waiting >= 0' }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'waiting_list_entries',
        columns: [
          id,
          integer('event_id'),
          integer('ticket_type_id'),
          integer('quantity'),
          text('name', 100),
          text('email', 254),
          text('status', 10, { default: "'waiting'" }),
          integer('voucher_id', { isNullable: true }),
          createdAt,
          { name: 'offered_at', type: timestamp, isNullable: true },
        ],
        uniques: [{ name: 'waiting_list_one_per_email', columnNames: ['ticket_type_id', 'email'] }],
        // The queue of a type, in order: who is next?
        indices: [
          { name: 'waiting_list_queue', columnNames: ['ticket_type_id', 'status', 'id'] },
          { name: 'waiting_list_by_voucher', columnNames: ['voucher_id'] },
        ],
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
          {
            columnNames: ['voucher_id'],
            referencedTableName: 'vouchers',
            referencedColumnNames: ['id'],
            onDelete: 'SET NULL',
          },
        ],
        checks: [
          { name: 'waiting_list_quantity_positive', expression: 'quantity >= 1' },
          {
            name: 'waiting_list_status_known',
            expression: "status IN ('waiting', 'offered', 'redeemed', 'lapsed')",
          },
        ],
      }),
    );

    await queryRunner.changeColumn(
      'outbox',
      'booking_id',
      new TableColumn(integer('booking_id', { isNullable: true })),
    );
    await queryRunner.addColumn(
      'outbox',
      new TableColumn(integer('waiting_list_entry_id', { isNullable: true })),
    );
    await queryRunner.createForeignKey(
      'outbox',
      new TableForeignKey({
        name: 'outbox_waiting_list_entry',
        columnNames: ['waiting_list_entry_id'],
        referencedTableName: 'waiting_list_entries',
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      }),
    );
    await queryRunner.dropCheckConstraint('outbox', 'outbox_kind_known');
    await queryRunner.createCheckConstraints('outbox', [
      outboxKinds(WITH_OFFERS),
      new TableCheck({
        name: 'outbox_about_one_thing',
        expression:
          '(booking_id IS NULL AND waiting_list_entry_id IS NOT NULL) OR (booking_id IS NOT NULL AND waiting_list_entry_id IS NULL)',
      }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM outbox WHERE booking_id IS NULL');
    await queryRunner.dropCheckConstraint('outbox', 'outbox_about_one_thing');
    await queryRunner.dropCheckConstraint('outbox', 'outbox_kind_known');
    await queryRunner.createCheckConstraint('outbox', outboxKinds(ORDER_MAIL_KINDS));
    await queryRunner.dropForeignKey('outbox', 'outbox_waiting_list_entry');
    await queryRunner.dropColumn('outbox', 'waiting_list_entry_id');
    await queryRunner.changeColumn(
      'outbox',
      'booking_id',
      new TableColumn({ name: 'booking_id', type: 'integer' }),
    );
    await queryRunner.dropTable('waiting_list_entries');
    await queryRunner.dropCheckConstraint('ticket_types', 'ticket_types_waiting_not_negative');
    await queryRunner.dropColumn('ticket_types', 'waiting');
    await queryRunner.dropCheckConstraint('events', 'events_waiting_list_hours_range');
    await queryRunner.dropColumn('events', 'waiting_list_hours');
  }
}
