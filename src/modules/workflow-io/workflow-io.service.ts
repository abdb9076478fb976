import { Injectable } from '@nestjs/common';
import { AppException, ErrorDetail } from '../../core/errors/app-exception';
import { AuthUser } from '../../core/security/auth-user';
import { CredentialsService } from '../credentials';
import { CredentialDto } from '../credentials';
import { CreatedWorkflowDto, StepDto } from '../workflows';
import { WorkflowsService } from '../workflows';
import {
  PortableStepDto,
  RequiredCredentialDto,
  WORKFLOW_FORMAT,
  WORKFLOW_FORMAT_VERSION,
  WorkflowDocumentDto,
} from './dto/workflow-document.dto';

/**
 * Export and import of workflows as portable JSON. Credentials travel by NAME: export swaps
 * each step's credential id for the credential's name; import looks the names up in the
 * importing tenant and hands the workflow to WorkflowsService.create, which validates it like
 * any other new workflow. Nothing secret is ever part of a document.
 */
@Injectable()
export class WorkflowIoService {
  constructor(
    private readonly workflows: WorkflowsService,
    private readonly credentials: CredentialsService,
  ) {}

  async export(user: AuthUser, id: string): Promise<WorkflowDocumentDto> {
    const workflow = await this.workflows.get(user, id);
    const byId = new Map((await this.credentials.list(user.tenantId)).map((c) => [c.id, c]));
    const needed = new Map<string, RequiredCredentialDto>();
    const steps: PortableStepDto[] = workflow.steps.map((s) => {
      const step: PortableStepDto = { name: s.name, type: s.type };
      if (s.connector !== undefined) step.connector = s.connector;
      if (s.action !== undefined) step.action = s.action;
      const cred = s.credentialId ? byId.get(s.credentialId) : undefined;
      if (cred) {
        step.credential = cred.name;
        needed.set(cred.name.toLowerCase(), { name: cred.name, connectorKey: cred.connectorKey, authKind: cred.authKind });
      }
      step.params = s.params ?? {};
      return step;
    });
    return {
      format: WORKFLOW_FORMAT,
      formatVersion: WORKFLOW_FORMAT_VERSION,
      name: workflow.name,
      ...(workflow.description ? { description: workflow.description } : {}),
      active: workflow.active,
      trigger: workflow.trigger,
      steps,
      settings: workflow.settings,
      credentials: [...needed.values()],
    };
  }

  async import(user: AuthUser, doc: WorkflowDocumentDto): Promise<CreatedWorkflowDto> {
    const byName = new Map<string, CredentialDto>();
    for (const c of await this.credentials.list(user.tenantId)) byName.set(c.name.toLowerCase(), c);

    const problems: ErrorDetail[] = [];
    const missing = new Set<string>();
    const steps: StepDto[] = doc.steps.map((s, i) => {
      const step: StepDto = { name: s.name, type: s.type, connector: s.connector, action: s.action, params: s.params ?? {} };
      // class-validator's @IsOptional lets null through: no credential either way.
      if (s.credential === undefined || s.credential === null) return step;
      const cred = byName.get(s.credential.trim().toLowerCase());
      if (!cred) {
        missing.add(s.credential);
        const kind = doc.credentials?.find((c) => c.name.toLowerCase() === s.credential!.trim().toLowerCase());
        const hint = s.connector ? ` (create one for connector "${s.connector}"${kind?.authKind ? `, kind ${kind.authKind}` : ''})` : '';
        problems.push({ field: `steps[${i}].credential`, message: `no credential named "${s.credential}" in this tenant${hint}` });
      } else if (s.connector && cred.connectorKey !== s.connector) {
        problems.push({
          field: `steps[${i}].credential`,
          message: `credential "${cred.name}" is for connector "${cred.connectorKey}", not "${s.connector}"`,
        });
      } else {
        step.credentialId = cred.id;
      }
      return step;
    });
    if (problems.length) {
      const message = missing.size
        ? `Import needs credentials this tenant does not have: ${[...missing].map((n) => `"${n}"`).join(', ')}`
        : `Import refers to credentials that do not fit their steps`;
      throw AppException.badRequest(missing.size ? 'IMPORT_CREDENTIALS_MISSING' : 'IMPORT_CREDENTIALS_MISMATCH', message, problems);
    }

    return this.workflows.create(
      user,
      {
        name: doc.name,
        description: doc.description,
        active: doc.active,
        trigger: doc.trigger,
        steps,
        settings: doc.settings,
      },
      // audited as an import (not a create), in the same transaction as the workflow and its version 1
      { action: 'workflow.import' },
    );
  }
}
