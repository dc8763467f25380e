import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { portableColumns } from '../portable-columns';

/**
 * Mails to send, written in the transaction of the change they announce, so a committed
 * booking always has its confirmation queued (see src/mail/). A row is deleted with its
 * booking: mails are composed from the booking when sent, and one that no longer exists
 * cannot be described (bookings are only deleted with their event, once cancelled).
 */
export class Outbox1764400000000 implements MigrationInterface {
  name = 'Outbox1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { id, timestamp, now, createdAt, text, integer } = portableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'outbox',
        columns: [
          id,
          text('kind', 40),
          integer('booking_id'),
          text('recipient', 254),
          integer('attempts', { default: 0 }),
          { name: 'next_attempt_at', type: timestamp, default: now },
          { name: 'sent_at', type: timestamp, isNullable: true },
          // Set when the mail server refused the mail for good, or after the last attempt.
          { name: 'gave_up_at', type: timestamp, isNullable: true },
          text('last_error', 500, { isNullable: true }),
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
        indices: [
          { columnNames: ['booking_id'] },
          // Only pending rows: the worker's "what is due?" stays small however many mails were sent.
          {
            name: 'idx_outbox_pending',
            columnNames: ['next_attempt_at'],
            where: 'sent_at IS NULL AND gave_up_at IS NULL',
          },
        ],
        checks: [
          {
            name: 'outbox_kind_known',
            expression: "kind IN ('booking.confirmed', 'booking.cancelled')",
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('outbox');
  }
}
