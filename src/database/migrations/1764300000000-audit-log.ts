import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { portableColumns } from '../portable-columns';

/** Who changed what, and when: events, settings, cancellations, API tokens. */
export class AuditLog1764300000000 implements MigrationInterface {
  name = 'AuditLog1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { id, timestamp, now, text, integer } = portableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          id,
          { name: 'occurred_at', type: timestamp, default: now },
          integer('actor_id', { isNullable: true }),
          text('actor', 254),
          text('action', 40),
          text('subject', 200),
          text('details', 1000, { default: "''" }),
        ],
        indices: [{ name: 'idx_audit_log_occurred_at', columnNames: ['occurred_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_log');
  }
}
