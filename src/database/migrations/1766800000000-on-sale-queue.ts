import { MigrationInterface, QueryRunner, Table, TableCheck, TableColumn } from 'typeorm';
import { portableColumns } from '../portable-columns';

/**
 * The fair on-sale queue (PRODUCT.md "Fair on-sale queue"): an event may put its sale behind a
 * queue (`events.queue_enabled`, opening at `on_sale_at`, admitting `admission_per_minute`
 * visitors a minute for `admission_minutes` each, paused by its organisers); `queue_entries`
 * holds each visitor's place; `queue_clocks` is each event's one admission clock, stepped by
 * whichever process comes first; `queue_proofs` the proofs of work already used.
 */
export class OnSaleQueue1766800000000 implements MigrationInterface {
  name = 'OnSaleQueue1766800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { id, text, integer, timestamp, now } = portableColumns(queryRunner);
    const boolean = (name: string) => new TableColumn({ name, type: 'boolean', default: false });
    await queryRunner.addColumns('events', [
      boolean('queue_enabled'),
      new TableColumn({ name: 'on_sale_at', type: timestamp, isNullable: true }),
      new TableColumn(integer('admission_per_minute', { default: 300 })),
      new TableColumn(integer('admission_minutes', { default: 10 })),
      boolean('queue_paused'),
    ]);
    await queryRunner.createCheckConstraints('events', [
      new TableCheck({
        name: 'events_queue_opens',
        expression: 'queue_enabled = false OR on_sale_at IS NOT NULL',
      }),
      new TableCheck({
        name: 'events_admission_rate',
        expression: 'admission_per_minute BETWEEN 1 AND 100000',
      }),
      new TableCheck({
        name: 'events_admission_minutes',
        expression: 'admission_minutes BETWEEN 1 AND 60',
      }),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'queue_entries',
        columns: [
          id,
          integer('event_id'),
          text('token_hash', 64, { isUnique: true }),
          text('client_address', 64),
          { name: 'joined_at', type: timestamp, default: now },
          text('draw', 16),
          integer('position', { isNullable: true }),
          text('status', 10, { default: "'waiting'" }),
          { name: 'admitted_at', type: timestamp, isNullable: true },
          { name: 'expires_at', type: timestamp, isNullable: true },
        ],
        indices: [
          { name: 'queue_entries_in_line', columnNames: ['event_id', 'status', 'position'] },
          { name: 'queue_entries_drawn', columnNames: ['event_id', 'draw'] },
          { name: 'queue_entries_of_address', columnNames: ['client_address', 'joined_at'] },
        ],
        foreignKeys: [
          {
            columnNames: ['event_id'],
            referencedTableName: 'events',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        checks: [
          {
            name: 'queue_entries_status_known',
            expression: "status IN ('waiting', 'admitted', 'purchased', 'lapsed', 'sold_out')",
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'queue_clocks',
        columns: [
          { ...integer('event_id'), isPrimary: true },
          integer('next_position', { default: 0 }),
          integer('admitted_through', { default: 0 }),
          /** Admissions owed but not yet made, in thousandths (the rate accrues between steps). */
          integer('credit_milli', { default: 0 }),
          { name: 'stepped_at', type: timestamp, isNullable: true },
          { name: 'drawn_at', type: timestamp, isNullable: true },
        ],
        foreignKeys: [
          {
            columnNames: ['event_id'],
            referencedTableName: 'events',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'queue_proofs',
        columns: [
          text('challenge', 64, { isPrimary: true }),
          { name: 'expires_at', type: timestamp },
        ],
        indices: [{ name: 'queue_proofs_expiry', columnNames: ['expires_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('queue_proofs');
    await queryRunner.dropTable('queue_clocks');
    await queryRunner.dropTable('queue_entries');
    for (const check of ['events_queue_opens', 'events_admission_rate', 'events_admission_minutes'])
      await queryRunner.dropCheckConstraint('events', check);
    for (const column of [
      'queue_enabled',
      'on_sale_at',
      'admission_per_minute',
      'admission_minutes',
      'queue_paused',
    ])
      await queryRunner.dropColumn('events', column);
  }
}
