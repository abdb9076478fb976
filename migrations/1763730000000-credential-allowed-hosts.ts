import { MigrationInterface, QueryRunner } from 'typeorm';
import { deriveAllowedHosts, StoredStep } from '../src/modules/credentials/derive-allowed-hosts';

/**
 * Credentials learn where they may be sent (`allowed_hosts`, host patterns; README "Credentials:
 * hosts and redirects"). NULL means the provider connector's own hosts. Credentials of the
 * generic connectors (their URL comes from the step: http, soap) get the hosts their
 * workflows call today, derived from literal step URLs; where none can be derived they get
 * an empty list and stay unusable until an owner or admin names their hosts.
 */
export class CredentialAllowedHosts1763730000000 implements MigrationInterface {
  name = 'CredentialAllowedHosts1763730000000';

  /** The connectors without provider hosts when this migration was written. */
  static readonly GENERIC_CONNECTORS = ['http', 'soap'];

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE credentials ADD COLUMN allowed_hosts text[]');
    const credentials: Array<{ id: string; tenant_id: string }> = await q.query(
      'SELECT id, tenant_id FROM credentials WHERE connector_key = ANY($1)',
      [CredentialAllowedHosts1763730000000.GENERIC_CONNECTORS],
    );
    // A relative SOAP url goes to SOAP_BASE_URL, when the operator has set it.
    const baseUrls = { soap: process.env.SOAP_BASE_URL || undefined };
    for (const c of credentials) {
      const rows: Array<{ steps: StoredStep[] }> = await q.query(
        `SELECT steps FROM workflows WHERE tenant_id = $1 AND steps @> $2::jsonb`,
        [c.tenant_id, JSON.stringify([{ credentialId: c.id }])],
      );
      const hosts = deriveAllowedHosts(
        c.id,
        rows.flatMap((r) => (Array.isArray(r.steps) ? r.steps : [])),
        baseUrls,
      );
      await q.query('UPDATE credentials SET allowed_hosts = $2 WHERE id = $1', [c.id, hosts]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE credentials DROP COLUMN allowed_hosts');
  }
}
