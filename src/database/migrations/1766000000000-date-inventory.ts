import {
  MigrationInterface,
  QueryRunner,
  Table,
  TableCheck,
  TableColumn,
  TableForeignKey,
  TableIndex,
  TableUnique,
} from 'typeorm';
import { portableColumns } from '../portable-columns';

/**
 * Inventory per date (PRODUCT.md "Dates"): each ticket type's capacity applies to every date of
 * its event, so what is sold, held for vouchers and waited for is counted per (date, type) in
 * `date_inventory`, whose CHECK keeps `sold + reserved <= capacity` for each date. The ticket
 * type's own counts stay, as sums over its dates (Part 1 reads `sold`). Reserving vouchers hold
 * on one date and waiting-list entries wait for one date. Every row so far is for the one date
 * its event has.
 */
const SOLD_WITHIN_CAPACITY = 'ticket_types_sold_within_capacity';
const firstDateOfEvent = (table: string) =>
  `(SELECT MIN(id) FROM event_dates WHERE event_dates.event_id = ${table}.event_id)`;

export class DateInventory1766000000000 implements MigrationInterface {
  name = 'DateInventory1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { integer } = portableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'date_inventory',
        columns: [
          integer('date_id', { isPrimary: true }),
          integer('ticket_type_id', { isPrimary: true }),
          integer('capacity'),
          integer('sold', { default: 0 }),
          integer('reserved', { default: 0 }),
          integer('waiting', { default: 0 }),
        ],
        indices: [{ name: 'date_inventory_by_type', columnNames: ['ticket_type_id'] }],
        foreignKeys: [
          {
            columnNames: ['date_id'],
            referencedTableName: 'event_dates',
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
            name: 'date_inventory_within_capacity',
            expression:
              'sold >= 0 AND reserved >= 0 AND waiting >= 0 AND sold + reserved <= capacity',
          },
        ],
      }),
    );
    await queryRunner.query(
      `INSERT INTO date_inventory (date_id, ticket_type_id, capacity, sold, reserved, waiting)
       SELECT event_dates.id, ticket_types.id, ticket_types.capacity, ticket_types.sold, ticket_types.reserved, ticket_types.waiting
       FROM ticket_types JOIN event_dates ON event_dates.event_id = ticket_types.event_id
       ORDER BY event_dates.id, ticket_types.id`,
    );
    // Summed over dates, a type's counts may pass its capacity; each date's may not.
    await queryRunner.dropCheckConstraint('ticket_types', SOLD_WITHIN_CAPACITY);
    await queryRunner.createCheckConstraint(
      'ticket_types',
      new TableCheck({ name: SOLD_WITHIN_CAPACITY, expression: 'sold >= 0 AND reserved >= 0' }),
    );

    await queryRunner.addColumn(
      'vouchers',
      new TableColumn(integer('date_id', { isNullable: true })),
    );
    await queryRunner.query(
      `UPDATE vouchers SET date_id = ${firstDateOfEvent('vouchers')} WHERE reserves_capacity = ${this.truth(queryRunner)}`,
    );
    await queryRunner.createForeignKey(
      'vouchers',
      new TableForeignKey({
        name: 'vouchers_date',
        columnNames: ['date_id'],
        referencedTableName: 'event_dates',
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      }),
    );

    await queryRunner.addColumn(
      'waiting_list_entries',
      new TableColumn(integer('date_id', { isNullable: true })),
    );
    await queryRunner.query(
      `UPDATE waiting_list_entries SET date_id = ${firstDateOfEvent('waiting_list_entries')}`,
    );
    await queryRunner.changeColumn(
      'waiting_list_entries',
      'date_id',
      new TableColumn(integer('date_id')),
    );
    await queryRunner.createForeignKey(
      'waiting_list_entries',
      new TableForeignKey({
        name: 'waiting_list_date',
        columnNames: ['date_id'],
        referencedTableName: 'event_dates',
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      }),
    );
    await queryRunner.dropUniqueConstraint('waiting_list_entries', 'waiting_list_one_per_email');
    await queryRunner.createUniqueConstraint(
      'waiting_list_entries',
      new TableUnique({
        name: 'waiting_list_one_per_email',
        columnNames: ['date_id', 'ticket_type_id', 'email'],
      }),
    );
    await queryRunner.dropIndex('waiting_list_entries', 'waiting_list_queue');
    await queryRunner.createIndex(
      'waiting_list_entries',
      new TableIndex({
        name: 'waiting_list_queue',
        columnNames: ['date_id', 'ticket_type_id', 'status', 'id'],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('waiting_list_entries', 'waiting_list_queue');
    await queryRunner.createIndex(
      'waiting_list_entries',
      new TableIndex({
        name: 'waiting_list_queue',
        columnNames: ['ticket_type_id', 'status', 'id'],
      }),
    );
    await queryRunner.dropUniqueConstraint('waiting_list_entries', 'waiting_list_one_per_email');
    await queryRunner.createUniqueConstraint(
      'waiting_list_entries',
      new TableUnique({
        name: 'waiting_list_one_per_email',
        columnNames: ['ticket_type_id', 'email'],
      }),
    );
    await queryRunner.dropForeignKey('waiting_list_entries', 'waiting_list_date');
    await queryRunner.dropColumn('waiting_list_entries', 'date_id');
    await queryRunner.dropForeignKey('vouchers', 'vouchers_date');
    await queryRunner.dropColumn('vouchers', 'date_id');
    await queryRunner.dropCheckConstraint('ticket_types', SOLD_WITHIN_CAPACITY);
    await queryRunner.createCheckConstraint(
      'ticket_types',
      new TableCheck({
        name: SOLD_WITHIN_CAPACITY,
        expression: 'sold >= 0 AND reserved >= 0 AND sold + reserved <= capacity',
      }),
    );
    await queryRunner.dropTable('date_inventory');
  }

  private truth(queryRunner: QueryRunner): string {
    return queryRunner.connection.driver.options.type === 'postgres' ? 'true' : '1';
  }
}
