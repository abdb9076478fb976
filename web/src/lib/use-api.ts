import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/errors';

export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Loads again (keeps the current data on screen meanwhile). */
  reload: () => Promise<void>;
  setData: (data: T) => void;
}

/**
 * Loads with `load` when `deps` change (and every `pollMs` when given, paused while the tab is
 * hidden). A newer load wins over an older one that answers late.
 */
export function useApi<T>(load: () => Promise<T>, deps: unknown[], options: { pollMs?: number; enabled?: boolean } = {}): ApiState<T> {
  const { pollMs, enabled = true } = options;
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(enabled);
  const seq = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const result = await loadRef.current();
      if (mine !== seq.current) return;
      setData(result);
      setError(undefined);
    } catch (e) {
      if (mine !== seq.current) return;
      setError(e instanceof ApiError ? e : new ApiError(0, (e as Error).message));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (!enabled) return;
    void reload();
    if (!pollMs) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void reload();
    }, pollMs);
    return () => clearInterval(timer);
    // `deps` are the caller's: what the load reads (the load itself is read through a ref).
  }, [...deps, enabled, pollMs]);

  return { data, error, loading, reload, setData };
}

/** Runs an action (a button's POST): `busy` while it runs, the ApiError it ended with. */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const run = useCallback(
    async (...args: A): Promise<R | undefined> => {
      setBusy(true);
      setError(undefined);
      try {
        return await action(...args);
      } catch (e) {
        setError(e instanceof ApiError ? e : new ApiError(0, (e as Error).message));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [action],
  );
  return { run, busy, error, clearError: () => setError(undefined) };
}
