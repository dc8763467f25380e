import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** The site's currency (ISO 4217), shown with every price: money stays integer cents. */
export class Currency1765000000000 implements MigrationInterface {
  name = 'Currency1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'site_settings',
      new TableColumn({ name: 'currency', type: 'varchar', length: '3', default: "'EUR'" }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('site_settings', 'currency');
  }
}
