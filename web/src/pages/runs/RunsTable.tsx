import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { useVirtualizer } from '@tanstack/react-virtual';
import { StatusBadge } from '../../components/StatusBadge';
import { dateTime, duration, relativeTime } from '../../lib/format';
import type { RunSummary } from './use-run-pages';

const ROW_HEIGHT = 44;
/** Rows from the end at which the next page starts loading, ahead of the user reaching it. */
const PREFETCH_ROWS = 40;
const COLUMNS = ['Status', 'Workflow', 'Trigger', 'Received', 'Duration', 'Attempt'];

/**
 * The runs as an ARIA table of divs, virtualized: only the rows in view (plus a margin) are in the
 * DOM, so ten thousand loaded runs scroll as smoothly as fifty. aria-rowcount/aria-rowindex tell
 * assistive technology the full size and each row's place. Nearing the end loads the next page.
 */
export function RunsTable({
  items,
  hasMore,
  loadingMore,
  onLoadMore,
  autoLoad,
}: {
  items: RunSummary[];
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  /** Off after a failed page: no retry loop on scroll; "Load more" tries again. */
  autoLoad: boolean;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const virtualRows = virtualizer.getVirtualItems();
  const lastIndex = virtualRows.length ? virtualRows[virtualRows.length - 1].index : -1;

  useEffect(() => {
    if (autoLoad && hasMore && !loadingMore && lastIndex >= items.length - PREFETCH_ROWS) onLoadMore();
  }, [autoLoad, lastIndex, items.length, hasMore, loadingMore, onLoadMore]);

  return (
    <div className="runs-scroll" ref={scrollRef} tabIndex={0} role="region" aria-label="Runs list (scrolls)">
      <div role="table" aria-label="Runs" aria-rowcount={items.length + 1} className="runs-table">
        <div role="rowgroup" className="runs-head">
          <div role="row" aria-rowindex={1} className="runs-row">
            {COLUMNS.map((c) => (
              <div role="columnheader" key={c} className="runs-cell">
                {c}
              </div>
            ))}
          </div>
        </div>
        <div role="rowgroup" className="runs-body" style={{ height: virtualizer.getTotalSize() }}>
          {virtualRows.map((v) => (
            <RunRow key={items[v.index].id} run={items[v.index]} rowIndex={v.index + 2} top={v.start} />
          ))}
        </div>
      </div>
    </div>
  );
}

function RunRow({ run, rowIndex, top }: { run: RunSummary; rowIndex: number; top: number }) {
  return (
    <div
      role="row"
      aria-rowindex={rowIndex}
      className="runs-row runs-body-row"
      data-testid="run-row"
      data-run-id={run.id}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
    >
      <div role="cell" className="runs-cell">
        <StatusBadge status={run.status} />
      </div>
      <div role="cell" className="runs-cell runs-name">
        {/* The row's link: its name says which run it opens (workflow and when). */}
        <Link to={`/runs/${run.id}`} aria-label={`${run.workflowName || 'Deleted workflow'}, ${run.status}, ${dateTime(run.receivedAt)}`}>
          {run.workflowName || <span className="muted">Deleted workflow</span>}
        </Link>
      </div>
      <div role="cell" className="runs-cell">
        {run.trigger}
      </div>
      <div role="cell" className="runs-cell">
        <time dateTime={run.receivedAt} title={dateTime(run.receivedAt)}>
          {relativeTime(run.receivedAt)}
        </time>
      </div>
      <div role="cell" className="runs-cell">
        {duration(run.durationMs)}
      </div>
      <div role="cell" className="runs-cell">
        {run.attempts}
      </div>
    </div>
  );
}
