import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Membership, type MemberRole } from '../entities/membership.entity';
import { Organisation } from '../entities/organisation.entity';
import type { CurrentOrganisation } from '../session-user';

interface OrganisationColumns {
  current_organisation_id: number | string | null;
  current_organisation_name: string | null;
  current_membership_role: MemberRole | null;
}

/**
 * Adds to a query of users (alias `user`) the organisation each works in: the one named by
 * `preferred` (an SQL expression, e.g. the login's choice) while they are a member of it,
 * else their oldest membership. Read the answer with `currentOrganisationOf`.
 */
export function withCurrentOrganisation<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  preferred: string,
): SelectQueryBuilder<T> {
  return query
    .leftJoin(
      Membership,
      'membership',
      'membership.id = (SELECT chosen.id FROM memberships chosen WHERE chosen.user_id = user.id ' +
        `ORDER BY CASE WHEN chosen.organisation_id = ${preferred} THEN 0 ELSE 1 END, chosen.id LIMIT 1)`,
    )
    .leftJoin(Organisation, 'organisation', 'organisation.id = membership.organisation_id')
    .addSelect('organisation.id', 'current_organisation_id')
    .addSelect('organisation.name', 'current_organisation_name')
    .addSelect('membership.role', 'current_membership_role');
}

/** The organisation in a raw row of a query `withCurrentOrganisation` made; undefined for none. */
export function currentOrganisationOf(row: unknown): CurrentOrganisation | undefined {
  const raw = row as OrganisationColumns | undefined;
  if (!raw || raw.current_organisation_id === null || raw.current_membership_role === null)
    return undefined;
  return {
    id: Number(raw.current_organisation_id),
    name: raw.current_organisation_name ?? '',
    role: raw.current_membership_role,
  };
}
