import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminRoute } from '../../core/security/decorators';
import { AdminService } from './admin.service';

@ApiTags('admin')
@AdminRoute()
@Controller('api/admin/system')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('health')
  @ApiOperation({ summary: 'Operator view: dependencies with latency, queue counts, memory, uptime, version' })
  health() {
    return this.admin.systemHealth();
  }
}
