import type { IncomingMessage } from 'node:http';
import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppException } from '../errors/app-exception';
import { ADMIN_READ_RECORDER, AdminReadRecorder } from './admin-read-recorder';
import { markAdminToken } from './request-actor';

/** Compares digests so neither length nor content leaks through timing. */
export function constantTimeEquals(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(ADMIN_READ_RECORDER) private readonly reads?: AdminReadRecorder,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const expected = this.config.admin.token;
    // No token configured: the admin API does not exist.
    if (!expected) throw new AppException(404, 'ROUTE_NOT_FOUND', 'Not found');
    const req = ctx.switchToHttp().getRequest<{
      headers: Record<string, string | string[] | undefined>;
      raw: IncomingMessage;
      method: string;
      url: string;
      routeOptions?: { url?: string };
    }>();
    const given = req.headers['x-admin-token'];
    if (typeof given !== 'string' || !given) throw AppException.unauthorized('X-Admin-Token header required', 'ADMIN_TOKEN_REQUIRED');
    if (!constantTimeEquals(given, expected)) throw AppException.unauthorized('Invalid admin token', 'ADMIN_TOKEN_INVALID');
    // The audit log names the admin token (by fingerprint) as the actor of what this request changes.
    markAdminToken(req.raw ?? (req as unknown as IncomingMessage), given);
    // The admin token reads across tenants: every read is in the audit log before it runs (a
    // read that cannot be recorded is not served). Writes record themselves, in their transaction.
    if (this.reads && (req.method === 'GET' || req.method === 'HEAD')) {
      await this.reads.recordRead(`${req.method} ${req.routeOptions?.url ?? req.url.split('?')[0]}`.slice(0, 128));
    }
    return true;
  }
}
