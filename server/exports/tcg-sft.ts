// TCG-SFT records: for each problem of the experiment, the test generator's prompt (the paper's Fig. 3 template,
// server/tcg/tcg-sft.ts) and the dataset's ground-truth tests as its completion. `tests: visible` (the default) uses
// the search-visible dataset tests only; `all` adds the hidden ones, which are then no longer held out for evaluating
// a policy on these problems: export all only for training problems.
import type { Db } from "../db/index.ts";
import { buildTcgSftExample } from "../tcg/index.ts";
import type { ExportOptions } from "./export-options.ts";
import type { ExportExperiment } from "./export-tree.ts";
import type { TextOrMessages } from "./record-text.ts";

export interface TcgSftRecord {
  prompt: TextOrMessages;
  completion: TextOrMessages;
  provenance: {
    kind: "tcg-sft";
    experimentId: string;
    experimentName: string;
    dataset: string;
    problemId: string;
    problemExternalId: string;
    tests: ExportOptions["tests"];
    cases: number;
    lineageId: string | null;
    iteration: number | null;
  };
}

const PAGE = 100;

export async function* tcgSftRecords(prisma: Db, experiment: ExportExperiment, options: ExportOptions): AsyncGenerator<TcgSftRecord> {
  const origins = options.tests === "all" ? (["DATASET_VISIBLE", "DATASET_HIDDEN"] as const) : (["DATASET_VISIBLE"] as const);
  for (let skip = 0; ; skip += PAGE) {
    const problems = await prisma.problem.findMany({
      where: { trees: { some: { experimentId: experiment.id } } },
      orderBy: [{ ordinal: "asc" }, { id: "asc" }],
      skip,
      take: PAGE,
      select: {
        id: true,
        externalId: true,
        kind: true,
        statement: true,
        entryPoint: true,
        signature: true,
        referenceSolution: true,
        testCases: { where: { origin: { in: [...origins] } }, orderBy: [{ origin: "asc" }, { ordinal: "asc" }], select: { kind: true, input: true, expected: true } },
      },
    });
    for (const problem of problems) {
      const example = buildTcgSftExample(problem, problem.testCases);
      if (!example) continue;
      const conversational = options.style === "conversational";
      yield {
        // As TCG-DPO: the TCG prompt is the user's message, the cases the assistant's.
        prompt: conversational ? [{ role: "user", content: example.prompt }] : example.prompt,
        completion: conversational ? [{ role: "assistant", content: example.completion }] : example.completion,
        provenance: {
          kind: "tcg-sft",
          experimentId: experiment.id,
          experimentName: experiment.name,
          dataset: experiment.datasetName,
          problemId: problem.id,
          problemExternalId: problem.externalId,
          tests: options.tests,
          cases: example.cases,
          lineageId: experiment.lineageId,
          iteration: experiment.iteration,
        },
      };
    }
    if (problems.length < PAGE) return;
  }
}
