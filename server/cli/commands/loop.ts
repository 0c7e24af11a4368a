import { readFile } from "node:fs/promises";
import { prepareDatabase } from "../../bootstrap.ts";
import { closeDatabase } from "../../db/index.ts";
import { ValidationError } from "../../errors.ts";
import { createLlmFactory } from "../../llm/index.ts";
import { cancelLoop, createOrFindLoop, findLoopByName, getLoopReport, listLoops, runLoop, type LoopReport } from "../../loop/index.ts";
import { createSandbox } from "../../sandbox/index.ts";
import { CliUsageError, parseCommandArgs, type Command } from "../command.ts";

export const loopCommand: Command = {
  name: "loop",
  usage: "loop run --config loop.json [--json] | loop show|cancel NAME | loop list",
  summary: "self-play loops: search → export → train (TRL / Ray) → publish → evaluate, K iterations, resumable",
  help: [
    "Usage: o1c loop run --config loop.json [--json]",
    "       o1c loop show NAME [--json]",
    "       o1c loop cancel NAME",
    "       o1c loop list [--json]",
    "",
    "run creates the loop named in loop.json (and its lineage), or resumes it when it exists with the same plan —",
    "after a cancel, a failure or a killed process it continues at the stage it was in; nothing finished is redone.",
    "Iteration 0 evaluates the base policy on evalProblems and searches trainProblems; iteration k ≥ 1 trains",
    "policy k on the exports of the earlier searches (all of them with \"accumulate\": true, the paper's D ∪ D′),",
    "publishes it (vLLM runtime LoRA, or the endpoint you give), evaluates it and searches again.",
    "",
    "loop.json fields: name, dataset, trainProblems, evalProblems (like --problems; never overlapping),",
    "iterations (K), mode, search, sampling, seed, concurrency, llm {baseUrl, model}, accumulate,",
    "training {backend: command|ray, recipes: [sft, dpo, prm, tcg], baseModel, command | ray {address, entrypoint,",
    "runtimeEnv}, outputRoot, env}, publish {kind: vllm-lora [, baseUrl] | endpoint, endpoints: [{baseUrl, model}]}.",
    "Templates take {recipe} {data} {output} {base_model} {iteration} {init} {recipes_dir}, substituted shell-quoted.",
    "",
    "--json prints { lineage, iterations: [{ iteration, model, searchExperimentId, evalExperimentId,",
    "eval: { pass1, aspr, tokensPerProblem }, training: [{ recipe, status, output }] }] } (iterations 0..K).",
    "Exit code 0 when the loop completed, 1 when it failed or was cancelled.",
  ].join("\n"),
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { config: { type: "string" }, json: { type: "boolean", default: false } });
    const [action, name, ...extra] = positionals;
    if (!action || !["run", "show", "cancel", "list"].includes(action)) throw new CliUsageError("give a subcommand: run, show, cancel or list");
    if (extra.length > 0) throw new CliUsageError(`unexpected argument '${extra[0]}'`);
    if (action === "run" && (!values.config || name)) throw new CliUsageError("run takes --config loop.json");
    if ((action === "show" || action === "cancel") && !name) throw new CliUsageError(`${action} needs the loop's NAME`);
    try {
      const { prisma } = await prepareDatabase();
      if (action === "list") {
        const loops = await listLoops(prisma);
        if (values.json) console.log(JSON.stringify(loops, null, 2));
        else for (const l of loops) console.log(`${l.name}  ${l.status.toLowerCase()}  iteration ${l.iteration} · ${l.stage}${l.error ? `  (${l.error})` : ""}`);
        return 0;
      }
      if (action === "show") {
        const report = await getLoopReport(prisma, (await findLoopByName(prisma, name!)).id);
        console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
        return 0;
      }
      if (action === "cancel") {
        await cancelLoop(prisma, (await findLoopByName(prisma, name!)).id);
        console.log(`Cancelled loop ${name}; \`o1c loop run --config …\` resumes it.`);
        return 0;
      }
      const loop = await createOrFindLoop(prisma, await readJson(values.config!), values.config!);
      const stopping = new AbortController();
      const onSignal = () => stopping.abort();
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      const sandbox = await createSandbox();
      const llms = createLlmFactory();
      try {
        const report = await runLoop(prisma, loop.id, {
          sandbox,
          createLlm: (endpoint) => llms.create(endpoint),
          signal: stopping.signal,
          log: (line) => process.stderr.write(`[loop] ${line}\n`),
        });
        console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
        return report.status === "completed" ? 0 : 1;
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        await llms.close();
        await sandbox.close();
      }
    } finally {
      await closeDatabase();
    }
  },
};

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ValidationError(`cannot read the loop file (${(error as NodeJS.ErrnoException).code})`, file);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`not valid JSON: ${(error as Error).message}`, file);
  }
}

function pct(value: number | null): string {
  return value === null ? "–" : `${(value * 100).toFixed(1)}%`;
}

export function formatReport(report: LoopReport): string {
  const lines = [`Loop ${report.lineage}: ${report.status} (iteration ${report.iteration} · ${report.stage})${report.error ? `\nerror: ${report.error}` : ""}`, ""];
  for (const it of report.iterations) {
    lines.push(`iteration ${it.iteration}  model ${it.model ?? "–"}  held-out Pass@1 ${pct(it.eval.pass1)}  ASPR ${pct(it.eval.aspr)}  tokens/problem ${it.eval.tokensPerProblem?.toFixed(0) ?? "–"}`);
    for (const job of it.training) {
      lines.push(`  ${job.recipe} (attempt ${job.attempt}): ${job.status}  ${job.output}${job.error ? `  — ${job.error}` : ""}`);
      // Why a training job failed is in what the trainer wrote (a missing module, a CUDA error), not in its exit code.
      if (job.status === "failed") lines.push(...logTailLines(job.logTail));
    }
  }
  return lines.join("\n");
}

/** How many of a failed job's last log lines the report shows. */
const LOG_TAIL_LINES = 12;

function logTailLines(logTail: string): string[] {
  // \r too: a progress bar (tqdm) rewrites its line with carriage returns, which would make one very long line.
  const tail = logTail.trimEnd().split(/\r\n|\r|\n/).filter((line) => line.trim() !== "").slice(-LOG_TAIL_LINES);
  return tail.length === 0 ? ["    (the trainer wrote nothing)"] : tail.map((line) => `    | ${line.trimEnd()}`);
}
