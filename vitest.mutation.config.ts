// The vitest run Stryker uses (npm run test:mutation): the suites that check the code in stryker.config.mjs's
// `mutate` scope directly. Left out: e2e, CLI, sandbox-attack and benchmark suites (they cover none of it), and every
// suite that runs whole experiments (run-lifecycle, prm-run, export-run, streaming, search-over-http, test/engine's
// runs): with per-test coverage each of them covers every search line, so each search mutant would cost a full
// experiment. They still run in `npm test`. Same database setup as vitest.config.ts (its `test` section with the
// file lists replaced, not merged: mergeConfig would append them to the whole suite's).
import { defineConfig } from "vitest/config";
import base from "./vitest.config.ts";

// One throwaway database per Stryker test-runner process, not one per mutant (test/global-setup.ts).
process.env.O1C_TEST_DB_PER_PROCESS = "1";

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      "test/search/**/*.test.ts",
      "test/prm/{combined-reward,path-rewards,rollout-labels,selection-guide}.test.ts",
      "test/exports/{formats,record-rules,path-phi,load-judgements,export-tree}.test.ts",
      "test/experiments/completion-metrics.test.ts",
      "test/engine/{claim-defaults,search-tests,tree-claim}.test.ts",
      "test/datasets/formats.test.ts",
      "test/sandbox/{verdict,wire-value,stdout-match}.test.ts",
    ],
    exclude: ["test/search/search-over-http.test.ts"],
    // Stryker starts vitest once per mutant. Isolated, every start re-imported each test file's whole module graph in
    // a new worker (~3-4 s of every mutant); shared, the modules stay loaded between mutants. That is sound here:
    // Stryker switches mutants through a global, not by reloading code, and `ignoreStatic` leaves out the mutants a
    // module's one-time initialisation would hide.
    isolate: false,
  },
});
