import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EncryptionService } from '../../core/security/encryption.service';
import { AuditService, auditChanges } from '../audit';
import { openSecrets, sealSecrets } from './credential-sealing';
import { CredentialsRepository } from './credentials.repository';
import { ReencryptResultDto } from './dto/credential.dto';
import { CredentialEntity } from './entities/credential.entity';

const PAGE = 200;
const MAX_REPORTED_FAILURES = 100;

/**
 * Key rotation, step two: after ENCRYPTION_KEY is replaced (old key moved to
 * ENCRYPTION_OLD_KEYS), re-seal every credential still sealed with an old key. Safe to run
 * again and alongside edits (a row changed meanwhile is left to its new value).
 */
@Injectable()
export class CredentialRotationService {
  private readonly logger = new Logger(CredentialRotationService.name);

  constructor(
    private readonly repo: CredentialsRepository,
    private readonly enc: EncryptionService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async reencryptAll(): Promise<ReencryptResultDto> {
    const current = this.enc.currentKeyId;
    const result: ReencryptResultDto = { scanned: 0, reencrypted: 0, failed: 0, currentKeyId: current, failures: [] };
    let after: string | null = null;
    for (;;) {
      const page = await this.repo.sealedWithOtherKey(current, after, PAGE);
      if (!page.length) break;
      for (const row of page) {
        result.scanned++;
        try {
          const sealed = sealSecrets(this.enc, row.tenantId, row.id, openSecrets(this.enc, row));
          if (await this.resealAudited(row, sealed.ciphertext, sealed.keyId)) result.reencrypted++;
        } catch (e) {
          result.failed++;
          const reason = /unknown key/i.test((e as Error).message)
            ? `sealed with key ${row.keyId}, which is not configured`
            : 'cannot be decrypted';
          if (result.failures.length < MAX_REPORTED_FAILURES) result.failures.push({ id: row.id, reason });
        }
      }
      after = page[page.length - 1].id;
    }
    this.logger.log(
      { scanned: result.scanned, reencrypted: result.reencrypted, failed: result.failed },
      'Credential re-encryption finished',
    );
    return result;
  }

  /**
   * One re-seal and its audit row (`credential.reencrypt`, in the credential's tenant, by the
   * admin token) in one transaction; a row changed meanwhile is left alone and not recorded.
   */
  private resealAudited(row: CredentialEntity, ciphertext: string, keyId: string): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      if (!(await this.repo.withManager(m).reseal(row, ciphertext, keyId))) return false;
      await this.audit.record(m, {
        tenantId: row.tenantId,
        action: 'credential.reencrypt',
        targetType: 'credential',
        targetId: row.id,
        changes: auditChanges({ keyId: row.keyId }, { keyId }),
      });
      return true;
    });
  }
}
