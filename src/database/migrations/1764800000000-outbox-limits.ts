import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { portableColumns } from '../portable-columns';

/**
 * Mail limits (PRODUCT.md "Abuse limits"): a mail over the cap for its recipient is kept as
 * suppressed, with the reason, and never sent; the mails of one event are paced, which needs
 * the event on each row (filled in from the bookings for the rows there are).
 */
export class OutboxLimits1764800000000 implements MigrationInterface {
  name = 'OutboxLimits1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp, text, integer } = portableColumns(queryRunner);
    await queryRunner.addColumns('outbox', [
      new TableColumn(integer('event_id', { isNullable: true })),
      new TableColumn({ name: 'suppressed_at', type: timestamp, isNullable: true }),
      new TableColumn(text('suppressed_reason', 200, { isNullable: true })),
    ]);
    await queryRunner.query(
      'UPDATE outbox SET event_id = (SELECT event_id FROM bookings WHERE bookings.id = outbox.booking_id)',
    );
    await queryRunner.dropIndex('outbox', 'idx_outbox_pending');
    await queryRunner.createIndices('outbox', [
      new TableIndex({
        name: 'idx_outbox_pending',
        columnNames: ['next_attempt_at'],
        where: 'sent_at IS NULL AND gave_up_at IS NULL AND suppressed_at IS NULL',
      }),
      // The mails sent in the last hour (per recipient) or minute (per event) are counted from here.
      new TableIndex({ name: 'idx_outbox_sent_at', columnNames: ['sent_at'] }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('outbox', 'idx_outbox_sent_at');
    await queryRunner.dropIndex('outbox', 'idx_outbox_pending');
    await queryRunner.dropColumns('outbox', ['event_id', 'suppressed_at', 'suppressed_reason']);
    await queryRunner.createIndex(
      'outbox',
      new TableIndex({
        name: 'idx_outbox_pending',
        columnNames: ['next_attempt_at'],
        where: 'sent_at IS NULL AND gave_up_at IS NULL',
      }),
    );
  }
}
