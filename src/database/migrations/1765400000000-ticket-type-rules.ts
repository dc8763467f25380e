import { MigrationInterface, QueryRunner, TableCheck, TableColumn } from 'typeorm';
import { portableColumns } from '../portable-columns';

/**
 * Selling rules per ticket type (PRODUCT.md "Selling tools"): a sale window, how many one
 * order may take, hidden types sold only with a code, a short description. Existing types
 * keep their event's per-type limit, so nothing changes for them.
 */
const CHECKS = [
  new TableCheck({
    name: 'ticket_types_per_order_range',
    expression: 'min_per_order >= 1 AND max_per_order >= min_per_order AND max_per_order <= 100',
  }),
  new TableCheck({
    name: 'ticket_types_sale_window',
    expression: 'sale_starts_at IS NULL OR sale_ends_at IS NULL OR sale_starts_at < sale_ends_at',
  }),
];

export class TicketTypeRules1765400000000 implements MigrationInterface {
  name = 'TicketTypeRules1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp, integer } = portableColumns(queryRunner);
    await queryRunner.addColumns('ticket_types', [
      new TableColumn({ name: 'description', type: 'text', default: "''" }),
      new TableColumn({ name: 'sale_starts_at', type: timestamp, isNullable: true }),
      new TableColumn({ name: 'sale_ends_at', type: timestamp, isNullable: true }),
      new TableColumn(integer('min_per_order', { default: 1 })),
      new TableColumn(integer('max_per_order', { default: 10 })),
      new TableColumn({ name: 'hidden', type: 'boolean', default: false }),
    ]);
    await queryRunner.query(
      'UPDATE ticket_types SET max_per_order = (SELECT max_tickets_per_type FROM events WHERE events.id = ticket_types.event_id)',
    );
    await queryRunner.createCheckConstraints('ticket_types', CHECKS);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const check of CHECKS) await queryRunner.dropCheckConstraint('ticket_types', check.name!);
    await queryRunner.dropColumns('ticket_types', [
      'description',
      'sale_starts_at',
      'sale_ends_at',
      'min_per_order',
      'max_per_order',
      'hidden',
    ]);
  }
}
