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
 * Organisations (PRODUCT.md "Teams and accounts"): events belong to an organisation, whose
 * members have a role (`memberships`); people are invited by a mailed single-use link
 * (`invitations`, mailed through the outbox). Every existing account gets an organisation of
 * its own, as owner, and its events move into it. Each login remembers the organisation it
 * works in (`account_sessions.organisation_id`). Webhook endpoints belong to an organisation;
 * those an admin registered before hear every event, as they did (organisation_id NULL).
 */
const BEFORE = [
  'booking.confirmed',
  'booking.cancelled',
  'booking.payment_due',
  'booking.expired',
  'booking.refunded',
  'waiting_list.offered',
  'account.password_reset',
  'account.email_change',
];
const WITH_INVITATIONS = [...BEFORE, 'team.invitation'];
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
const references = (column: string, table: string, onDelete: string) => ({
  columnNames: [column],
  referencedTableName: table,
  referencedColumnNames: ['id'],
  onDelete,
});
const ROLES = "role IN ('owner', 'manager', 'door')";

export class Organisations1766700000000 implements MigrationInterface {
  name = 'Organisations1766700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { id, createdAt, text, integer, timestamp } = portableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'organisations',
        columns: [id, text('name', 100), integer('founder_id', { isNullable: true }), createdAt],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'memberships',
        columns: [id, integer('organisation_id'), integer('user_id'), text('role', 10), createdAt],
        uniques: [
          { name: 'memberships_one_per_user', columnNames: ['user_id', 'organisation_id'] },
        ],
        indices: [{ name: 'memberships_of_organisation', columnNames: ['organisation_id'] }],
        foreignKeys: [
          references('organisation_id', 'organisations', 'CASCADE'),
          references('user_id', 'users', 'CASCADE'),
        ],
        checks: [{ name: 'memberships_role_known', expression: ROLES }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'invitations',
        columns: [
          id,
          integer('organisation_id'),
          text('email', 254),
          text('role', 10),
          text('nonce', 64),
          integer('invited_by_id', { isNullable: true }),
          { name: 'expires_at', type: timestamp },
          { name: 'accepted_at', type: timestamp, isNullable: true },
          { name: 'revoked_at', type: timestamp, isNullable: true },
          createdAt,
        ],
        indices: [{ name: 'invitations_of_organisation', columnNames: ['organisation_id'] }],
        foreignKeys: [
          references('organisation_id', 'organisations', 'CASCADE'),
          references('invited_by_id', 'users', 'SET NULL'),
        ],
        checks: [{ name: 'invitations_role_known', expression: ROLES }],
      }),
    );

    // One organisation for each account, founded by it: the founder column says whose.
    await queryRunner.query(
      'INSERT INTO organisations (name, founder_id) SELECT display_name, id FROM users ORDER BY id',
    );
    await queryRunner.query(
      "INSERT INTO memberships (organisation_id, user_id, role) SELECT id, founder_id, 'owner' FROM organisations ORDER BY id",
    );

    await queryRunner.addColumn(
      'events',
      new TableColumn(integer('organisation_id', { isNullable: true })),
    );
    await queryRunner.query(
      'UPDATE events SET organisation_id = (SELECT id FROM organisations WHERE founder_id = events.organiser_id)',
    );
    await queryRunner.changeColumn(
      'events',
      'organisation_id',
      new TableColumn(integer('organisation_id')),
    );
    await queryRunner.createForeignKey(
      'events',
      new TableForeignKey({
        name: 'events_organisation',
        ...references('organisation_id', 'organisations', 'RESTRICT'),
      }),
    );
    await queryRunner.query(
      'CREATE INDEX events_of_organisation ON events (organisation_id, starts_at)',
    );

    await queryRunner.addColumn(
      'account_sessions',
      new TableColumn(integer('organisation_id', { isNullable: true })),
    );
    await queryRunner.createForeignKey(
      'account_sessions',
      new TableForeignKey({
        name: 'account_sessions_organisation',
        ...references('organisation_id', 'organisations', 'SET NULL'),
      }),
    );

    await queryRunner.addColumn(
      'webhook_endpoints',
      new TableColumn(integer('organisation_id', { isNullable: true })),
    );
    await queryRunner.query(
      "UPDATE webhook_endpoints SET organisation_id = (SELECT organisations.id FROM organisations JOIN users ON users.id = organisations.founder_id WHERE organisations.founder_id = webhook_endpoints.owner_id AND users.role <> 'admin')",
    );
    await queryRunner.createForeignKey(
      'webhook_endpoints',
      new TableForeignKey({
        name: 'webhook_endpoints_organisation',
        ...references('organisation_id', 'organisations', 'CASCADE'),
      }),
    );
    await queryRunner.query(
      'CREATE INDEX webhook_endpoints_of_organisation ON webhook_endpoints (organisation_id)',
    );

    await queryRunner.addColumn(
      'outbox',
      new TableColumn(integer('invitation_id', { isNullable: true })),
    );
    await queryRunner.createForeignKey(
      'outbox',
      new TableForeignKey({
        name: 'outbox_invitation',
        ...references('invitation_id', 'invitations', 'CASCADE'),
      }),
    );
    await queryRunner.dropCheckConstraint('outbox', 'outbox_about_one_thing');
    await queryRunner.dropCheckConstraint('outbox', 'outbox_kind_known');
    await queryRunner.createCheckConstraints('outbox', [
      outboxKinds(WITH_INVITATIONS),
      aboutOneThing(['booking_id', 'waiting_list_entry_id', 'account_token_id', 'invitation_id']),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM outbox WHERE invitation_id IS NOT NULL');
    await queryRunner.dropCheckConstraint('outbox', 'outbox_about_one_thing');
    await queryRunner.dropCheckConstraint('outbox', 'outbox_kind_known');
    await queryRunner.createCheckConstraints('outbox', [
      outboxKinds(BEFORE),
      aboutOneThing(['booking_id', 'waiting_list_entry_id', 'account_token_id']),
    ]);
    await queryRunner.dropForeignKey('outbox', 'outbox_invitation');
    await queryRunner.dropColumn('outbox', 'invitation_id');
    await queryRunner.query('DROP INDEX webhook_endpoints_of_organisation');
    await queryRunner.dropForeignKey('webhook_endpoints', 'webhook_endpoints_organisation');
    await queryRunner.dropColumn('webhook_endpoints', 'organisation_id');
    await queryRunner.dropForeignKey('account_sessions', 'account_sessions_organisation');
    await queryRunner.dropColumn('account_sessions', 'organisation_id');
    await queryRunner.query('DROP INDEX events_of_organisation');
    await queryRunner.dropForeignKey('events', 'events_organisation');
    await queryRunner.dropColumn('events', 'organisation_id');
    await queryRunner.dropTable('invitations');
    await queryRunner.dropTable('memberships');
    await queryRunner.dropTable('organisations');
  }
}
