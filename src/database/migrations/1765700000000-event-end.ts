import { MigrationInterface, QueryRunner, TableCheck, TableColumn } from 'typeorm';
import { portableColumns } from '../portable-columns';

/** Events may say when they end (PRODUCT.md "Dates"): the calendar file uses it. */
const ENDS_AFTER_START = new TableCheck({
  name: 'events_end_after_start',
  expression: 'ends_at IS NULL OR ends_at > starts_at',
});

export class EventEnd1765700000000 implements MigrationInterface {
  name = 'EventEnd1765700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp } = portableColumns(queryRunner);
    await queryRunner.addColumn(
      'events',
      new TableColumn({ name: 'ends_at', type: timestamp, isNullable: true }),
    );
    await queryRunner.createCheckConstraint('events', ENDS_AFTER_START);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropCheckConstraint('events', ENDS_AFTER_START.name!);
    await queryRunner.dropColumn('events', 'ends_at');
  }
}
