import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { portableColumns } from '../portable-columns';

/**
 * Admins may require that a new organiser be approved before their events go public
 * (`site_settings.organiser_approval`, off by default). The accounts there already are count
 * as approved, so switching it on locks nobody out.
 */
export class OrganiserApproval1764900000000 implements MigrationInterface {
  name = 'OrganiserApproval1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp } = portableColumns(queryRunner);
    await queryRunner.addColumn(
      'site_settings',
      new TableColumn({ name: 'organiser_approval', type: 'boolean', default: false }),
    );
    await queryRunner.addColumn(
      'users',
      new TableColumn({ name: 'approved_at', type: timestamp, isNullable: true }),
    );
    await queryRunner.query('UPDATE users SET approved_at = created_at');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('users', 'approved_at');
    await queryRunner.dropColumn('site_settings', 'organiser_approval');
  }
}
