import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { portableColumns } from '../portable-columns';

/** When a booking was checked in at the door (null until then); who did it is in the audit log. */
export class CheckIn1764500000000 implements MigrationInterface {
  name = 'CheckIn1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp } = portableColumns(queryRunner);
    await queryRunner.addColumn(
      'bookings',
      new TableColumn({ name: 'checked_in_at', type: timestamp, isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('bookings', 'checked_in_at');
  }
}
