// Inter-annotator agreement on step preferences. Pure arithmetic over judgements; no database.
//
// Each judgement is one of four categories of its pair: "first" (the pair key's smaller id is better), "second",
// "tie", "both-bad". For a pair judged by n ≥ 2 annotators:
//   pairwise agreement = (annotator pairs giving the same category) / (n·(n−1)/2).
// Over an experiment's pairs with n ≥ 2:
//   observed agreement P̄ = the mean of the pairs' pairwise agreement;
//   Fleiss' kappa κ = (P̄ − P_e) / (1 − P_e), with P_e = Σ_c p_c² and p_c the share of all those judgements in
//   category c (the usual generalisation to a varying number of annotators per item). κ is null when P_e = 1
//   (everyone used a single category, so chance agreement is total and κ is undefined).
import { parsePairKey } from "./pair-key.ts";

export const AGREEMENT_CATEGORIES = ["first", "second", "tie", "both-bad"] as const;
export type AgreementCategory = (typeof AGREEMENT_CATEGORIES)[number];

export interface JudgementForAgreement {
  pairKey: string;
  annotator: string;
  verdict: "PREFER" | "TIE" | "BOTH_BAD";
  chosenNodeId: string;
}

export interface PairAgreement {
  annotators: number;
  /** Annotator pairs that gave the same verdict. */
  agreeingPairs: number;
  /** n·(n−1)/2. */
  annotatorPairs: number;
  /** agreeingPairs / annotatorPairs; null with fewer than two annotators. */
  share: number | null;
}

export interface ExperimentAgreement {
  /** Judged pairs (by anyone) and pairs judged by at least two annotators. */
  judgedPairs: number;
  multiplyJudgedPairs: number;
  judgements: number;
  annotators: Array<{ name: string; judgements: number }>;
  /** P̄ over the pairs with ≥ 2 annotators; null when there are none. */
  observedAgreement: number | null;
  /** Chance agreement P_e from the category shares. */
  chanceAgreement: number | null;
  fleissKappa: number | null;
}

export function categoryOf(judgement: JudgementForAgreement): AgreementCategory {
  if (judgement.verdict === "TIE") return "tie";
  if (judgement.verdict === "BOTH_BAD") return "both-bad";
  return parsePairKey(judgement.pairKey)[0] === judgement.chosenNodeId ? "first" : "second";
}

/** Pairwise agreement of one pair's judgements (one per annotator). */
export function pairAgreement(categories: readonly AgreementCategory[]): PairAgreement {
  const n = categories.length;
  const annotatorPairs = (n * (n - 1)) / 2;
  let agreeingPairs = 0;
  for (const count of countCategories(categories).values()) agreeingPairs += (count * (count - 1)) / 2;
  return { annotators: n, agreeingPairs, annotatorPairs, share: n >= 2 ? agreeingPairs / annotatorPairs : null };
}

export function experimentAgreement(judgements: readonly JudgementForAgreement[]): ExperimentAgreement {
  const byPair = new Map<string, AgreementCategory[]>();
  const byAnnotator = new Map<string, number>();
  for (const j of judgements) {
    byPair.set(j.pairKey, [...(byPair.get(j.pairKey) ?? []), categoryOf(j)]);
    byAnnotator.set(j.annotator, (byAnnotator.get(j.annotator) ?? 0) + 1);
  }
  const multiple = [...byPair.values()].filter((categories) => categories.length >= 2);
  const observed = multiple.length ? mean(multiple.map((categories) => pairAgreement(categories).share!)) : null;
  const pooled = countCategories(multiple.flat());
  const pooledTotal = multiple.reduce((sum, categories) => sum + categories.length, 0);
  const chance = pooledTotal ? [...pooled.values()].reduce((sum, count) => sum + (count / pooledTotal) ** 2, 0) : null;
  const kappa = observed !== null && chance !== null && chance < 1 ? (observed - chance) / (1 - chance) : null;
  return {
    judgedPairs: byPair.size,
    multiplyJudgedPairs: multiple.length,
    judgements: judgements.length,
    annotators: [...byAnnotator.entries()].map(([name, count]) => ({ name, judgements: count })).sort((a, b) => b.judgements - a.judgements || a.name.localeCompare(b.name)),
    observedAgreement: observed,
    chanceAgreement: chance,
    fleissKappa: kappa,
  };
}

function countCategories(categories: readonly AgreementCategory[]): Map<AgreementCategory, number> {
  const counts = new Map<AgreementCategory, number>();
  for (const c of categories) counts.set(c, (counts.get(c) ?? 0) + 1);
  return counts;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
