// Hand-made lineage data on the real database: a tiny dataset, experiments created through createExperimentFromInput (so the
// config's lineage section is exercised) and then given a status and metrics by hand, TCG runs, and judgements.
import type { Db } from "../../server/db/client.ts";
import type { Prisma } from "../../server/db/generated/client.ts";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import type { ExperimentConfigInput } from "../../server/contracts/experiment-config.ts";
import { createExperimentFromInput } from "../../server/experiments/experiment-service.ts";
import type { ExperimentMetrics } from "../../server/evaluation/index.ts";

/** Never contacted: these experiments are not run. */
export const UNUSED_ENDPOINT = "http://127.0.0.1:9/v1";

export async function importTinyDataset(prisma: Db, name: string): Promise<string> {
  const records = [1, 2].map((k) => ({
    id: `p${k}`,
    statement: `Write f${k}(x) returning x + ${k}.`,
    entry_point: `f${k}`,
    reference_solution: `def f${k}(x):\n    return x + ${k}\n`,
    tests: [`assert f${k}(1) == ${1 + k}`, { assert: `assert f${k}(2) == ${2 + k}`, hidden: true }],
  }));
  const bytes = new TextEncoder().encode(records.map((r) => JSON.stringify(r)).join("\n"));
  await importDataset(prisma, { source: { fileName: `${name}.jsonl`, bytes }, format: "jsonl", name });
  return (await prisma.dataset.findUniqueOrThrow({ where: { name } })).id;
}

export function experimentConfig(dataset: string, mode: "vanilla" | "pseudocode", model: string, extra: Partial<ExperimentConfigInput> = {}): ExperimentConfigInput {
  return { dataset, mode, llm: { baseUrl: UNUSED_ENDPOINT, model }, search: { rollouts: 2 }, ...extra };
}

export function metrics(pass1: number | null, aspr: number | null, tokensPerProblem: number | null): ExperimentMetrics {
  return {
    problems: 2,
    pass1,
    aspr,
    passAtK: { 1: pass1 },
    promptTokens: (tokensPerProblem ?? 0) * 1.5,
    completionTokens: (tokensPerProblem ?? 0) * 0.5,
    tokensPerProblem,
    prmPromptTokens: 0,
    prmCompletionTokens: 0,
    prmTokensPerProblem: 0,
    totalTokensPerProblem: tokensPerProblem,
    llmCallsPerProblem: 3,
    pass1FirstTerminal: pass1,
    tokenCurve: [],
    challenge: null,
    plus: null,
    failedProblems: 0,
    unjudgedProblems: 0,
    llmRetries: 0,
    wallMs: 1_000,
  };
}

/** Gives a created experiment the state a finished (or still running) run would leave. */
export async function finish(prisma: Db, experimentId: string, status: "COMPLETED" | "RUNNING", m: ExperimentMetrics | null) {
  await prisma.experiment.update({
    where: { id: experimentId },
    data: { status, metrics: (m ?? undefined) as unknown as Prisma.InputJsonValue | undefined, finishedAt: status === "COMPLETED" ? new Date() : null },
  });
}

/**
 * A completed experiment whose trees agree with its metrics (the lineage compares iterations on the problems both
 * scored, from the trees): its problems DONE and judged, round(pass1·n) of them solved, ASPR from 20 terminals per
 * tree, tokens evenly spread. Throws when the figures cannot come from its n problems.
 */
export async function finishScored(prisma: Db, experimentId: string, figures: { pass1: number; aspr: number; tokensPerProblem: number }) {
  const trees = await prisma.searchTree.findMany({ where: { experimentId }, orderBy: { problem: { ordinal: "asc" } } });
  const n = trees.length;
  const solved = Math.round(figures.pass1 * n);
  const passingTerminals = Math.round(figures.aspr * n * 20);
  if (solved / n !== figures.pass1 || passingTerminals / (n * 20) !== figures.aspr || passingTerminals > n * 20) {
    throw new Error(`Pass@1 ${figures.pass1} and ASPR ${figures.aspr} cannot come from ${n} problems with 20 terminals each`);
  }
  let left = passingTerminals;
  for (const [i, tree] of trees.entries()) {
    const passing = Math.min(20, left);
    left -= passing;
    const treeMetrics = {
      problemId: tree.problemId,
      finalAnswerPasses: i < solved,
      terminalPasses: Array.from({ length: 20 }, (_, k) => k < passing),
      promptTokens: figures.tokensPerProblem * 0.75,
      completionTokens: figures.tokensPerProblem * 0.25,
      llmCalls: 3,
      judged: true,
      finalNodeId: null,
      bestValue: null,
      terminals: 20,
      terminalsPassing: passing,
      nodes: 21,
      wallMs: 500,
    };
    await prisma.searchTree.update({
      where: { id: tree.id },
      data: { status: "DONE", metrics: treeMetrics as unknown as Prisma.InputJsonValue, promptTokens: treeMetrics.promptTokens, completionTokens: treeMetrics.completionTokens, llmCalls: 3 },
    });
  }
  await finish(prisma, experimentId, "COMPLETED", metrics(figures.pass1, figures.aspr, figures.tokensPerProblem));
}

export async function addTcgRun(prisma: Db, datasetId: string, model: string, status: "COMPLETED" | "RUNNING" | "FAILED", report: Prisma.InputJsonValue | null, finishedAt: Date | null) {
  return prisma.tcgRun.create({
    data: { datasetId, model, llmBaseUrl: UNUSED_ENDPOINT, status, config: {}, report: report ?? undefined, finishedAt },
  });
}

/** A new pair of sibling nodes under a root on the experiment's first tree, and judgements on that pair by the given sources. */
export async function addJudgements(prisma: Db, experimentId: string, judgements: { source: "HUMAN" | "SEARCH"; annotator: string }[]) {
  const tree = await prisma.searchTree.findFirstOrThrow({ where: { experimentId } });
  const first = await prisma.treeNode.count({ where: { treeId: tree.id } });
  const node = (seq: number, parentId: string | null) =>
    prisma.treeNode.create({ data: { treeId: tree.id, parentId, seq, depth: parentId ? 1 : 0, stepIndex: seq, actionKind: parentId ? "structure" : "root", stepText: `step ${seq}` } });
  const root = await node(first, null);
  const a = await node(first + 1, root.id);
  const b = await node(first + 2, root.id);
  const pairKey = [a.id, b.id].sort().join("|");
  for (const j of judgements) {
    await prisma.stepPreference.create({ data: { experimentId, chosenNodeId: a.id, rejectedNodeId: b.id, pairKey, source: j.source, annotator: j.annotator } });
  }
}

export { createExperimentFromInput };
