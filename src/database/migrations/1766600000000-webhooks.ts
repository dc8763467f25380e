import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { portableColumns } from '../portable-columns';

/**
 * Webhooks (PRODUCT.md "Webhooks"): the endpoints an account registers (`webhook_endpoints`,
 * the signing secret sealed) and each delivery to one (`webhook_deliveries`), queued in the
 * transaction of the change it announces, tried until delivered or for a day.
 */
export class Webhooks1766600000000 implements MigrationInterface {
  name = 'Webhooks1766600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { id, createdAt, text, integer, timestamp } = portableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'webhook_endpoints',
        columns: [
          id,
          integer('owner_id'),
          text('url', 2000),
          text('events', 200),
          text('secret', 200),
          createdAt,
        ],
        indices: [{ name: 'webhook_endpoints_of_owner', columnNames: ['owner_id'] }],
        foreignKeys: [
          {
            columnNames: ['owner_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          id,
          integer('endpoint_id'),
          text('event', 40),
          integer('booking_id', { isNullable: true }),
          { name: 'payload', type: 'text', isNullable: true },
          text('status', 10, { default: "'pending'" }),
          integer('attempts', { default: 0 }),
          integer('response_code', { isNullable: true }),
          text('last_error', 500, { isNullable: true }),
          { name: 'next_attempt_at', type: timestamp },
          { name: 'delivered_at', type: timestamp, isNullable: true },
          createdAt,
        ],
        indices: [
          { name: 'webhook_deliveries_due', columnNames: ['status', 'next_attempt_at'] },
          { name: 'webhook_deliveries_of_endpoint', columnNames: ['endpoint_id', 'id'] },
        ],
        foreignKeys: [
          {
            columnNames: ['endpoint_id'],
            referencedTableName: 'webhook_endpoints',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
          {
            columnNames: ['booking_id'],
            referencedTableName: 'bookings',
            referencedColumnNames: ['id'],
            onDelete: 'SET NULL',
          },
        ],
        checks: [
          {
            name: 'webhook_deliveries_status_known',
            expression: "status IN ('pending', 'delivered', 'failed')",
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('webhook_deliveries');
    await queryRunner.dropTable('webhook_endpoints');
  }
}
