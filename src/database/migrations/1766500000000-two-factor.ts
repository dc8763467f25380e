import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { portableColumns } from '../portable-columns';

/**
 * Two-factor sign-in (PRODUCT.md "Teams and accounts"): an account's TOTP secret (sealed with
 * the app's secret), the last time step a code was accepted for (a code is good once), its
 * single-use recovery codes (hashed), and the site's choice to require it of admins.
 */
export class TwoFactor1766500000000 implements MigrationInterface {
  name = 'TwoFactor1766500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { id, createdAt, text, integer, timestamp } = portableColumns(queryRunner);
    await queryRunner.addColumns('users', [
      new TableColumn(text('totp_secret', 200, { isNullable: true })),
      new TableColumn({ name: 'totp_enabled_at', type: timestamp, isNullable: true }),
      new TableColumn(integer('totp_last_step', { isNullable: true })),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'recovery_codes',
        columns: [
          id,
          integer('user_id'),
          text('code_hash', 64),
          { name: 'used_at', type: timestamp, isNullable: true },
          createdAt,
        ],
        indices: [{ name: 'recovery_codes_of_user', columnNames: ['user_id', 'code_hash'] }],
        foreignKeys: [
          {
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    await queryRunner.addColumn(
      'site_settings',
      new TableColumn({ name: 'require_two_factor_for_admins', type: 'boolean', default: false }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('site_settings', 'require_two_factor_for_admins');
    await queryRunner.dropTable('recovery_codes');
    for (const column of ['totp_last_step', 'totp_enabled_at', 'totp_secret'])
      await queryRunner.dropColumn('users', column);
  }
}
