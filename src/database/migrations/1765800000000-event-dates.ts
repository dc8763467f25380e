import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey } from 'typeorm';
import { portableColumns } from '../portable-columns';

/**
 * Dates (PRODUCT.md "Dates"): an event happens on one or more dates, and a booking is for one
 * of them. Every event so far becomes a one-date event (its start and end), and every booking
 * is for that date: nothing changes for them.
 */
export class EventDates1765800000000 implements MigrationInterface {
  name = 'EventDates1765800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { id, createdAt, text, integer, timestamp } = portableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'event_dates',
        columns: [
          id,
          integer('event_id'),
          { name: 'starts_at', type: timestamp },
          { name: 'ends_at', type: timestamp, isNullable: true },
          text('status', 10, { default: "'scheduled'" }),
          createdAt,
        ],
        indices: [{ name: 'event_dates_by_event', columnNames: ['event_id', 'starts_at'] }],
        foreignKeys: [
          {
            columnNames: ['event_id'],
            referencedTableName: 'events',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        checks: [
          {
            name: 'event_dates_status_known',
            expression: "status IN ('scheduled', 'cancelled')",
          },
          {
            name: 'event_dates_end_after_start',
            expression: 'ends_at IS NULL OR ends_at > starts_at',
          },
        ],
      }),
    );
    await queryRunner.query(
      'INSERT INTO event_dates (event_id, starts_at, ends_at) SELECT id, starts_at, ends_at FROM events ORDER BY id',
    );

    await queryRunner.addColumn(
      'bookings',
      new TableColumn(integer('date_id', { isNullable: true })),
    );
    await queryRunner.query(
      'UPDATE bookings SET date_id = (SELECT MIN(id) FROM event_dates WHERE event_dates.event_id = bookings.event_id)',
    );
    await queryRunner.changeColumn('bookings', 'date_id', new TableColumn(integer('date_id')));
    await queryRunner.createForeignKey(
      'bookings',
      new TableForeignKey({
        name: 'bookings_date',
        columnNames: ['date_id'],
        referencedTableName: 'event_dates',
        referencedColumnNames: ['id'],
        onDelete: 'RESTRICT',
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropForeignKey('bookings', 'bookings_date');
    await queryRunner.dropColumn('bookings', 'date_id');
    await queryRunner.dropTable('event_dates');
  }
}
