import {
  MigrationInterface,
  QueryRunner,
  Table,
  TableCheck,
  TableColumn,
  TableForeignKey,
} from 'typeorm';
import { portableColumns } from '../portable-columns';

/**
 * Account safety (PRODUCT.md "Teams and accounts"): single-use links mailed to an account
 * (`account_tokens`: a password reset, a new email address to confirm), mailed through the
 * outbox (whose rows may now be about such a link), and every login of an account
 * (`account_sessions`), so that its owner can see and end them and a reset ends them all.
 */
const BEFORE = [
  'booking.confirmed',
  'booking.cancelled',
  'booking.payment_due',
  'booking.expired',
  'booking.refunded',
  'waiting_list.offered',
];
const WITH_ACCOUNT_MAILS = [...BEFORE, 'account.password_reset', 'account.email_change'];
const quoted = (values: string[]) => values.map((value) => `'${value}'`).join(', ');
const outboxKinds = (kinds: string[]) =>
  new TableCheck({ name: 'outbox_kind_known', expression: `kind IN (${quoted(kinds)})` });
const aboutOneThing = (columns: string[]) =>
  new TableCheck({
    name: 'outbox_about_one_thing',
    expression: columns
      .map((column) =>
        columns
          .map((other) => `${other} IS ${other === column ? 'NOT NULL' : 'NULL'}`)
          .join(' AND '),
      )
      .map((one) => `(${one})`)
      .join(' OR '),
  });
const userForeignKey = {
  columnNames: ['user_id'],
  referencedTableName: 'users',
  referencedColumnNames: ['id'],
  onDelete: 'CASCADE',
};

export class AccountSafety1766400000000 implements MigrationInterface {
  name = 'AccountSafety1766400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { id, createdAt, text, integer, timestamp } = portableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'account_tokens',
        columns: [
          id,
          integer('user_id'),
          text('purpose', 20),
          text('nonce', 64),
          text('new_email', 254, { isNullable: true }),
          { name: 'expires_at', type: timestamp },
          { name: 'used_at', type: timestamp, isNullable: true },
          createdAt,
        ],
        indices: [{ name: 'account_tokens_of_user', columnNames: ['user_id', 'purpose'] }],
        foreignKeys: [userForeignKey],
        checks: [
          {
            name: 'account_tokens_purpose_known',
            expression: "purpose IN ('password_reset', 'email_change')",
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'account_sessions',
        columns: [
          id,
          integer('user_id'),
          text('login_key', 64, { isUnique: true }),
          text('session_id', 255),
          text('ip', 64),
          text('user_agent', 200),
          createdAt,
          { name: 'ended_at', type: timestamp, isNullable: true },
        ],
        indices: [{ name: 'account_sessions_of_user', columnNames: ['user_id'] }],
        foreignKeys: [userForeignKey],
      }),
    );

    await queryRunner.addColumn(
      'outbox',
      new TableColumn(integer('account_token_id', { isNullable: true })),
    );
    await queryRunner.createForeignKey(
      'outbox',
      new TableForeignKey({
        name: 'outbox_account_token',
        columnNames: ['account_token_id'],
        referencedTableName: 'account_tokens',
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      }),
    );
    await queryRunner.dropCheckConstraint('outbox', 'outbox_about_one_thing');
    await queryRunner.dropCheckConstraint('outbox', 'outbox_kind_known');
    await queryRunner.createCheckConstraints('outbox', [
      outboxKinds(WITH_ACCOUNT_MAILS),
      aboutOneThing(['booking_id', 'waiting_list_entry_id', 'account_token_id']),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM outbox WHERE account_token_id IS NOT NULL');
    await queryRunner.dropCheckConstraint('outbox', 'outbox_about_one_thing');
    await queryRunner.dropCheckConstraint('outbox', 'outbox_kind_known');
    await queryRunner.createCheckConstraints('outbox', [
      outboxKinds(BEFORE),
      aboutOneThing(['booking_id', 'waiting_list_entry_id']),
    ]);
    await queryRunner.dropForeignKey('outbox', 'outbox_account_token');
    await queryRunner.dropColumn('outbox', 'account_token_id');
    await queryRunner.dropTable('account_sessions');
    await queryRunner.dropTable('account_tokens');
  }
}
