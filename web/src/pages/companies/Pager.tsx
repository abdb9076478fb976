/** Previous/next for an API page ({ total, page, limit }); nothing when everything fits one page. */
export function Pager({
  label,
  page,
  limit,
  total,
  onPage,
}: {
  label: string;
  page: number;
  limit: number;
  total: number;
  onPage: (page: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(total / limit));
  if (pages <= 1) return null;
  return (
    <nav className="row" aria-label={`${label} pages`}>
      <button type="button" className="btn btn-secondary btn-sm" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous page
      </button>
      <span className="muted small">
        Page {page} of {pages} ({total})
      </span>
      <button type="button" className="btn btn-secondary btn-sm" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next page
      </button>
    </nav>
  );
}
