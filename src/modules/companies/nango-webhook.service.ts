import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException, ErrorDetail } from '../../core/errors/app-exception';
import { NangoClient } from '../nango/nango.client';
import { missingNangoSettings, assertNangoConfigured } from '../nango/nango-settings';
import { NangoConnectionInfo } from '../nango/nango.types';
import { CompaniesRepository } from './companies.repository';
import { CompaniesService } from './companies.service';
import { tenantOfConnection, TENANT_TAG } from './connection-ownership';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type WebhookOutcome = 'company_upserted' | 'needs_reauth' | 'duplicate' | 'ignored';

interface AuthWebhook {
  type: 'auth';
  operation: string;
  connectionId: string;
  providerConfigKey: string;
  provider?: string;
  success?: boolean;
  endUser?: { endUserId?: string; organizationId?: string; tags?: Record<string, string> };
  tags?: Record<string, string>;
  error?: { type?: string; description?: string };
}

/**
 * Nango's webhooks. Signature first (raw bytes), then idempotency: a delivery whose body
 * digest was already handled answers 200 without effect, so Nango's retries are harmless.
 * The digest is recorded only after the effect is stored, so a delivery that failed here
 * is handled again when Nango retries it.
 */
@Injectable()
export class NangoWebhookService {
  private readonly logger = new Logger(NangoWebhookService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly nango: NangoClient,
    private readonly companies: CompaniesService,
    private readonly companiesRepo: CompaniesRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
  ) {}

  async handle(rawBody: Buffer | undefined, signature: string | undefined, body: unknown): Promise<{ status: WebhookOutcome; reason?: string }> {
    assertNangoConfigured(this.config, ['webhook']);
    if (!rawBody || !rawBody.length) throw AppException.badRequest('WEBHOOK_BODY_REQUIRED', 'A JSON body is required');
    if (!signature) throw AppException.unauthorized('X-Nango-Hmac-Sha256 header required', 'NANGO_SIGNATURE_REQUIRED');
    if (!this.nango.verifyWebhookSignature(rawBody, signature)) throw AppException.unauthorized('Invalid webhook signature', 'NANGO_SIGNATURE_INVALID');
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw AppException.badRequest('WEBHOOK_BODY_INVALID', 'The body must be a JSON object');

    const type = (body as { type?: unknown }).type;
    if (type !== 'auth') return { status: 'ignored', reason: `type ${typeof type === 'string' ? type : 'unknown'} is not handled` };
    const event = validateAuthEvent(body as Record<string, unknown>);

    const digest = createHash('sha256').update(rawBody).digest('hex');
    if (await this.deliveries.seen(digest)) return { status: 'duplicate' };
    const outcome = await this.apply(event);
    await this.deliveries.record(digest, `auth.${event.operation}`);
    return outcome;
  }

  private async apply(e: AuthWebhook): Promise<{ status: WebhookOutcome; reason?: string }> {
    const existing = await this.companiesRepo.findByConnectionForWebhook(e.providerConfigKey, e.connectionId);

    if (e.operation === 'refresh') {
      if (e.success !== false) return { status: 'ignored', reason: 'successful refresh needs no action' };
      if (!existing) return { status: 'ignored', reason: 'unknown connection' };
      const why = `Nango could not refresh the token${e.error?.description ? `: ${e.error.description}` : ''}`;
      await this.companiesRepo.recordRefreshFailure(existing.tenantId, existing.id, why, 'needs_reauth');
      await this.companies.invalidate(existing.tenantId);
      return { status: 'needs_reauth' };
    }

    if (e.operation !== 'creation' && e.operation !== 'override') return { status: 'ignored', reason: `operation ${e.operation} is not handled` };
    if (e.success === false) return { status: 'ignored', reason: 'authorization failed at the provider' };

    const claimed = e.tags?.[TENANT_TAG] ?? e.endUser?.tags?.[TENANT_TAG] ?? e.endUser?.organizationId;
    const tenantId = existing?.tenantId ?? (claimed && UUID.test(claimed) ? claimed : undefined);
    if (!tenantId) return { status: 'ignored', reason: 'connection was not made through Flowgate' };

    const connection = await this.loadConnection(e);
    const owner = tenantOfConnection(connection);
    if (owner && owner !== tenantId) return { status: 'ignored', reason: 'connection belongs to another tenant' };
    try {
      await this.companies.upsertFromConnection(tenantId, connection);
    } catch (err) {
      if (err instanceof AppException && err.status === 404) return { status: 'ignored', reason: 'connection belongs to another tenant' };
      if ((err as { code?: string }).code === '23503') return { status: 'ignored', reason: 'unknown tenant' };
      throw err;
    }
    return { status: 'company_upserted' };
  }

  /**
   * The connection as Nango has it now (expiry, connection_config such as QuickBooks realmId).
   * When Nango cannot be asked, the webhook's own facts are enough to store the company.
   */
  private async loadConnection(e: AuthWebhook): Promise<NangoConnectionInfo> {
    if (!missingNangoSettings(this.config, ['api']).length) {
      try {
        return await this.nango.getConnection(e.providerConfigKey, e.connectionId);
      } catch (err) {
        this.logger.warn(`Could not load connection ${e.connectionId} from Nango (${(err as Error).message}); storing the webhook's facts`);
      }
    }
    return {
      connectionId: e.connectionId,
      providerConfigKey: e.providerConfigKey,
      provider: e.provider ?? e.providerConfigKey,
      tokenExpiresAt: null,
      connectionConfig: {},
      metadata: {},
      errors: [],
      endUser: e.endUser?.endUserId
        ? { id: e.endUser.endUserId, displayName: null, email: null, organizationId: e.endUser.organizationId ?? null, organizationName: null }
        : null,
      tags: { ...(e.endUser?.tags ?? {}), ...(e.tags ?? {}) },
    };
  }
}

function validateAuthEvent(b: Record<string, unknown>): AuthWebhook {
  const problems: ErrorDetail[] = [];
  for (const field of ['operation', 'connectionId', 'providerConfigKey'] as const) {
    if (typeof b[field] !== 'string' || !(b[field] as string).trim() || (b[field] as string).length > 255) {
      problems.push({ field, message: `${field} must be a non-empty string (at most 255 characters)` });
    }
  }
  if (b.success !== undefined && typeof b.success !== 'boolean') problems.push({ field: 'success', message: 'success must be a boolean' });
  if (problems.length) throw AppException.validation(problems);
  return b as unknown as AuthWebhook;
}
