import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An account belongs to one tenant, and its email is unique within that tenant only. Before,
 * one email could hold one account across every tenant, so adding a member whose email had an
 * account elsewhere had to be refused, which told any owner or admin that the email was a user
 * of some other tenant. Login finds every account with the email and signs in to the one the
 * password opens (`tenant` picks one when several do).
 */
export class MemberEmailPerTenant1763735000000 implements MigrationInterface {
  name = 'MemberEmailPerTenant1763735000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX users_email_unique`);
    await q.query(`CREATE UNIQUE INDEX users_tenant_email_unique ON users (tenant_id, lower(email))`);
    await q.query(`CREATE INDEX users_email_lookup ON users (lower(email))`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Fails while two tenants hold accounts with the same email; that cannot be undone silently.
    await q.query(`DROP INDEX users_email_lookup`);
    await q.query(`DROP INDEX users_tenant_email_unique`);
    await q.query(`CREATE UNIQUE INDEX users_email_unique ON users (lower(email))`);
  }
}
