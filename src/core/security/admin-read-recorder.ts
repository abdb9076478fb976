/**
 * Records that the admin token read something (the audit log's `admin.read`). Core cannot know
 * the audit module, so the AdminTokenGuard asks for this token and the audit module provides
 * it (globally). Absent (a test module without the audit log): nothing is recorded.
 */
export const ADMIN_READ_RECORDER = Symbol('ADMIN_READ_RECORDER');

export interface AdminReadRecorder {
  /** `route` is the method and route template, e.g. `GET /api/admin/system/health`. */
  recordRead(route: string): Promise<void>;
}
