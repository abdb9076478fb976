import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { ConnectorContextFactory } from '../connectors/catalog';
import { ConnectorRegistry } from '../connectors/catalog';
import { runWithDeadline } from '../connectors/catalog';
import { scrubText } from '../../core/secrets';
import { AuditService, auditChanges } from '../audit';
import { ConnectorError } from '../connectors/contract';
import { CredentialsRepository } from './credentials.repository';
import { CredentialsService } from './credentials.service';
import { CredentialTestResultDto } from './dto/credential.dto';

/**
 * POST /api/credentials/:id/test. Asks the connector to check the credential against the
 * provider (`testCredential`), within OUTBOUND_TIMEOUT_MS:
 * - accepted → `{ ok: true, detail }`; refused (401/403/404, blocked address, ...: nothing a
 *   retry would fix) → `{ ok: false, detail }`; both are recorded on the credential;
 * - provider unreachable, 429/5xx or timeout → 502, nothing recorded (the credential may be fine).
 * A connector without `testCredential` gets the documented minimal check: the secrets decrypt
 * and still fit the connector's schema.
 */
@Injectable()
export class CredentialTester {
  private readonly logger = new Logger(CredentialTester.name);

  constructor(
    private readonly credentials: CredentialsService,
    private readonly repo: CredentialsRepository,
    private readonly connectors: ConnectorRegistry,
    private readonly contexts: ConnectorContextFactory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async test(tenantId: string, id: string): Promise<CredentialTestResultDto> {
    const row = await this.credentials.owned(tenantId, id);
    const connector = this.connectors.get(row.connectorKey);
    if (!connector) throw AppException.conflict('UNKNOWN_CONNECTOR', `Connector "${row.connectorKey}" no longer exists`);
    const credential = await this.credentials.resolve(row);
    const name = connector.descriptor.name;

    let result: CredentialTestResultDto;
    const unusable = this.credentials.unusableReason(row);
    if (unusable) {
      result = { ok: false, detail: `Cannot be used: ${unusable}` };
    } else if (!connector.testCredential) {
      result = { ok: true, detail: `Stored and decryptable; ${name} offers no live check, so the first run will tell` };
    } else {
      try {
        const outcome = await runWithDeadline(name, this.config.outbound.timeoutMs, undefined, (signal) =>
          connector.testCredential!(this.contexts.build({ tenantId, connector, credential, signal })),
        );
        result = { ok: true, detail: scrubText(outcome.detail ?? 'Accepted', credential.secrets) };
      } catch (e) {
        if (!(e instanceof ConnectorError)) throw e;
        const detail = scrubText(e.message, credential.secrets);
        if (e.retryable) {
          this.logger.warn({ credentialId: id, connector: row.connectorKey, code: e.code }, 'Credential test could not reach the provider');
          throw new AppException(502, 'CREDENTIAL_TEST_UNAVAILABLE', `Could not check the credential: ${detail}`);
        }
        result = { ok: false, detail };
      }
    }
    await this.dataSource.transaction(async (m) => {
      await this.repo.withManager(m).recordTest(tenantId, id, result.ok, result.detail);
      await this.audit.record(m, {
        tenantId,
        action: 'credential.test',
        targetType: 'credential',
        targetId: id,
        changes: auditChanges({ lastTestOk: row.lastTestOk }, { lastTestOk: result.ok }),
      });
    });
    return result;
  }
}
