import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** What an idempotency key was first used for, so a reuse with a different order is refused (409). */
export class IdempotencyFingerprint1764200000000 implements MigrationInterface {
  name = 'IdempotencyFingerprint1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'bookings',
      new TableColumn({
        name: 'idempotency_fingerprint',
        type: 'varchar',
        length: '64',
        isNullable: true,
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('bookings', 'idempotency_fingerprint');
  }
}
