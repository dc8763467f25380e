import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { portableColumns } from '../portable-columns';

/**
 * Domain events recorded in the transaction of the change they describe, until every
 * durable subscriber has taken them (src/domain-events/): then the row is deleted.
 */
export class DomainEvents1764600000000 implements MigrationInterface {
  name = 'DomainEvents1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { id, timestamp, now, createdAt, text, integer } = portableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'domain_events',
        columns: [
          id,
          text('type', 60),
          { name: 'payload', type: 'text' },
          integer('attempts', { default: 0 }),
          { name: 'next_attempt_at', type: timestamp, default: now },
          text('last_error', 500, { isNullable: true }),
          createdAt,
        ],
        indices: [{ name: 'idx_domain_events_due', columnNames: ['next_attempt_at', 'id'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('domain_events');
  }
}
