import { AppException } from '../errors/app-exception';
import { DependencyChecksService } from './dependency-checks.service';
import type { ReadyDto } from './dto/health.dto';

/**
 * The one readiness decision, for the API's `/health/ready` and the worker's probe server:
 * ready when every required dependency (PostgreSQL, Redis) answers in time. The answer says
 * up or down per dependency and nothing else: a driver's error text can quote internal host
 * names and addresses, and these probes are public.
 */
export type Readiness = { ready: true; body: ReadyDto } | { ready: false; error: AppException };

export async function checkReadiness(checks: Pick<DependencyChecksService, 'required'>): Promise<Readiness> {
  const { database, redis, readDatabase } = await checks.required();
  const statuses = [['database', database.status] as const, ['redis', redis.status] as const];
  const down = statuses.filter(([, status]) => status === 'down');
  // A read replica (DATABASE_READ_URL) is reported but does not decide: while it is away only the log reads fail.
  const reported = readDatabase ? { readDatabase: { status: readDatabase.status } } : {};
  if (!down.length)
    return { ready: true, body: { status: 'ok', dependencies: { database: { status: 'up' }, redis: { status: 'up' }, ...reported } } };
  const error = new AppException(
    503,
    'NOT_READY',
    `Not ready: ${down.map(([name]) => `${name} is down`).join('; ')}`,
    statuses.map(([name, status]) => ({ field: name, message: status, status })),
  );
  return { ready: false, error };
}
