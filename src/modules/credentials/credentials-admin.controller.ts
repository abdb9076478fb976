import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminRoute } from '../../core/security/decorators';
import { AuditService } from '../audit';
import { CredentialRotationService } from './credential-rotation.service';
import { ReencryptResultDto } from './dto/credential.dto';

@ApiTags('admin')
@AdminRoute()
@Controller('api/admin/credentials')
export class CredentialsAdminController {
  constructor(
    private readonly rotation: CredentialRotationService,
    private readonly audit: AuditService,
  ) {}

  @Post('reencrypt')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Re-seal every credential still encrypted with an old key (after rotating ENCRYPTION_KEY)',
    description:
      'Takes no body. Decrypts each credential of every tenant sealed with an older key (ENCRYPTION_OLD_KEYS) and seals it again with the current ENCRYPTION_KEY; safe to repeat. Credentials that cannot be opened are counted in `failed` and listed (up to 100) with the reason; they stay as they were.',
  })
  @ApiOkResponse({ type: ReencryptResultDto, description: 'What was re-sealed and what could not be' })
  async reencrypt(): Promise<ReencryptResultDto> {
    const result = await this.rotation.reencryptAll();
    // Each re-sealed credential has its own row (in its tenant, in its transaction); this one records the call.
    await this.audit.record(undefined, {
      tenantId: null,
      action: 'admin.credentials_reencrypt',
      targetType: 'credential',
      changes: {
        before: {},
        after: { scanned: result.scanned, reencrypted: result.reencrypted, failed: result.failed, currentKeyId: result.currentKeyId },
      },
    });
    return result;
  }
}
