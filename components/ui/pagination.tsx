export function Pagination({
  page,
  pageSize,
  total,
  onPage,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <div className="flex items-center justify-between gap-3 text-sm text-slate-600" data-testid="pagination">
      <span>
        {first}–{last} of {total}
      </span>
      <div className="flex items-center gap-2">
        <button type="button" className="rounded border border-slate-300 bg-white px-2 py-1 disabled:opacity-40" disabled={page <= 1} onClick={() => onPage(page - 1)}>
          ← Prev
        </button>
        <span>
          page {page} / {pages}
        </span>
        <button
          type="button"
          className="rounded border border-slate-300 bg-white px-2 py-1 disabled:opacity-40"
          disabled={page >= pages}
          onClick={() => onPage(page + 1)}
          data-testid="next-page"
        >
          Next →
        </button>
      </div>
    </div>
  );
}
