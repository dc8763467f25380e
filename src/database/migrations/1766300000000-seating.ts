import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey } from 'typeorm';
import { portableColumns } from '../portable-columns';

/**
 * Reserved seating (PRODUCT.md "Reserved seating"): an event's seat map (sections, and seats in
 * numbered rows, each tied to one ticket type and placed for drawing), each seat's state on each
 * of the event's dates (`date_seats`: free, taken by one booking, or unavailable; a seat is taken
 * by a conditional UPDATE of its row), ticket types that are sold by seat, and each ticket's seat.
 */
export class Seating1766300000000 implements MigrationInterface {
  name = 'Seating1766300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { id, text, integer } = portableColumns(queryRunner);
    const cascadeTo = (column: string, table: string) => ({
      columnNames: [column],
      referencedTableName: table,
      referencedColumnNames: ['id'],
      onDelete: 'CASCADE',
    });
    await queryRunner.createTable(
      new Table({
        name: 'seating_sections',
        columns: [id, integer('event_id'), text('name', 60), integer('sort_order')],
        uniques: [{ name: 'seating_sections_name', columnNames: ['event_id', 'name'] }],
        foreignKeys: [cascadeTo('event_id', 'events')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'seats',
        columns: [
          id,
          integer('event_id'),
          integer('section_id'),
          integer('ticket_type_id'),
          text('row_label', 10),
          integer('row_index'),
          text('label', 10),
          integer('seat_index'),
          integer('x'),
          integer('y'),
          { name: 'unavailable', type: 'boolean', default: false },
        ],
        uniques: [{ name: 'seats_label', columnNames: ['section_id', 'row_label', 'label'] }],
        indices: [
          { name: 'seats_by_event', columnNames: ['event_id'] },
          { name: 'seats_by_ticket_type', columnNames: ['ticket_type_id'] },
        ],
        foreignKeys: [
          cascadeTo('event_id', 'events'),
          cascadeTo('section_id', 'seating_sections'),
          cascadeTo('ticket_type_id', 'ticket_types'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'date_seats',
        columns: [
          integer('date_id', { isPrimary: true }),
          integer('seat_id', { isPrimary: true }),
          text('status', 12, { default: "'free'" }),
          integer('booking_id', { isNullable: true }),
        ],
        indices: [
          { name: 'date_seats_by_seat', columnNames: ['seat_id'] },
          { name: 'date_seats_by_booking', columnNames: ['booking_id'] },
        ],
        foreignKeys: [cascadeTo('date_id', 'event_dates'), cascadeTo('seat_id', 'seats')],
        checks: [
          {
            name: 'date_seats_status',
            expression:
              "status IN ('free', 'taken', 'unavailable') AND (status = 'taken') = (booking_id IS NOT NULL)",
          },
        ],
      }),
    );
    await queryRunner.addColumn(
      'ticket_types',
      new TableColumn({ name: 'seated', type: 'boolean', default: false }),
    );
    await queryRunner.createForeignKey(
      'tickets',
      new TableForeignKey({
        name: 'tickets_seat',
        columnNames: ['seat_id'],
        referencedTableName: 'seats',
        referencedColumnNames: ['id'],
        onDelete: 'SET NULL',
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropForeignKey('tickets', 'tickets_seat');
    await queryRunner.dropColumn('ticket_types', 'seated');
    await queryRunner.dropTable('date_seats');
    await queryRunner.dropTable('seats');
    await queryRunner.dropTable('seating_sections');
  }
}
