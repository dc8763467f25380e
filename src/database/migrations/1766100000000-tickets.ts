import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { randomInt } from 'node:crypto';
import { portableColumns } from '../portable-columns';

/**
 * Tickets, one by one (PRODUCT.md "Tickets, one by one"): a booking holds one ticket per unit
 * bought, each with its own unguessable code and check-in. Every booking so far gets its
 * tickets (one per unit of each item), checked in when the booking was.
 */
/**
 * A ticket code as the app makes them (16 of Crockford's base32, from the secure random source),
 * written out here so this migration stays as it is whatever the app's code becomes.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ticketCode = () =>
  Array.from({ length: 16 }, () => CROCKFORD[randomInt(CROCKFORD.length)]).join('');

interface ItemToTicket {
  id: number;
  booking_id: number;
  ticket_type_id: number;
  quantity: number;
  checked_in_at: unknown;
}

export class Tickets1766100000000 implements MigrationInterface {
  name = 'Tickets1766100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { id, createdAt, text, integer, timestamp } = portableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'tickets',
        columns: [
          id,
          integer('booking_id'),
          integer('ticket_type_id'),
          text('code', 16),
          text('attendee_name', 100, { isNullable: true }),
          integer('seat_id', { isNullable: true }),
          { name: 'checked_in_at', type: timestamp, isNullable: true },
          createdAt,
        ],
        uniques: [{ name: 'tickets_code', columnNames: ['code'] }],
        indices: [{ name: 'tickets_by_booking', columnNames: ['booking_id'] }],
        foreignKeys: [
          {
            columnNames: ['booking_id'],
            referencedTableName: 'bookings',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
          {
            columnNames: ['ticket_type_id'],
            referencedTableName: 'ticket_types',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          },
        ],
      }),
    );
    const placeholder = (n: number) =>
      queryRunner.connection.driver.options.type === 'postgres' ? `$${n}` : '?';
    // A few hundred items at a time, so a database of any size is migrated in bounded memory.
    for (let after = 0; ;) {
      const items = (await queryRunner.query(
        `SELECT booking_items.id, booking_items.booking_id, booking_items.ticket_type_id, booking_items.quantity, bookings.checked_in_at
         FROM booking_items JOIN bookings ON bookings.id = booking_items.booking_id
         WHERE booking_items.id > ${placeholder(1)} ORDER BY booking_items.id LIMIT 200`,
        [after],
      )) as ItemToTicket[];
      if (items.length === 0) return;
      const tickets = items.flatMap((item) =>
        Array.from({ length: Number(item.quantity) }, () => ({
          booking_id: item.booking_id,
          ticket_type_id: item.ticket_type_id,
          code: ticketCode(),
          checked_in_at: item.checked_in_at ?? null,
        })),
      );
      // A hundred rows a statement keeps within SQLite's limit on bound parameters.
      for (let start = 0; start < tickets.length; start += 100) {
        await queryRunner.manager
          .createQueryBuilder()
          .insert()
          .into('tickets', ['booking_id', 'ticket_type_id', 'code', 'checked_in_at'])
          .values(tickets.slice(start, start + 100))
          .execute();
      }
      after = Number(items[items.length - 1].id);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('tickets');
  }
}
