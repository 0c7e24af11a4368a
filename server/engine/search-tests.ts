// Which tests a search sees: the ones that reward it and appear in its prompts, per the experiment's testSource (the
// dataset's visible tests, its pinned TCG run's valid cases, or both), and how each reads in a prompt. Hidden tests
// never pass this filter: they only judge (judging/judging.ts).
import type { ExperimentConfig } from "../contracts/index.ts";
import { isJudgeable, type StoredTest } from "../judging/index.ts";

/**
 * Tests that give rewards (and appear in prompts), per the experiment's testSource, at most search.maxTests. Generated
 * cases come from the experiment's pinned TCG run only; configs stored before runs were pinned (no tcgRun) take every
 * valid generated case, as they did then.
 */
export function searchVisibleTests<T extends StoredTest & { origin: string; validation: string; tcgRunId: string | null }>(
  tests: T[],
  config: ExperimentConfig,
): T[] {
  const useDataset = config.testSource !== "generated";
  const useGenerated = config.testSource !== "dataset-visible";
  const fromPinnedRun = (t: T) => config.tcgRun === undefined || t.tcgRunId === config.tcgRun;
  return tests
    .filter((t) => isJudgeable(t))
    .filter((t) => (useDataset && t.origin === "DATASET_VISIBLE") || (useGenerated && t.origin === "GENERATED" && t.validation === "VALID" && fromPinnedRun(t)))
    .slice(0, config.search.maxTests);
}

/** How a visible test reads in the prompt: asserts as written; stdin/stdout cases as an example transcript. */
export function showInPrompt(test: StoredTest): string {
  if (test.kind === "ASSERT") return test.input;
  if (test.kind === "STDIO") return `# input:\n${comment(test.input)}\n# expected output:\n${comment(test.expected ?? "")}`;
  return `# call with arguments ${test.input} -> ${test.expected}`;
}

function comment(text: string): string {
  return text.replace(/\n$/, "").split("\n").map((line) => `#   ${line}`).join("\n");
}
