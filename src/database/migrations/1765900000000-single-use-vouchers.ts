import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * A waiting-list offer is a single-use voucher (PRODUCT.md "Selling tools"): one booking uses
 * it, and whatever of its tickets that booking does not take goes on to the next in the queue.
 */
export class SingleUseVouchers1765900000000 implements MigrationInterface {
  name = 'SingleUseVouchers1765900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'vouchers',
      new TableColumn({ name: 'single_use', type: 'boolean', default: false }),
    );
    await queryRunner.query(
      'UPDATE vouchers SET single_use = TRUE WHERE id IN (SELECT voucher_id FROM waiting_list_entries WHERE voucher_id IS NOT NULL)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('vouchers', 'single_use');
  }
}
