import { Injectable } from '@nestjs/common';
import { withDeadline } from '../async/deadline';

export type ReportSection = () => Promise<unknown>;

/** A section still waiting on a dependency (BullMQ waits for Redis forever) reports that instead. */
const SECTION_DEADLINE_MS = 3000;

/**
 * Features add sections to the operator's system report (`GET /api/admin/system/health`)
 * without the admin module knowing them: e.g. the Nango module adds refresh statistics.
 */
@Injectable()
export class SystemReportRegistry {
  private readonly sections = new Map<string, ReportSection>();

  register(name: string, section: ReportSection): void {
    this.sections.set(name, section);
  }

  async collect(): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    await Promise.all(
      [...this.sections].map(async ([name, fn]) => {
        try {
          out[name] = await withDeadline(fn(), SECTION_DEADLINE_MS, `the ${name} section did not answer within ${SECTION_DEADLINE_MS} ms`);
        } catch (e) {
          out[name] = { error: (e as Error).message };
        }
      }),
    );
    return out;
  }
}
