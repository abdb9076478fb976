import { useEffect, useState } from 'react';
import { api, call } from '../../../api/client';
import { ApiError } from '../../../api/errors';
import type { components } from '../../../api/generated/schema';

type PreviewRequest = components['schemas']['SchedulePreviewRequestDto'];
type Preview = components['schemas']['SchedulePreviewDto'];

/** Waits this long after the last keystroke before asking (typing a cron is many edits). */
const DEBOUNCE_MS = 400;

/**
 * The next fire times of the schedule being edited, from POST /api/workflows/schedule-preview
 * (so the panel shows exactly what the scheduler will do). Null `request`: nothing to preview.
 * An answer to an older request never replaces a newer one.
 */
export function useSchedulePreview(request: PreviewRequest | null) {
  const [preview, setPreview] = useState<Preview>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(false);
  const key = request ? JSON.stringify(request) : '';

  useEffect(() => {
    if (!key) {
      setPreview(undefined);
      setError(undefined);
      setLoading(false);
      return;
    }
    let cancelled = false;
    setLoading(true);
    const timer = setTimeout(async () => {
      try {
        const body = JSON.parse(key) as PreviewRequest;
        const result = await call(api.POST('/api/workflows/schedule-preview', { body }));
        if (cancelled) return;
        setPreview(result);
        setError(undefined);
      } catch (e) {
        if (cancelled) return;
        setPreview(undefined);
        setError(e instanceof ApiError ? e : new ApiError(0, (e as Error).message));
      } finally {
        if (!cancelled) setLoading(false);
      }
    }, DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [key]);

  return { preview, error, loading };
}
