import { Injectable } from '@nestjs/common';
import { AuthUser } from '../../core/security/auth-user';
import { PendingRuns } from '../executions';
import { DashboardDto } from './dto/dashboard.dto';
import { DashboardRepository } from './dashboard.repository';

const HOUR_MS = 3_600_000;
const round2 = (n: number) => Math.round(Number(n) * 100) / 100;
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/** GET /api/dashboard: the tenant's workflows, recent runs and queue, in one answer. */
@Injectable()
export class DashboardService {
  constructor(
    private readonly repo: DashboardRepository,
    private readonly pending: PendingRuns,
  ) {}

  async summary(user: AuthUser, hours: number): Promise<DashboardDto> {
    const to = new Date();
    const w = { from: new Date(to.getTime() - hours * HOUR_MS), to };
    const t = user.tenantId;
    // Independent reads: issued together so the page waits for the slowest, not their sum.
    const [workflows, counts, perHour, slowest, failing, queue] = await Promise.all([
      this.repo.workflowCounts(t),
      this.repo.statusCounts(t, w),
      this.repo.perHour(t, w),
      this.repo.slowest(t, w),
      this.repo.mostFailing(t, w),
      this.pending.depth(t),
    ]);
    const decided = counts.succeeded + counts.failed;
    return {
      activeWorkflows: workflows.active,
      totalWorkflows: workflows.total,
      window: { from: w.from.toISOString(), to: w.to.toISOString() },
      runs: {
        total: counts.total,
        byStatus: {
          queued: counts.queued,
          running: counts.running,
          succeeded: counts.succeeded,
          failed: counts.failed,
          cancelled: counts.cancelled,
        },
        successRate: decided ? round4(counts.succeeded / decided) : null,
      },
      runsPerHour: perHour.map((h) => ({ hour: new Date(h.hour).toISOString(), succeeded: h.succeeded, failed: h.failed, other: h.other })),
      slowest: slowest.map((s) => ({
        workflowId: s.workflow_id,
        name: s.name,
        runs: s.runs,
        p95DurationMs: round2(s.p95),
        avgDurationMs: round2(s.avg),
      })),
      mostFailing: failing.map((f) => ({
        workflowId: f.workflow_id,
        name: f.name,
        runs: f.runs,
        failed: f.failed,
        failureRate: round4(f.failed / f.runs),
      })),
      queue,
      generatedAt: new Date().toISOString(),
    };
  }
}
