import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { portableColumns } from '../portable-columns';

/**
 * A domain event whose subscriber keeps failing is given up by the retry policy (as a mail is):
 * kept with `gave_up_at` and its last error, and left out of the dispatcher's "what is due?".
 */
export class DomainEventsGiveUp1764700000000 implements MigrationInterface {
  name = 'DomainEventsGiveUp1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp } = portableColumns(queryRunner);
    await queryRunner.addColumn(
      'domain_events',
      new TableColumn({ name: 'gave_up_at', type: timestamp, isNullable: true }),
    );
    await queryRunner.dropIndex('domain_events', 'idx_domain_events_due');
    await queryRunner.createIndex(
      'domain_events',
      new TableIndex({
        name: 'idx_domain_events_due',
        columnNames: ['next_attempt_at', 'id'],
        where: 'gave_up_at IS NULL',
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('domain_events', 'idx_domain_events_due');
    await queryRunner.dropColumn('domain_events', 'gave_up_at');
    await queryRunner.createIndex(
      'domain_events',
      new TableIndex({ name: 'idx_domain_events_due', columnNames: ['next_attempt_at', 'id'] }),
    );
  }
}
