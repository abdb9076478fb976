import { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppException } from '../src/core/errors/app-exception';
import { AuthUser } from '../src/core/security/auth-user';
import { AuthService } from '../src/modules/auth/auth.service';
import { CredentialsService } from '../src/modules/credentials/credentials.service';
import { UsersRepository } from '../src/modules/users/users.repository';
import { DEMO_CREDENTIALS } from '../src/modules/workflow-io/demo-credentials';
import { WorkflowDocumentDto } from '../src/modules/workflow-io/dto/workflow-document.dto';
import { WorkflowIoService } from '../src/modules/workflow-io/workflow-io.service';
import { WorkflowsService } from '../src/modules/workflows/workflows.service';

export const DEMO_EMAIL = 'demo@flowgate.local';
export const DEMO_TENANT = 'Flowgate demo';

export interface SeedResult {
  email: string;
  tenantId: string;
  /** Only when the account was created by this run: it is printed once and never stored in clear. */
  password?: string;
  createdCredentials: string[];
  createdWorkflows: string[];
  skippedWorkflows: Array<{ name: string; reason: string }>;
}

/** examples/ next to the checkout (ts-node / jest) or next to dist/ (compiled). */
export function findExamplesDir(from = __dirname): string | undefined {
  return [join(from, '..', 'examples'), join(from, '..', '..', 'examples')].find((d) => existsSync(d));
}

export function loadExamples(dir = findExamplesDir()): WorkflowDocumentDto[] {
  if (!dir) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as WorkflowDocumentDto);
}

/**
 * Creates (or completes) the demo tenant through the app's own services: the owner account,
 * the placeholder credentials the examples name, and one workflow per example. Safe to run
 * again: whatever exists (by email, credential name, workflow name) is left alone.
 */
export async function seedDemo(app: INestApplicationContext, examples = loadExamples()): Promise<SeedResult> {
  const users = app.get(UsersRepository, { strict: false });
  const auth = app.get(AuthService, { strict: false });
  const credentials = app.get(CredentialsService, { strict: false });
  const workflows = app.get(WorkflowsService, { strict: false });
  const io = app.get(WorkflowIoService, { strict: false });

  let password: string | undefined;
  // an email is unique per tenant: the demo account is the oldest owner with the demo email
  const demoOwner = async () => (await users.findLoginCandidates(DEMO_EMAIL)).find((u) => u.role === 'owner') ?? null;
  let owner = await demoOwner();
  if (!owner) {
    const candidate = randomBytes(12).toString('base64url');
    try {
      await auth.register({ email: DEMO_EMAIL, password: candidate, tenantName: DEMO_TENANT });
      password = candidate;
    } catch (e) {
      // Another seed run created it a moment ago: carry on with that one.
      if (!(e instanceof AppException && e.code === 'EMAIL_TAKEN')) throw e;
    }
    owner = await demoOwner();
    if (!owner) throw new Error(`seed: ${DEMO_EMAIL} was not created`);
  }
  const user: AuthUser = { userId: owner.id, tenantId: owner.tenantId, email: owner.email, role: owner.role };

  const haveCredentials = new Set((await credentials.list(user.tenantId)).map((c) => c.name.toLowerCase()));
  const createdCredentials: string[] = [];
  for (const c of DEMO_CREDENTIALS) {
    if (haveCredentials.has(c.name.toLowerCase())) continue;
    await credentials.create(user.tenantId, { name: c.name, connectorKey: c.connectorKey, authKind: c.authKind, secrets: c.secrets });
    createdCredentials.push(c.name);
  }

  const haveWorkflows = new Set<string>();
  for (let page = 1; ; page++) {
    const res = await workflows.list(user, page, 100);
    res.items.forEach((w) => haveWorkflows.add(w.name));
    if (page * res.limit >= res.total) break;
  }
  const createdWorkflows: string[] = [];
  const skippedWorkflows: SeedResult['skippedWorkflows'] = [];
  for (const doc of examples) {
    if (haveWorkflows.has(doc.name)) continue;
    try {
      await io.import(user, doc);
      createdWorkflows.push(doc.name);
    } catch (e) {
      skippedWorkflows.push({ name: doc.name, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return { email: DEMO_EMAIL, tenantId: user.tenantId, password, createdCredentials, createdWorkflows, skippedWorkflows };
}
