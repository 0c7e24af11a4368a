// Benchmark files that live outside the repository (../shared/datasets by default; see SOURCES.md there). Tests that
// need them skip with a note on where to get them — unless O1C_REQUIRE_DATASETS=1 (CI sets it), where a missing file
// fails the suite instead of hiding it.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { describe, it } from "vitest";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Where each known file comes from, for the skip message. */
export const DATASET_ORIGINS: Record<string, string> = {
  "mbpp.jsonl": "google-research/google-research, mbpp/mbpp.jsonl",
  "sanitized-mbpp.json": "google-research/google-research, mbpp/sanitized-mbpp.json",
  "HumanEval.jsonl.gz": "openai/human-eval, data/HumanEval.jsonl.gz",
  "HumanEvalPlus.jsonl.gz": "evalplus/humanevalplus_release, HumanEvalPlus.jsonl.gz (v0.1.10)",
  "MbppPlus.jsonl.gz": "evalplus/mbppplus_release, MbppPlus.jsonl.gz (v0.2.0)",
};

/** O1C_SHARED_DATASETS, or ../shared/datasets next to the repository. */
export function sharedDatasetsDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.O1C_SHARED_DATASETS?.trim();
  return configured ? path.resolve(REPO_ROOT, configured) : path.resolve(REPO_ROOT, "..", "shared", "datasets");
}

/** Absolute path of a dataset file, or null when it is not there. */
export function sharedDatasetPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const file = path.join(sharedDatasetsDir(env), name);
  return existsSync(file) ? file : null;
}

export function datasetsRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.O1C_REQUIRE_DATASETS === "1";
}

/** Why the files are missing and where to get them. */
export function missingDatasetsMessage(names: string[], env: NodeJS.ProcessEnv = process.env): string {
  const dir = sharedDatasetsDir(env);
  const list = names.map((name) => `${name} (from ${DATASET_ORIGINS[name] ?? "see SOURCES.md"})`).join("; ");
  return (
    `missing in ${dir}: ${list}. Download them from those repositories into that folder (its SOURCES.md records ` +
    "the exact commits and sha256 sums), or set O1C_SHARED_DATASETS to a folder that has them."
  );
}

/**
 * describe() that runs `body` with the absolute paths of `names` when all exist. When one is missing it skips with
 * a message saying where to get it, or — with O1C_REQUIRE_DATASETS=1 — registers one failing test instead.
 */
export function describeWithDatasets(title: string, names: string[], body: (paths: Record<string, string>) => void): void {
  const paths: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of names) {
    const found = sharedDatasetPath(name);
    if (found) paths[name] = found;
    else missing.push(name);
  }
  if (missing.length === 0) {
    describe(title, () => body(paths));
    return;
  }
  const message = missingDatasetsMessage(missing);
  if (datasetsRequired()) {
    describe(title, () => {
      it("has its dataset files (O1C_REQUIRE_DATASETS=1)", () => {
        throw new Error(message);
      });
    });
    return;
  }
  console.warn(`[tests] skipping "${title}": ${message}`);
  describe.skip(`${title} (skipped: ${message})`, () => {
    it("needs the dataset files", () => {});
  });
}

/** describeWithDatasets for a single file: `body` gets its absolute path. */
export function describeWithDataset(title: string, name: string, body: (file: string) => void): void {
  describeWithDatasets(title, [name], (paths) => body(paths[name]!));
}

/** Records of a .jsonl or .jsonl.gz file (one JSON value per non-empty line), parsed but not validated. */
export function readJsonLines(file: string): unknown[] {
  const bytes = readFileSync(file);
  const text = (file.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as unknown);
}
