import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { portableColumns } from '../portable-columns';

export class ApiTokens1764100000000 implements MigrationInterface {
  name = 'ApiTokens1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp, id, createdAt, text, integer } = portableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'api_tokens',
        columns: [
          id,
          text('name', 100),
          text('token_hash', 64, { isUnique: true }),
          text('token_prefix', 16),
          integer('user_id'),
          createdAt,
          { name: 'last_used_at', type: timestamp, isNullable: true },
          { name: 'revoked_at', type: timestamp, isNullable: true },
        ],
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
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('api_tokens');
  }
}
