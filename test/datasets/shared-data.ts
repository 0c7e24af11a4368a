// Locates the benchmark files in ../shared/datasets (not committed; see SOURCES.md there). When a file is missing,
// the suites that need it are skipped with a message saying where to get it — unless O1C_REQUIRE_DATASETS=1 (CI),
// where a missing file fails the run instead of silently testing less. O1C_SHARED_DATASETS overrides the directory.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe } from "vitest";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

export function sharedDatasetsDir(): string {
  return process.env.O1C_SHARED_DATASETS?.trim() || path.resolve(REPO_ROOT, "../shared/datasets");
}

const WHERE_TO_GET_THEM =
  "Put the benchmark files (mbpp.jsonl, sanitized-mbpp.json, HumanEval.jsonl.gz, HumanEvalPlus.jsonl.gz, MbppPlus.jsonl.gz; " +
  "sources: google-research/google-research mbpp/, openai/human-eval data/, evalplus/humanevalplus_release and " +
  "evalplus/mbppplus_release — see SOURCES.md next to them) in ../shared/datasets, or point O1C_SHARED_DATASETS at them";

/**
 * `describe` that runs only when every file in `files` exists; `fn` receives their absolute paths in order.
 * Missing files: skipped with a message, or a failure under O1C_REQUIRE_DATASETS=1.
 */
export function describeWithSharedData(name: string, files: string[], fn: (paths: string[]) => void): void {
  const dir = sharedDatasetsDir();
  const paths = files.map((file) => path.join(dir, file));
  const missing = files.filter((_, index) => !existsSync(paths[index]!));
  if (missing.length === 0) {
    describe(name, () => fn(paths));
    return;
  }
  const message = `missing ${missing.join(", ")} in ${dir}. ${WHERE_TO_GET_THEM}.`;
  if (process.env.O1C_REQUIRE_DATASETS === "1") throw new Error(`O1C_REQUIRE_DATASETS=1: ${message}`);
  console.warn(`[tests] skipping "${name}": ${message}`);
  describe.skip(`${name} (skipped: ${message})`, () => fn(paths));
}
