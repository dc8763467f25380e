import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** An event may ask for a name on each ticket (`events.name_per_ticket`, off for every event there is). */
export class NamePerTicket1766200000000 implements MigrationInterface {
  name = 'NamePerTicket1766200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'events',
      new TableColumn({ name: 'name_per_ticket', type: 'boolean', default: false }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('events', 'name_per_ticket');
  }
}
