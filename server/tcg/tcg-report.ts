// The quality report of a TCG run: the counts summed over its problems, the validity rate (the paper's TCG metric)
// and the agreement with the hidden tests. Pure: rows in, report out, so the CLI, the UI and tests read the same
// numbers. TCG_DEFINITIONS is the one wording of what each number means (CLI footer, UI tooltips, README).
import type { AgreementReport } from "./tcg-agreement.ts";

export interface TcgProblemCounts {
  generated: number;
  parsed: number;
  valid: number;
  invalid: number;
  duplicates: number;
  error: string | null;
  promptTokens: number;
  completionTokens: number;
}

/** What one problem's row and a run's totals both show (see TCG_DEFINITIONS). */
export interface TcgCaseCounts {
  generated: number;
  parsed: number;
  malformed: number;
  duplicates: number;
  valid: number;
  invalid: number;
  unvalidated: number;
  /** valid / (valid + invalid); null when nothing was validated. */
  validityRate: number | null;
  promptTokens: number;
  completionTokens: number;
}

export interface TcgTotals extends TcgCaseCounts {
  problems: number;
  /** Problems whose generation or validation failed (LLM error, sandbox failure); their counts are what was done. */
  problemsFailed: number;
}

export interface TcgReport extends TcgTotals {
  agreement: AgreementReport;
}

export function totalTcgCounts(rows: readonly TcgProblemCounts[]): TcgTotals {
  const totals: TcgTotals = {
    problems: rows.length,
    problemsFailed: 0,
    generated: 0,
    parsed: 0,
    malformed: 0,
    duplicates: 0,
    valid: 0,
    invalid: 0,
    unvalidated: 0,
    validityRate: null,
    promptTokens: 0,
    completionTokens: 0,
  };
  for (const row of rows) {
    if (row.error !== null) totals.problemsFailed++;
    totals.generated += row.generated;
    totals.parsed += row.parsed;
    totals.malformed += row.generated - row.parsed;
    totals.duplicates += row.duplicates;
    totals.valid += row.valid;
    totals.invalid += row.invalid;
    totals.unvalidated += unvalidatedOf(row);
    totals.promptTokens += row.promptTokens;
    totals.completionTokens += row.completionTokens;
  }
  totals.validityRate = validityRate(totals.valid, totals.invalid);
  return totals;
}

/** One problem's stored counts with the derived ones (malformed, unvalidated, validity rate). */
export function caseCounts(row: TcgProblemCounts): TcgCaseCounts {
  return {
    generated: row.generated,
    parsed: row.parsed,
    malformed: row.generated - row.parsed,
    duplicates: row.duplicates,
    valid: row.valid,
    invalid: row.invalid,
    unvalidated: unvalidatedOf(row),
    validityRate: validityRate(row.valid, row.invalid),
    promptTokens: row.promptTokens,
    completionTokens: row.completionTokens,
  };
}

export function unvalidatedOf(row: Pick<TcgProblemCounts, "parsed" | "duplicates" | "valid" | "invalid">): number {
  return Math.max(0, row.parsed - row.duplicates - row.valid - row.invalid);
}

export function validityRate(valid: number, invalid: number): number | null {
  return valid + invalid === 0 ? null : valid / (valid + invalid);
}

export function buildTcgReport(rows: readonly TcgProblemCounts[], agreement: AgreementReport): TcgReport {
  return { ...totalTcgCounts(rows), agreement };
}
