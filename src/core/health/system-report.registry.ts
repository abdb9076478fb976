import { Injectable } from '@nestjs/common';

export type ReportSection = () => Promise<unknown>;

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
          out[name] = await fn();
        } catch (e) {
          out[name] = { error: (e as Error).message };
        }
      }),
    );
    return out;
  }
}
