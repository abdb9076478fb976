import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminRoute } from '../../core/security/decorators';
import { CredentialRotationService } from './credential-rotation.service';
import { ReencryptResultDto } from './dto/credential.dto';

@ApiTags('admin')
@AdminRoute()
@Controller('api/admin/credentials')
export class CredentialsAdminController {
  constructor(private readonly rotation: CredentialRotationService) {}

  @Post('reencrypt')
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-seal every credential still encrypted with an old key (after rotating ENCRYPTION_KEY)' })
  @ApiOkResponse({ type: ReencryptResultDto })
  reencrypt() {
    return this.rotation.reencryptAll();
  }
}
