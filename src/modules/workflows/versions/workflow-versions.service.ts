import { Injectable } from '@nestjs/common';
import { AppException } from '../../../core/errors/app-exception';
import { AuthUser } from '../../../core/security/auth-user';
import { WorkflowVersionDiffDto, WorkflowVersionDto, WorkflowVersionPageDto } from '../dto/workflow-version.dto';
import { WorkflowVersionEntity } from '../entities/workflow-version.entity';
import { WorkflowVersionsRepository } from '../workflow-versions.repository';
import { WorkflowsRepository } from '../workflows.repository';
import { diffDefinitions } from './workflow-diff';

const MAX_VERSION = 2_147_483_647;
/** Plain decimal digits, no sign or leading zero (the range is checked after). */
export const VERSION_PATTERN = /^[1-9][0-9]{0,9}$/;

/**
 * A path's `{version}`: read after the workflow was found, so another tenant's workflow is a 404
 * whatever the version says; for one's own workflow a malformed version is a 400 naming it.
 */
export function parseVersion(raw: string, field = 'version'): number {
  const n = VERSION_PATTERN.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n > MAX_VERSION) {
    throw AppException.validation([{ field, message: `${field} must be a whole number from 1 to ${MAX_VERSION}` }]);
  }
  return n;
}

/** The definition at a version, as the API shows it. */
export function toVersionDto(v: WorkflowVersionEntity, currentVersion: number): WorkflowVersionDto {
  return {
    workflowId: v.workflowId,
    version: v.version,
    createdAt: v.createdAt.toISOString(),
    createdBy: v.createdBy,
    name: v.name,
    current: v.version === currentVersion,
    description: v.description,
    active: v.active,
    trigger: v.trigger,
    steps: v.steps.map((s) => ({ ...s, params: s.params ?? {} })),
    settings: v.settings,
    errorWorkflowId: v.errorWorkflowId,
  };
}

/** Reading a workflow's saved definitions: the list, one version, a diff between two. */
@Injectable()
export class WorkflowVersionsService {
  constructor(
    private readonly workflows: WorkflowsRepository,
    private readonly versions: WorkflowVersionsRepository,
  ) {}

  async list(user: AuthUser, workflowId: string, page = 1, limit = 20): Promise<WorkflowVersionPageDto> {
    const current = await this.currentVersion(user.tenantId, workflowId);
    const { items, total } = await this.versions.list(user.tenantId, workflowId, { page, limit });
    return {
      items: items.map((v) => ({
        version: v.version,
        createdAt: v.createdAt.toISOString(),
        createdBy: v.createdBy,
        name: v.name,
        current: v.version === current,
      })),
      total,
      page,
      limit,
    };
  }

  async get(user: AuthUser, workflowId: string, rawVersion: string): Promise<WorkflowVersionDto> {
    const current = await this.currentVersion(user.tenantId, workflowId);
    return toVersionDto(await this.find(user.tenantId, workflowId, parseVersion(rawVersion)), current);
  }

  /** What changed from `against` (default: the version before) to `version`. */
  async diff(user: AuthUser, workflowId: string, rawVersion: string, against?: number): Promise<WorkflowVersionDiffDto> {
    await this.currentVersion(user.tenantId, workflowId);
    const version = parseVersion(rawVersion);
    const to = await this.find(user.tenantId, workflowId, version);
    const fromVersion = against ?? (version > 1 ? version - 1 : null);
    const from = fromVersion === null ? null : await this.find(user.tenantId, workflowId, fromVersion);
    return { workflowId, from: fromVersion, to: version, changes: diffDefinitions(from, to) };
  }

  /** One stored version, or 404 (an unknown version of a workflow the tenant has). */
  async find(tenantId: string, workflowId: string, version: number): Promise<WorkflowVersionEntity> {
    const v = await this.versions.find(tenantId, workflowId, version);
    if (!v) throw AppException.notFound(`Workflow version ${version}`);
    return v;
  }

  /** The workflow's current version, or 404 for an unknown id or another tenant's. */
  private async currentVersion(tenantId: string, workflowId: string): Promise<number> {
    const w = await this.workflows.findInTenant(tenantId, workflowId);
    if (!w) throw AppException.notFound('Workflow');
    return w.version;
  }
}
