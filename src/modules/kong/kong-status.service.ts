import { Injectable } from '@nestjs/common';
import { KongAdminClient } from './admin/kong-admin.client';
import { kongNotConfigured } from './admin/kong-admin.errors';
import { KongStatusDto } from './dto/kong-template.dto';

@Injectable()
export class KongStatusService {
  constructor(private readonly kong: KongAdminClient) {}

  /** Kong's own /status; unreachable or unconfigured Kong is a 503 (from the client). */
  async status(): Promise<KongStatusDto> {
    if (!this.kong.configured) throw kongNotConfigured();
    const status = await this.kong.status();
    return { mode: this.kong.mode, reachable: true, status };
  }
}
