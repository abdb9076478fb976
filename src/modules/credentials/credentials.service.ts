import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppException, ErrorDetail } from '../../core/errors/app-exception';
import { EncryptionService } from '../../core/security/encryption.service';
import { MAX_ALLOWED_HOSTS, normalizeHostPattern } from '../../core/http/host-patterns';
import { isUuid } from '../../core/validation/uuid';
import { AuditService, auditChanges } from '../audit';
import { hostsProblem } from '../connectors/catalog';
import { ConnectorRegistry } from '../connectors/catalog';
import { AuthKind, ResolvedCredential } from '../connectors/contract';
import { AuthKindRegistry } from './auth-kinds/auth-kind.registry';
import { genericHint } from './auth-kinds/masking';
import { CredentialErrors } from './credential-errors';
import { CredentialSchemas } from './credential-schemas';
import { openSecrets, sealSecrets } from './credential-sealing';
import { CredentialsRepository, DuplicateCredentialNameError } from './credentials.repository';
import { CreateCredentialDto, CredentialDto, UpdateCredentialDto } from './dto/credential.dto';
import { CredentialEntity } from './entities/credential.entity';

/** A credential's secrets: the audit log records that they were set or changed, never them. */
const CREDENTIAL_SECRET_FIELDS = { secretFields: ['secrets'] };

/** Workflows a CREDENTIAL_IN_USE answer names (the message says "and more" beyond). */
const MAX_NAMED_USERS = 50;

/**
 * Credentials: CRUD for their tenant, the checks the workflow editor runs (`assertUsable`) and
 * the decrypted view the invoker needs at call time (`resolveForRun`). Secrets leave this
 * service only inside a ResolvedCredential handed to a connector.
 */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly repo: CredentialsRepository,
    private readonly enc: EncryptionService,
    private readonly connectors: ConnectorRegistry,
    private readonly schemas: CredentialSchemas,
    private readonly kinds: AuthKindRegistry,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(tenantId: string, dto: CreateCredentialDto): Promise<CredentialDto> {
    this.assertStorable(dto.connectorKey, dto.authKind, dto.secrets);
    const allowedHosts = this.allowedHosts(dto.connectorKey, dto.allowedHosts);
    await this.assertFitsTenant(tenantId, dto.authKind as AuthKind, dto.secrets);
    const id = randomUUID();
    const kind = dto.authKind as AuthKind;
    const sealed = sealSecrets(this.enc, tenantId, id, dto.secrets);
    const row = await this.named(dto.name, () =>
      this.dataSource.transaction(async (m) => {
        // The audit row first: a write that then fails (a taken name) takes it back with it.
        await this.audit.record(m, {
          tenantId,
          action: 'credential.create',
          targetType: 'credential',
          targetId: id,
          changes: auditChanges(
            null,
            { name: dto.name, connectorKey: dto.connectorKey, authKind: kind, allowedHosts, secrets: dto.secrets },
            CREDENTIAL_SECRET_FIELDS,
          ),
        });
        return this.repo.withManager(m).insert({
          id,
          tenantId,
          name: dto.name,
          connectorKey: dto.connectorKey,
          authKind: kind,
          ...sealed,
          hint: this.hint(kind, dto.secrets),
          allowedHosts,
          lastTestedAt: null,
          lastTestOk: null,
          lastTestDetail: null,
        });
      }),
    );
    return this.toDto(row);
  }

  async list(tenantId: string, connectorKey?: string): Promise<CredentialDto[]> {
    return (await this.repo.listInTenant(tenantId, connectorKey)).map((row) => this.toDto(row));
  }

  async get(tenantId: string, id: string): Promise<CredentialDto> {
    return this.toDto(await this.owned(tenantId, id));
  }

  /** Renames and/or replaces the secrets (a new auth kind needs new secrets). Test results are reset when secrets change. */
  async update(tenantId: string, id: string, dto: UpdateCredentialDto): Promise<CredentialDto> {
    const row = await this.owned(tenantId, id);
    const kind = (dto.authKind ?? row.authKind) as AuthKind;
    if (dto.authKind !== undefined && dto.authKind !== row.authKind && dto.secrets === undefined) {
      throw AppException.validation([{ field: 'secrets', message: 'secrets are required when authKind changes' }]);
    }
    const changes: Parameters<CredentialsRepository['update']>[2] = {};
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.allowedHosts !== undefined) changes.allowedHosts = this.allowedHosts(row.connectorKey, dto.allowedHosts);
    if (dto.secrets !== undefined) {
      this.assertStorable(row.connectorKey, kind, dto.secrets);
      await this.assertFitsTenant(tenantId, kind, dto.secrets);
      Object.assign(changes, sealSecrets(this.enc, tenantId, id, dto.secrets), { authKind: kind, hint: this.hint(kind, dto.secrets) });
    }
    if (Object.keys(changes).length) {
      const before = { name: row.name, allowedHosts: row.allowedHosts, authKind: row.authKind, secrets: row.ciphertext };
      const after = {
        name: changes.name ?? row.name,
        allowedHosts: changes.allowedHosts !== undefined ? changes.allowedHosts : row.allowedHosts,
        authKind: changes.authKind ?? row.authKind,
        // New secrets always count as changed (they are sealed afresh); only `[changed]` is recorded.
        secrets: changes.ciphertext ?? row.ciphertext,
      };
      await this.named(dto.name ?? row.name, () =>
        this.dataSource.transaction(async (m) => {
          const audit = auditChanges(before, after, CREDENTIAL_SECRET_FIELDS);
          if (audit)
            await this.audit.record(m, { tenantId, action: 'credential.update', targetType: 'credential', targetId: id, changes: audit });
          const repo = this.repo.withManager(m);
          await repo.update(tenantId, id, changes);
          if (dto.secrets !== undefined) await repo.clearTest(tenantId, id);
        }),
      );
    }
    return this.toDto(await this.owned(tenantId, id));
  }

  /**
   * Deletes a credential. Without `force`, one that workflow steps use is refused (409
   * CREDENTIAL_IN_USE naming them); with it, those steps keep its id and fail when they run
   * (CREDENTIAL_NOT_FOUND), and saving such a workflow asks for another credential.
   */
  async remove(tenantId: string, id: string, force = false): Promise<void> {
    const row = await this.owned(tenantId, id);
    if (!force) {
      const users = await this.repo.workflowsUsing(tenantId, id, MAX_NAMED_USERS + 1);
      if (users.length) throw CredentialErrors.inUse(row.name, users.slice(0, MAX_NAMED_USERS), users.length > MAX_NAMED_USERS);
    }
    await this.dataSource.transaction(async (m) => {
      if (!(await this.repo.withManager(m).deleteInTenant(tenantId, id))) throw AppException.notFound('Credential');
      await this.audit.record(m, {
        tenantId,
        action: 'credential.delete',
        targetType: 'credential',
        targetId: id,
        changes: auditChanges({ name: row.name, connectorKey: row.connectorKey, authKind: row.authKind }, null),
      });
    });
  }

  /**
   * Can this tenant's step use this credential with this connector? Throws a 400 naming the
   * problem (unknown or other tenant's credential, other connector, kind not accepted) with
   * `details[0].field = 'credentialId'`; the workflow editor re-labels it with the step.
   */
  async assertUsable(tenantId: string, credentialId: string, connectorKey: string): Promise<CredentialEntity> {
    const row = isUuid(credentialId) ? await this.repo.findInTenant(tenantId, credentialId) : null;
    if (!row) throw CredentialErrors.notFound(credentialId);
    const connector = this.connectors.get(connectorKey);
    if (!connector) throw CredentialErrors.unknownConnector(connectorKey);
    if (row.connectorKey !== connectorKey) throw CredentialErrors.wrongConnector(row.name, row.connectorKey, connectorKey);
    if (!connector.descriptor.auth.includes(row.authKind)) {
      throw CredentialErrors.kindNotAccepted(row.name, row.authKind, connector.descriptor.name, connector.descriptor.auth);
    }
    return row;
  }

  /**
   * The decrypted credential for one call (the invoker's only way to secrets). Same checks as
   * assertUsable, plus: a credential with no hosts to go to fails here, before it is decrypted.
   */
  async resolveForRun(tenantId: string, credentialId: string, connectorKey: string, signal?: AbortSignal): Promise<ResolvedCredential> {
    const row = await this.assertUsable(tenantId, credentialId, connectorKey);
    const problem = this.unusableReason(row);
    if (problem) throw CredentialErrors.hostsRequired(row.name, row.id, problem);
    return this.resolve(row, signal);
  }

  async resolve(row: CredentialEntity, signal?: AbortSignal): Promise<ResolvedCredential> {
    let stored: Record<string, string>;
    try {
      stored = openSecrets(this.enc, row);
    } catch (e) {
      throw CredentialErrors.unreadable(row.name, (e as Error).message);
    }
    const handler = this.kinds.get(row.authKind);
    const secrets = handler?.resolve
      ? await handler.resolve(stored, { tenantId: row.tenantId, credentialId: row.id, connectorKey: row.connectorKey, signal })
      : stored;
    return { id: row.id, name: row.name, authKind: row.authKind, secrets, allowedHosts: row.allowedHosts };
  }

  /** 404 for a missing id and for another tenant's (their ids are indistinguishable from unknown ones). */
  async owned(tenantId: string, id: string): Promise<CredentialEntity> {
    const row = await this.repo.findInTenant(tenantId, id);
    if (!row) throw AppException.notFound('Credential');
    return row;
  }

  private toDto(row: CredentialEntity): CredentialDto {
    return CredentialDto.from(row, this.unusableReason(row));
  }

  /** Why steps using this credential fail until an owner or admin names its hosts; null when usable. */
  unusableReason(row: CredentialEntity): string | null {
    const connector = this.connectors.get(row.connectorKey);
    return connector ? hostsProblem(connector.descriptor, row.allowedHosts) : null;
  }

  /**
   * `allowedHosts` as stored: normalized patterns, or null for a provider connector's own hosts.
   * A generic connector (no provider hosts: http, soap) must name at least one.
   */
  private allowedHosts(connectorKey: string, value: unknown): string[] | null {
    const connector = this.connectors.get(connectorKey)!;
    if (value === undefined || value === null) {
      if (connector.descriptor.hosts) return null;
      throw AppException.validation([
        {
          field: 'allowedHosts',
          message: `required for ${connector.descriptor.name} credentials: name the hosts this credential may be sent to, e.g. ["api.example.com"]`,
        },
      ]);
    }
    if (!Array.isArray(value)) throw AppException.validation([{ field: 'allowedHosts', message: 'must be an array of host names' }]);
    if (value.length === 0) throw AppException.validation([{ field: 'allowedHosts', message: 'must name at least one host' }]);
    if (value.length > MAX_ALLOWED_HOSTS)
      throw AppException.validation([{ field: 'allowedHosts', message: `must name at most ${MAX_ALLOWED_HOSTS} hosts` }]);
    const problems: ErrorDetail[] = [];
    const hosts = new Set<string>();
    value.forEach((entry, i) => {
      const n = normalizeHostPattern(entry);
      if ('problem' in n) problems.push({ field: `allowedHosts.${i}`, message: n.problem });
      else hosts.add(n.value);
    });
    if (problems.length) throw AppException.validation(problems);
    return [...hosts];
  }

  private assertStorable(connectorKey: string, authKind: string, secrets: unknown): void {
    const problems: ErrorDetail[] = [];
    const connector = this.connectors.get(connectorKey);
    if (!connector) {
      problems.push({ field: 'connectorKey', message: `unknown connector "${connectorKey}"` });
      throw AppException.validation(problems);
    }
    const storable = this.schemas.storableKinds(connectorKey);
    if (!storable.length) {
      throw AppException.validation([{ field: 'connectorKey', message: `${connector.descriptor.name} needs no credential` }]);
    }
    if (!storable.includes(authKind as AuthKind)) {
      throw AppException.validation([
        { field: 'authKind', message: `must be one of: ${storable.join(', ')} (for ${connector.descriptor.name})` },
      ]);
    }
    problems.push(...this.schemas.validate(connectorKey, authKind as AuthKind, secrets));
    if (problems.length) throw AppException.validation(problems);
  }

  private async assertFitsTenant(tenantId: string, kind: AuthKind, secrets: Record<string, string>): Promise<void> {
    const problems = (await this.kinds.get(kind)?.checkForTenant?.(secrets, tenantId)) ?? [];
    if (problems.length) throw AppException.validation(problems);
  }

  private hint(kind: AuthKind, secrets: Record<string, string>): string {
    const handler = this.kinds.get(kind);
    return (handler ? handler.hint(secrets) : genericHint(secrets)).slice(0, 160);
  }

  private async named<T>(name: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (e) {
      if (e instanceof DuplicateCredentialNameError) {
        throw AppException.conflict('CREDENTIAL_NAME_TAKEN', `A credential named "${name}" already exists`);
      }
      throw e;
    }
  }
}
