// Mutation testing (npm run test:mutation) of the code that decides results: the search core, the metrics and an
// experiment's completion, which tests are visible or hidden, the sandbox's verdicts, the exports, the PRM labels and
// ϕ, and tree claims and resume. See test/MUTATION.md for the score and the survivors that are equivalent.
// @ts-check
import path from "node:path";
import { fileURLToPath } from "node:url";

// Stryker runs the tests in a copy under .stryker-tmp/, from where ../shared/datasets is not the shared folder.
process.env.O1C_SHARED_DATASETS ??= path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../shared/datasets");

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts", related: true },
  coverageAnalysis: "perTest",
  // No TypeScript checker: on 2 cores it took one core from the one test runner left, halving the throughput. A
  // mutant that would not compile is run like any other; the tests decide whether it is killed.
  mutate: [
    "server/search/{backpropagate,expand-node,exploration-schedule,final-answer,reward,rollout,run-search,search-node,search-tree,select-child,token-attribution}.ts",
    "server/evaluation/metrics.ts",
    "server/experiments/experiment-completion.ts",
    // Which tests are visible or hidden: the format parsers' shared rule and the engine's choice of reward tests.
    "server/datasets/formats/format-parser.ts",
    "server/engine/search-tests.ts",
    "server/sandbox/{verdict,wire-value,stdout-match}.ts",
    "server/exports/{sft,dpo,prm,path-phi,export-tree,record-text,tcg-dpo}.ts",
    "server/prm/{rollout-labels,rollout-scores,combined-reward,path-rewards}.ts",
    // Claims: taking a tree, a stale claim's takeover, releasing it. (Resume and cancel are checked by whole runs,
    // test/engine/resume-after-cancel.test.ts and test/runs/run-lifecycle.test.ts, too slow to repeat per mutant.)
    "server/engine/tree-claim.ts",
  ],
  // Error messages, log lines and SQL text: a mutated string literal there only measures how often tests quote them
  // (the SQL's conditions are checked by the claim and lifecycle suites, but as whole statements, not per character).
  mutator: { excludedMutations: ["StringLiteral"] },
  dryRunTimeoutMinutes: 20,
  // Mutants in module-level initialisers would need a fresh module per test: left out to keep runs fast.
  ignoreStatic: true,
  concurrency: 2,
  // Added to 1.5x the covering tests' own time: an infinite loop costs this much plus a runner restart.
  timeoutMS: 10_000,
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  thresholds: { high: 90, low: 85, break: 85 },
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
export default config;
