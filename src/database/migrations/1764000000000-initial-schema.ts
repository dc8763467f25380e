import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { portableColumns } from '../portable-columns';

/**
 * Written with TypeORM's Table API rather than raw DDL so the same migration
 * produces the right SQL on SQLite and on PostgreSQL.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp, now, id, createdAt, text, integer } = portableColumns(queryRunner);

    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          id,
          text('email', 254, { isUnique: true }),
          text('password_hash', 255),
          text('display_name', 100),
          text('role', 20),
          createdAt,
        ],
        checks: [{ name: 'users_role_known', expression: "role IN ('organiser', 'admin')" }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'events',
        columns: [
          id,
          integer('organiser_id'),
          text('title', 200),
          { name: 'description', type: 'text', default: "''" },
          text('venue', 200, { default: "''" }),
          { name: 'starts_at', type: timestamp },
          text('status', 20, { default: "'draft'" }),
          { name: 'published_at', type: timestamp, isNullable: true },
          integer('max_tickets_per_type', { default: 10 }),
          createdAt,
          { name: 'updated_at', type: timestamp, default: now },
        ],
        foreignKeys: [
          {
            columnNames: ['organiser_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          },
        ],
        indices: [{ columnNames: ['organiser_id'] }, { columnNames: ['status', 'starts_at'] }],
        checks: [{ name: 'events_status_known', expression: "status IN ('draft', 'published')" }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'ticket_types',
        columns: [
          id,
          integer('event_id'),
          text('name', 60),
          integer('price_cents'),
          integer('capacity'),
          integer('sold', { default: 0 }),
          integer('sort_order', { default: 0 }),
        ],
        foreignKeys: [
          {
            columnNames: ['event_id'],
            referencedTableName: 'events',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [{ columnNames: ['event_id'] }],
        checks: [
          {
            name: 'ticket_types_sold_within_capacity',
            expression: 'sold >= 0 AND sold <= capacity',
          },
          { name: 'ticket_types_price_not_negative', expression: 'price_cents >= 0' },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'bookings',
        columns: [
          id,
          text('reference', 20, { isUnique: true }),
          text('secret', 64),
          integer('event_id'),
          text('attendee_name', 100),
          text('attendee_email', 254),
          integer('total_cents'),
          text('status', 20, { default: "'confirmed'" }),
          text('idempotency_key', 100, { isNullable: true, isUnique: true }),
          createdAt,
          { name: 'cancelled_at', type: timestamp, isNullable: true },
        ],
        foreignKeys: [
          {
            columnNames: ['event_id'],
            referencedTableName: 'events',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          },
        ],
        indices: [{ columnNames: ['event_id'] }],
        checks: [
          { name: 'bookings_status_known', expression: "status IN ('confirmed', 'cancelled')" },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'booking_items',
        columns: [
          id,
          integer('booking_id'),
          integer('ticket_type_id'),
          integer('quantity'),
          integer('unit_price_cents'),
        ],
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
        indices: [{ columnNames: ['booking_id'] }, { columnNames: ['ticket_type_id'] }],
        checks: [{ name: 'booking_items_quantity_positive', expression: 'quantity > 0' }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'site_settings',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          text('name', 100),
          { name: 'description', type: 'text', default: "''" },
          { name: 'updated_at', type: timestamp, default: now },
        ],
      }),
    );
    // Plain SQL, not the entity: the entity has the columns of later migrations too.
    await queryRunner.query(
      "INSERT INTO site_settings (id, name, description) VALUES (1, 'Boxoffice', 'Tickets for concerts, talks and everything in between.')",
    );

    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          { name: 'id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'expires_at', type: 'bigint' },
          { name: 'data', type: 'text' },
        ],
        indices: [{ columnNames: ['expires_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'sessions',
      'site_settings',
      'booking_items',
      'bookings',
      'ticket_types',
      'events',
      'users',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
