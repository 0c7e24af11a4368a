// What tests that run experiments over the scripted OpenAI-compatible server share: a dataset made from JSONL
// records, and the production OpenAI client as the engine's LLM factory (real HTTP to the scripted server).
import type { Db } from "../../server/db/client.ts";
import type { LlmEndpoint } from "../../server/contracts/index.ts";
import { importDataset } from "../../server/datasets/import-dataset.ts";
import { createOpenAiClient } from "../../server/llm/openai-client.ts";

/** Imports `records` (the jsonl format's records) as dataset `name`; its problems come back in dataset order. */
export async function importJsonlRecords(prisma: Db, name: string, records: readonly object[]) {
  const bytes = new TextEncoder().encode(records.map((r) => JSON.stringify(r)).join("\n"));
  const { datasetId } = await importDataset(prisma, { source: { fileName: `${name}.jsonl`, bytes }, format: "jsonl", name });
  const problems = await prisma.problem.findMany({ where: { datasetId }, orderBy: { ordinal: "asc" } });
  return { datasetId, problems };
}

/** runExperiment's `createLlm`: the real OpenAI client, pointed at the experiment's (scripted) server. */
export function openAiOverHttp(llm: LlmEndpoint) {
  return createOpenAiClient({ baseUrl: llm.baseUrl!, model: llm.model! });
}
