import type { IterationRow } from "../router-types";

export interface SeriesPoint {
  iteration: number;
  value: number;
  experimentName: string;
}

export interface Series {
  /** dataset · mode: experiments of one series are comparable across iterations. */
  key: string;
  points: SeriesPoint[];
}

/**
 * One series per dataset and mode, one point per iteration: the latest created experiment there (the one Δ compares
 * with), left out while it has no value (e.g. still running).
 */
export function buildSeries(rows: readonly IterationRow[], value: (row: IterationRow) => number | null): Series[] {
  const latest = new Map<string, IterationRow>();
  for (const row of rows) {
    const key = `${seriesKey(row)}\u0000${row.iteration}`;
    const current = latest.get(key);
    if (!current || new Date(row.createdAt) > new Date(current.createdAt)) latest.set(key, row);
  }
  const series = new Map<string, SeriesPoint[]>();
  for (const row of [...latest.values()].sort((a, b) => a.iteration - b.iteration)) {
    const v = value(row);
    const points = series.get(seriesKey(row)) ?? [];
    if (v !== null) points.push({ iteration: row.iteration, value: v, experimentName: row.name });
    series.set(seriesKey(row), points);
  }
  return [...series.entries()].map(([key, points]) => ({ key, points }));
}

export function seriesKey(row: Pick<IterationRow, "dataset" | "mode">): string {
  return `${row.dataset} · ${row.mode}`;
}
