import { useCallback, useEffect, useRef, useState } from 'react';
import { api, call } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { components } from '../../api/generated/schema';
import { filtersKey, logsQuery, type RunFilters } from './run-filters';

export type RunSummary = components['schemas']['ExecutionSummaryDto'];

/** The largest page GET /api/logs serves: fewer round trips while scrolling through thousands. */
export const PAGE_SIZE = 200;

export interface RunPages {
  items: RunSummary[];
  /** Another page exists (the API's nextCursor). */
  hasMore: boolean;
  /** The first page is loading (nothing to show yet for these filters). */
  loading: boolean;
  /** A next page is loading. */
  loadingMore: boolean;
  error: ApiError | undefined;
  /** The queue scan was partial: some queued runs may be missing (only with queued/running filters). */
  queueIncomplete: boolean;
  loadMore: () => void;
  reload: () => void;
}

function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, (e as Error).message);
}

/**
 * The Runs list by cursor pages: the first page when the filters change, the next on `loadMore`,
 * and (with `refreshMs`) the first page again, merged at the top, so new runs appear without
 * losing the pages already scrolled through.
 */
export function useRunPages(filters: RunFilters, refreshMs: number | undefined): RunPages {
  const [items, setItems] = useState<RunSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [queueIncomplete, setQueueIncomplete] = useState(false);
  // Answers for older filters (the user clicked on) are dropped: only the current generation lands.
  const generation = useRef(0);
  const moreInFlight = useRef(false);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const key = filtersKey(filters);
  const countRef = useRef(0);
  countRef.current = items.length;

  const fetchPage = useCallback(
    (after?: string) => call(api.GET('/api/logs', { params: { query: logsQuery(filtersRef.current, PAGE_SIZE, after) } })),
    [],
  );

  const loadFirst = useCallback(async () => {
    const mine = ++generation.current;
    moreInFlight.current = false;
    setLoading(true);
    setLoadingMore(false);
    setItems([]);
    setCursor(null);
    try {
      const page = await fetchPage();
      if (mine !== generation.current) return;
      setItems(page.items);
      setCursor(page.nextCursor);
      setQueueIncomplete(page.queueScan?.complete === false);
      setError(undefined);
    } catch (e) {
      if (mine === generation.current) setError(asApiError(e));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [fetchPage]);

  useEffect(() => {
    void loadFirst();
  }, [key, loadFirst]);

  const loadMore = useCallback(() => {
    if (!cursor || moreInFlight.current || loading) return;
    const mine = generation.current;
    moreInFlight.current = true;
    setLoadingMore(true);
    fetchPage(cursor)
      .then((page) => {
        if (mine !== generation.current) return;
        setItems((prev) => {
          // A refresh may already have put some of these at the top: keep each run once.
          const seen = new Set(prev.map((r) => r.id));
          return prev.concat(page.items.filter((r) => !seen.has(r.id)));
        });
        setCursor(page.nextCursor);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (mine === generation.current) setError(asApiError(e));
      })
      .finally(() => {
        if (mine !== generation.current) return;
        moreInFlight.current = false;
        setLoadingMore(false);
      });
  }, [cursor, loading, fetchPage]);

  useEffect(() => {
    if (!refreshMs) return;
    const timer = setInterval(() => {
      if (document.visibilityState !== 'visible') return;
      const mine = generation.current;
      fetchPage()
        .then((page) => {
          if (mine !== generation.current) return;
          setItems((prev) => {
            // The fresh first page replaces its runs (their status moved on) and adds the new ones;
            // the older pages already loaded stay below it.
            const fresh = new Set(page.items.map((r) => r.id));
            return page.items.concat(prev.filter((r) => !fresh.has(r.id)));
          });
          // An empty list that now has runs takes the page's cursor; a loaded list keeps its own.
          if (countRef.current === 0) setCursor(page.nextCursor);
          setError(undefined);
        })
        .catch((e: unknown) => {
          if (mine === generation.current) setError(asApiError(e));
        });
    }, refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs, key, fetchPage]);

  return {
    items,
    hasMore: cursor !== null,
    loading,
    loadingMore,
    error,
    queueIncomplete,
    loadMore,
    reload: () => void loadFirst(),
  };
}
