import { prepareDatabase } from "../../bootstrap.ts";
import { closeDatabase } from "../../db/index.ts";
import { createLlmFactory, LLAMA_CPP_GGUF_ENV } from "../../llm/index.ts";
import { parseTcgConfig, type TcgConfig, TCG_DEFINITIONS } from "../../contracts/index.ts";
import { createSandbox } from "../../sandbox/index.ts";
import { runTcg, type TcgRunResult } from "../../tcg/index.ts";
import { CliUsageError, parseCommandArgs, problemsFlag, type Command } from "../command.ts";

const TCG_OPTIONS = {
  dataset: { type: "string" },
  problems: { type: "string" },
  llm: { type: "string" },
  model: { type: "string" },
  gguf: { type: "string" },
  api: { type: "string" },
  cases: { type: "string" },
  temperature: { type: "string" },
  "max-tokens": { type: "string" },
  seed: { type: "string" },
  concurrency: { type: "string" },
  "agreement-candidates": { type: "string" },
  json: { type: "boolean", default: false },
} as const;

type TcgFlags = Partial<Record<keyof typeof TCG_OPTIONS, string | boolean>>;

export const tcgCommand: Command = {
  name: "tcg",
  usage: "tcg --dataset D (--llm URL --model NAME | --gguf PATH) [--problems 1-20] [--cases N] [--json]",
  summary: "generate test cases with an LLM, validate them on the reference solution, print the TCG report",
  help: [
    "Usage: o1c tcg --dataset NAME [--problems 1-20] --llm URL --model NAME [--cases N] [--json]",
    "               [--api chat|completions] [--temperature 0.7] [--max-tokens 1024] [--seed S] [--concurrency K]",
    "               [--agreement-candidates 20]",
    "",
    "Asks the LLM for N test cases per problem with the O1-CODER TCG template (instruction, problem, the reference",
    "solution as the code part, a test part asking for N cases), parses them (malformed ones are dropped with a reason),",
    "drops duplicates and runs the reference solution on each case in the sandbox. Valid cases are stored as",
    "`generated` tests; an experiment with \"testSource\": \"generated\" or \"both\" searches with one run's cases",
    "(its \"tcgRun\", or the dataset's latest completed run when it was created; pinned in its config).",
    "",
    "  --problems   1-based positions (1-20, 7) or comma-separated dataset ids; default all",
    "  --llm        OpenAI-compatible base URL (vLLM); or --gguf PATH for a local model",
    "  --cases      test cases asked for per problem (default 3, as the paper's template asks)",
    "  --json       print {runId, generated, parsed, valid, invalid, duplicates, validityRate, agreement, problems}",
  ].join("\n"),
  async run(argv) {
    const { values } = parseCommandArgs(argv, TCG_OPTIONS, false);
    const config = configFromFlags(values);
    try {
      const { prisma } = await prepareDatabase();
      const sandbox = await createSandbox();
      const llms = createLlmFactory();
      const progress = values.json ? null : process.stderr;
      if (sandbox.isolation === "unsafe-none") progress?.write("WARNING: the sandbox runs WITHOUT isolation (O1C_SANDBOX=unsafe-no-isolation).\n");
      let result: TcgRunResult;
      try {
        result = await runTcg(prisma, config, {
          sandbox,
          llm: llms.create(config.llm),
          onProblemDone: progress ? (p) => progress.write(`problems done: ${p.done}/${p.total}${p.failed ? `, ${p.failed} failed` : ""}\n`) : undefined,
        });
      } finally {
        await llms.close();
        await sandbox.close();
      }
      console.log(values.json ? JSON.stringify(toJson(result), null, 2) : formatResult(result));
      return result.report.problems > 0 && result.report.problemsFailed === result.report.problems ? 1 : 0;
    } finally {
      await closeDatabase();
    }
  },
};

function configFromFlags(values: TcgFlags): TcgConfig {
  if (!values.dataset) throw new CliUsageError("--dataset is required");
  const gguf = values.gguf ?? process.env[LLAMA_CPP_GGUF_ENV];
  if (!values.llm && !gguf) throw new CliUsageError(`give --llm URL --model NAME (a server), or --gguf PATH / ${LLAMA_CPP_GGUF_ENV} (a local model)`);
  const sampling = { temperature: numberFlag(values, "temperature"), maxTokens: numberFlag(values, "max-tokens") };
  return parseTcgConfig(
    {
      dataset: values.dataset,
      problems: problemsFlag(values.problems),
      llm: { ...(values.llm ? { baseUrl: values.llm } : { gguf: String(gguf) }), model: values.model, ...(values.api ? { api: values.api } : {}) },
      cases: numberFlag(values, "cases"),
      sampling: Object.fromEntries(Object.entries(sampling).filter(([, v]) => v !== undefined)),
      seed: numberFlag(values, "seed"),
      concurrency: numberFlag(values, "concurrency"),
      agreementCandidates: numberFlag(values, "agreement-candidates"),
    },
    "command line",
  );
}

function numberFlag(values: TcgFlags, name: keyof typeof TCG_OPTIONS): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new CliUsageError(`--${name} must be a number, got '${raw}'`);
  return value;
}

function toJson(result: TcgRunResult) {
  return { runId: result.runId, ...result.report, problems: result.problems };
}

function percent(value: number | null): string {
  return value === null ? "n/a" : `${(value * 100).toFixed(1)}%`;
}

export function formatResult(result: TcgRunResult): string {
  const r = result.report;
  const header = ["problem", "generated", "parsed", "dup", "valid", "invalid", "validity", "note"];
  const rows = result.problems.map((p) => [
    `#${p.ordinal} ${p.externalId}`,
    String(p.generated),
    String(p.parsed),
    String(p.duplicates),
    String(p.valid),
    String(p.invalid),
    percent(p.valid + p.invalid === 0 ? null : p.valid / (p.valid + p.invalid)),
    p.error ? `error: ${p.error}` : (p.rejected.find((x) => x.validation === "UNVALIDATED")?.reason ?? ""),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  const a = r.agreement;
  return [
    `TCG run ${result.runId}`,
    line(header),
    ...rows.map(line),
    "",
    `Problems:   ${r.problems}${r.problemsFailed ? ` (${r.problemsFailed} failed)` : ""}`,
    `Cases:      ${r.generated} generated, ${r.parsed} parsed (${r.malformed} malformed), ${r.duplicates} duplicates, ${r.valid} valid, ${r.invalid} invalid, ${r.unvalidated} unvalidated`,
    `Validity:   ${percent(r.validityRate)}`,
    `Agreement:  ${a.agreement === null ? `n/a (${a.reason})` : `${percent(a.agreement)} over ${a.candidates} candidate programs; ${a.caught} of ${a.wrong} wrong ones caught, ${a.falselyRejected} of ${a.correct} correct ones rejected`}`,
    `Tokens:     ${r.promptTokens + r.completionTokens} (${r.promptTokens} prompt + ${r.completionTokens} completion)`,
    "",
    TCG_DEFINITIONS.validityRate,
    TCG_DEFINITIONS.agreement,
  ].join("\n");
}
