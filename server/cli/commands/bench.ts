import { formatEngineBenchmark, runEngineBenchmark, formatJudgingBenchmark, runJudgingBenchmark, formatRewardBenchmark, runRewardBenchmark, formatSandboxBenchmark, runSandboxBenchmark, formatUiBenchmark, runUiBenchmark } from "../../bench/index.ts";
import { CliUsageError, parseCommandArgs, type Command } from "../command.ts";

export const benchCommand: Command = {
  name: "bench",
  usage: "bench sandbox|ui|engine|judging|reward [options] [--json]",
  summary: "measure the Python sandbox (isolated vs bare), the tree explorer (10,000 nodes), the search engine (saturation, nodes/s) or judging (MBPP)",
  help: [
    "Usage: o1c bench sandbox [--programs N] [--workers W] [--runs 3] [--cpu-runs 500] [--json]",
    "",
    "Runs the same small program (a function + 3 asserts) through the isolated sandbox pool and through a bare,",
    "unisolated forkserver in the same run, and prints executions/s, p50/p95 latency, their ratio and memory per worker.",
    "Then the CPU per run of each process (forkserver, program processes, judge, bubblewrap, Node) for that program",
    "passing and for a wrong twin failing every assert (replayed by the judge), min / median / max over --runs repeats.",
    "  --programs   measured programs per pool (default 2000)",
    "  --workers    pool size (default: one per core)",
    "  --cpu-runs   runs per case in each repeat of the CPU measurement (default 500; 0 skips it)",
    "",
    "Usage: o1c bench ui [--nodes 10000] [--runs 5] [--cpu-profile FILE] [--json]   (needs a production build: npx next build)",
    "",
    "Stores a synthetic tree in a throwaway database, serves it, and measures in headless Chromium the explorer's first",
    "render (min / median / max over --runs fresh page loads), frames/s while panning, the latency from a node's commit",
    "to its appearance on the live page, and the database's transactions/s with 50 idle live-event streams open.",
    "  --cpu-profile   write the page's Chromium CPU profile over the live updates to FILE and over the first measured",
    "                  page load to FILE.first-render.cpuprofile (DevTools opens them)",
    "",
    "Usage: o1c bench engine [--runs 3] [--trees 256] [--cpu-prof DIR] [--json]",
    "",
    "Runs experiments through the job queue against the scripted OpenAI-compatible server on a throwaway database:",
    "saturation of a 200 ms server at 64 requests in flight (wall time / ideal), tree nodes persisted per second at",
    "zero latency with each process's CPU per node, the share of expansion prompts that extend their parent's byte for",
    "byte, and 2 worker processes vs 1. Each figure as min / median / max over the runs, with the machine's load.",
    "  --trees      trees in the zero-latency scenarios (overhead, scale-out); fewer make a quicker, noisier bench",
    "  --cpu-prof   profile the engine process over each run's overhead scenario: DIR/engine-overhead-runN.cpuprofile,",
    "               and the median run's self time by place and by function in the output",
    "",
    "Usage: o1c bench judging [--file mbpp.jsonl] [--runs 3] [--json]",
    "",
    "Judges MBPP's reference solutions through the engine's judging path (load the tests from the database, judge in",
    "the isolated sandbox, store the verdict) and the same programs on a bare forkserver: time per program of each.",
    "Skipped, with a message, when the MBPP file is missing.",
    "",
    "Usage: o1c bench reward [--file mbpp.jsonl] [--runs 5] [--json]",
    "",
    "Rewards per second of the OpenRLHF reward service (POST /api/reward/openrlhf) for batches of 64 MBPP-size",
    "completions on a throwaway database: min / median / max over the runs, with the machine's facts.",
  ].join("\n"),
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      programs: { type: "string" },
      workers: { type: "string" },
      nodes: { type: "string" },
      trees: { type: "string" },
      file: { type: "string" },
      "cpu-profile": { type: "string" },
      runs: { type: "string" },
      "cpu-prof": { type: "string" },
      "cpu-runs": { type: "string" },
      json: { type: "boolean", default: false },
    });
    if (positionals.length !== 1 || !["sandbox", "ui", "engine", "judging", "reward"].includes(positionals[0]!)) throw new CliUsageError("expected: o1c bench sandbox|ui|engine|judging|reward");
    const runs = positiveInt(values.runs, "--runs");
    if (positionals[0] === "reward") {
      const result = await runRewardBenchmark({ file: values.file, runs });
      console.log(values.json ? JSON.stringify(result, null, 2) : formatRewardBenchmark(result));
      return 0;
    }
    if (positionals[0] === "engine") {
      const result = await runEngineBenchmark({ runs, overheadTrees: positiveInt(values.trees, "--trees"), cpuProfileDir: values["cpu-prof"] });
      console.log(values.json ? JSON.stringify(result, null, 2) : formatEngineBenchmark(result));
      return 0;
    }
    if (positionals[0] === "judging") {
      const result = await runJudgingBenchmark({ file: values.file, runs });
      console.log(values.json ? JSON.stringify(result, null, 2) : formatJudgingBenchmark(result));
      return 0;
    }
    if (positionals[0] === "ui") {
      const result = await runUiBenchmark({ nodes: positiveInt(values.nodes, "--nodes"), renderRuns: runs, cpuProfilePath: values["cpu-profile"] });
      console.log(values.json ? JSON.stringify(result, null, 2) : formatUiBenchmark(result));
      return 0;
    }
    const programs = positiveInt(values.programs, "--programs");
    const workers = positiveInt(values.workers, "--workers");
    const cpuRuns = integerOption(values["cpu-runs"], "--cpu-runs", 0);
    const result = await runSandboxBenchmark({ programs, workers, cpuRuns, cpuRepeats: runs });
    console.log(values.json ? JSON.stringify(result, null, 2) : formatSandboxBenchmark(result));
    return 0;
  },
};

/** An optional option's value as an integer ≥ `min`; anything else is a usage error naming the option. */
function integerOption(value: string | undefined, option: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(Number.isInteger(n) && n >= min)) throw new CliUsageError(min === 1 ? `${option} must be a positive integer` : `${option} must be an integer >= ${min}`);
  return n;
}

function positiveInt(value: string | undefined, option: string): number | undefined {
  return integerOption(value, option, 1);
}
