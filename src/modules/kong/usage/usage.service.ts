import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../../core/config/app-config';
import { AppException, ErrorDetail } from '../../../core/errors/app-exception';
import { constantTimeEquals } from '../../../core/security/admin-token.guard';
import { ApiUsageRepository, UsageGroupBy, UsageRow } from './api-usage.repository';
import { checkEntry, HttpLogEntry, isHttpLogEntry } from './http-log-entry';

export const MAX_ENTRIES = 10_000;
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const TENANT_TAG = new RegExp(`^tenant:(${UUID})$`);
const DEPLOYMENT_TAG = new RegExp(`^deployment:(${UUID})$`);

function tagValue(tags: string[], re: RegExp): string | undefined {
  for (const t of tags) {
    const m = re.exec(t);
    if (m) return m[1].toLowerCase();
  }
  return undefined;
}

@Injectable()
export class UsageService {
  private readonly logger = new Logger(UsageService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly usage: ApiUsageRepository,
  ) {}

  /** Kong's shared secret, compared in constant time. */
  authenticate(given: string | string[] | undefined): void {
    const expected = this.config.kong.usageSecret;
    if (!expected) throw AppException.unavailable('KONG_USAGE_NOT_CONFIGURED', 'Usage metering is off: set KONG_USAGE_SECRET');
    if (typeof given !== 'string' || !given)
      throw AppException.unauthorized('X-Kong-Usage-Secret header required', 'USAGE_SECRET_REQUIRED');
    if (!constantTimeEquals(given, expected)) throw AppException.unauthorized('Invalid usage secret', 'USAGE_SECRET_INVALID');
  }

  /**
   * Stores one usage row per http-log entry (a batch array or one object). The tenant comes
   * from the deployment named in the route's (or service's) tags, checked against the
   * database; any bad entry refuses the whole batch with each problem named, so a batch is
   * never half stored.
   */
  async ingest(body: unknown): Promise<{ stored: number }> {
    if (body === null || typeof body !== 'object') {
      throw AppException.validation([{ message: 'expected a JSON array of http-log entries or one entry object' }]);
    }
    const entries = Array.isArray(body) ? body : [body];
    if (entries.length > MAX_ENTRIES) throw AppException.validation([{ message: `at most ${MAX_ENTRIES} entries per batch` }]);
    const problems: ErrorDetail[] = entries.flatMap((e, i) => checkEntry(e, i));
    if (problems.length) throw AppException.validation(problems.slice(0, 100));

    const typed = entries.filter(isHttpLogEntry);
    const tagsOf = (e: HttpLogEntry) => [...(e.route?.tags ?? []), ...(e.service?.tags ?? [])];
    const deploymentIds = [...new Set(typed.map((e) => tagValue(tagsOf(e), DEPLOYMENT_TAG)).filter((x): x is string => !!x))];
    const owners = await this.usage.deploymentOwners(deploymentIds);
    const tenantTags = [...new Set(typed.map((e) => tagValue(tagsOf(e), TENANT_TAG)).filter((x): x is string => !!x))];
    const tenants = await this.usage.existingTenants(tenantTags);

    const rows: UsageRow[] = [];
    typed.forEach((e, i) => {
      const tags = tagsOf(e);
      const field = `${i}.route.tags`;
      const deploymentId = tagValue(tags, DEPLOYMENT_TAG);
      const tagTenant = tagValue(tags, TENANT_TAG);
      const owner = deploymentId ? owners.get(deploymentId) : undefined;
      let tenantId: string | undefined;
      if (owner) {
        if (tagTenant && tagTenant !== owner.tenantId) {
          problems.push({ field, message: `${field}: the tenant tag does not match the deployment's tenant` });
          return;
        }
        tenantId = owner.tenantId;
      } else if (tagTenant && tenants.has(tagTenant)) {
        tenantId = tagTenant; // the deployment was removed while Kong still had queued logs
      } else {
        problems.push({
          field,
          message: tagTenant
            ? `${field}: unknown tenant`
            : `${field}: no tenant:<id> or deployment:<id> tag (only routes Flowgate made are metered)`,
        });
        return;
      }
      rows.push(toRow(e, tenantId, owner ? deploymentId! : null, owner?.workflowId ?? null));
    });
    // Well-formed entries Flowgate cannot attribute: not a schema problem, so a code of its own.
    if (problems.length) {
      const shown = problems.slice(0, 100);
      throw AppException.badRequest('USAGE_NOT_ATTRIBUTED', `Usage not stored: ${shown.map((p) => p.message).join('; ')}`, shown);
    }
    await this.usage.insertBatch(rows);
    this.logger.log(`Stored ${rows.length} Kong usage records`);
    return { stored: rows.length };
  }

  async report(tenantId: string, q: { from?: Date; to?: Date; groupBy?: UsageGroupBy; workflowId?: string }) {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * 86_400_000);
    const problems: ErrorDetail[] = [];
    if (Number.isNaN(from.getTime())) problems.push({ field: 'from', message: 'from must be an ISO 8601 date' });
    if (Number.isNaN(to.getTime())) problems.push({ field: 'to', message: 'to must be an ISO 8601 date' });
    if (!problems.length && from >= to) problems.push({ field: 'from', message: 'from must be before to' });
    if (!problems.length && to.getTime() - from.getTime() > 366 * 86_400_000)
      problems.push({ field: 'to', message: 'the range may cover at most 366 days' });
    if (problems.length) throw AppException.validation(problems);
    const groupBy = q.groupBy ?? 'day';
    const { groups, totals } = await this.usage.aggregate(tenantId, { from, to, groupBy, workflowId: q.workflowId });
    return { from: from.toISOString(), to: to.toISOString(), groupBy, totals, groups };
  }
}

function toRow(e: HttpLogEntry, tenantId: string, deploymentId: string | null, workflowId: string | null): UsageRow {
  const int = (v: number | undefined) => (typeof v === 'number' && Number.isFinite(v) ? Math.max(0, Math.round(v)) : null);
  return {
    tenantId,
    deploymentId,
    workflowId,
    consumer: e.consumer?.username ?? e.consumer?.custom_id ?? null,
    routeName: e.route?.name ?? null,
    serviceName: e.service?.name ?? null,
    method: e.request.method.toUpperCase(),
    // The query string can carry an API key (key-auth key_in_query): keep the path only.
    path: e.request.uri.split('?')[0].slice(0, 2048),
    status: e.response.status,
    requestBytes: int(e.request.size) ?? 0,
    responseBytes: int(e.response.size) ?? 0,
    latencyMs: int(e.latencies?.request) ?? 0,
    upstreamLatencyMs: int(e.latencies?.proxy),
    kongLatencyMs: int(e.latencies?.kong),
    clientIp: e.client_ip ?? null,
    startedAt: new Date(e.started_at),
  };
}
