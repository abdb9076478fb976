import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import { AppException } from '../../core/errors/app-exception';
import { NangoClient } from '../nango';
import { NangoError } from '../nango';
import { missingNangoSettings, assertNangoConfigured } from '../nango';
import { NangoConnectionInfo } from '../nango';
import { CompaniesRepository } from './companies.repository';
import { CompaniesService } from './companies.service';
import { tenantClaimedByWebhook, tenantOfConnection } from './connection-ownership';
import { CompanyEntity } from './entities/company.entity';
import { webhookBodyProblems } from './nango-webhook-body';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';

/** Longer than Nango's retries of one delivery (two, with backoff, 20 s timeout each). */
const DUPLICATE_WINDOW_MS = 10 * 60 * 1000;

export const WEBHOOK_OUTCOMES = ['company_upserted', 'needs_reauth', 'company_revoked', 'duplicate', 'ignored'] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];
type Outcome = { status: WebhookOutcome; reason?: string };

interface AuthWebhook {
  type: 'auth';
  operation: string;
  connectionId: string;
  providerConfigKey: string;
  provider?: string;
  success?: boolean;
  endUser?: { endUserId?: string | null; organizationId?: string | null; tags?: Record<string, string> | null } | null;
  tags?: Record<string, string> | null;
  error?: { type?: string | null; description?: string | null } | null;
}

/**
 * Nango's auth webhooks: `creation` / `override` (re)activate the company from Nango's
 * current view of the connection, a failed `refresh` flags it `needs_reauth`, `deletion`
 * marks it `revoked`. Signature first, over the raw bytes.
 *
 * Duplicates. Nango retries a delivery that failed (non-2xx or timeout). It sends no delivery
 * id and no timestamp, in headers or body, and serialises the body with sorted keys, so a
 * retry and a real repeat of the event (the same connection re-authorized again) are the same
 * bytes; a body digest alone cannot tell them apart. So:
 *  - every effect is idempotent: creation/override upsert from what Nango has now; a refresh
 *    failure counts only when it moves an active company to `needs_reauth`; deletion sets
 *    `revoked`. Applying a duplicate changes nothing.
 *  - a delivery is skipped (200 `duplicate`) only when the same bytes were applied to the same
 *    company less than DUPLICATE_WINDOW_MS ago and the company has not changed since: the key
 *    is the body digest plus the company's state after applying. A repeat after anything
 *    changed the company (say, re-authorized after a failed refresh) is applied, and so is
 *    any repeat after the window.
 * The key is stored only after the effect, so a delivery that failed here is applied when
 * Nango retries it.
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

  async handle(rawBody: Buffer | undefined, signature: string | undefined, body: unknown, contentType?: string): Promise<Outcome> {
    assertNangoConfigured(this.config, ['webhook']);
    // Nango sends JSON; the app also parses forms and text (for other routes), which this one must not take.
    if (contentType !== undefined && !isJsonMediaType(contentType)) {
      throw new AppException(415, 'UNSUPPORTED_MEDIA_TYPE', 'Nango webhooks are JSON: send Content-Type: application/json');
    }
    if (!rawBody || !rawBody.length) throw AppException.badRequest('WEBHOOK_BODY_REQUIRED', 'A JSON body is required');
    if (!signature) throw AppException.unauthorized('X-Nango-Hmac-Sha256 header required', 'NANGO_SIGNATURE_REQUIRED');
    if (!this.nango.verifyWebhookSignature(rawBody, signature))
      throw AppException.unauthorized('Invalid webhook signature', 'NANGO_SIGNATURE_INVALID');
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw AppException.badRequest('WEBHOOK_BODY_INVALID', 'The body must be a JSON object');

    validateEvent(body as Record<string, unknown>);
    const type = (body as { type?: string }).type;
    if (type !== 'auth') return { status: 'ignored', reason: `type ${type ?? 'unknown'} is not handled` };
    const event = body as unknown as AuthWebhook;

    const bodyDigest = createHash('sha256').update(rawBody).digest('hex');
    const before = await this.companiesRepo.findByConnectionForWebhook(event.providerConfigKey, event.connectionId);
    if (before && (await this.deliveries.appliedWithin(deliveryKey(bodyDigest, before), DUPLICATE_WINDOW_MS)))
      return { status: 'duplicate' };
    const outcome = await this.apply(event, before);
    const after = await this.companiesRepo.findByConnectionForWebhook(event.providerConfigKey, event.connectionId);
    if (after) await this.deliveries.record(deliveryKey(bodyDigest, after), `auth.${event.operation}`);
    return outcome;
  }

  private async apply(e: AuthWebhook, existing: CompanyEntity | null): Promise<Outcome> {
    const claimed = tenantClaimedByWebhook(e);
    // A connection belongs to one tenant: an event naming another one touches nothing.
    if (existing && claimed && claimed !== existing.tenantId) return { status: 'ignored', reason: 'connection belongs to another tenant' };
    switch (e.operation) {
      case 'creation':
      case 'override':
        return this.authorized(e, existing?.tenantId ?? claimed);
      case 'refresh':
        return this.refreshFailed(e, existing);
      case 'deletion':
        return this.deleted(e, existing);
      default:
        return { status: 'ignored', reason: `operation ${e.operation} is not handled` };
    }
  }

  private async authorized(e: AuthWebhook, tenantId: string | null): Promise<Outcome> {
    if (e.success === false) return { status: 'ignored', reason: 'authorization failed at the provider' };
    if (!tenantId) return { status: 'ignored', reason: 'connection was not made through Flowgate' };
    const connection = await this.loadConnection(e);
    // Deleted since (a late retry of the creation, say): never bring a removed connection back.
    if (!connection) return { status: 'ignored', reason: 'Nango no longer has the connection' };
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

  private async refreshFailed(e: AuthWebhook, company: CompanyEntity | null): Promise<Outcome> {
    if (e.success !== false) return { status: 'ignored', reason: 'successful refresh needs no action' };
    if (!company) return { status: 'ignored', reason: 'unknown connection' };
    await this.companiesRepo.flagNeedsReauth(
      company.tenantId,
      company.id,
      `Nango could not refresh the token${e.error?.description ? `: ${e.error.description}` : ''}`,
    );
    await this.companies.invalidate(company.tenantId);
    return { status: 'needs_reauth' };
  }

  /**
   * The connection was deleted at Nango (dashboard, API, or Flowgate's own DELETE, whose
   * company is gone already): the company is kept as `revoked`, so the customer sees it needs
   * connecting again and its synced data stays readable.
   */
  private async deleted(e: AuthWebhook, company: CompanyEntity | null): Promise<Outcome> {
    if (e.success === false) return { status: 'ignored', reason: 'deletion failed at Nango' };
    if (!company) return { status: 'ignored', reason: 'unknown connection' };
    await this.companiesRepo.markRevoked(company.tenantId, company.id);
    await this.companies.invalidate(company.tenantId);
    return { status: 'company_revoked' };
  }

  /**
   * The connection as Nango has it now (expiry, connection_config such as QuickBooks realmId);
   * null when Nango no longer has it. When Nango cannot be asked, the webhook's own facts are
   * enough to store the company.
   */
  private async loadConnection(e: AuthWebhook): Promise<NangoConnectionInfo | null> {
    if (!missingNangoSettings(this.config, ['api']).length) {
      try {
        return await this.nango.getConnection(e.providerConfigKey, e.connectionId);
      } catch (err) {
        if (err instanceof NangoError && err.notFound) return null;
        this.logger.warn({ connectionId: e.connectionId, err }, "Could not load the connection from Nango; storing the webhook's facts");
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
        ? {
            id: e.endUser.endUserId,
            displayName: null,
            email: null,
            organizationId: e.endUser.organizationId ?? null,
            organizationName: null,
          }
        : null,
      tags: { ...(e.endUser?.tags ?? {}), ...(e.tags ?? {}) },
    };
  }
}

/** The body's digest bound to the company's state after it was applied (see the class comment). */
function deliveryKey(bodyDigest: string, c: CompanyEntity): string {
  return createHash('sha256').update(`${bodyDigest}:${c.id}:${c.status}:${c.updatedAt.toISOString()}`).digest('hex');
}

function isJsonMediaType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

function validateEvent(b: Record<string, unknown>): void {
  const problems = webhookBodyProblems(b);
  if (problems.length) throw AppException.validation(problems);
}
