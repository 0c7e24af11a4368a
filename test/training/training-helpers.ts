// Shared setup of the training tests: JSONL inputs in a temporary folder and the test trainer's command template.
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const FAKE_TRAINER = fileURLToPath(new URL("../fixtures/fake-trainer.py", import.meta.url));
/** The test trainer with the shipped recipe script's arguments. */
export const FAKE_TRAINER_TEMPLATE = `python3 ${FAKE_TRAINER} {recipe} --model {base_model} --data {data} --output {output} --init {init}`;

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `o1c-${prefix}-`));
}

export async function writeJsonl(file: string, records: unknown[]): Promise<string> {
  await writeFile(file, records.map((r) => `${JSON.stringify(r)}\n`).join(""));
  return file;
}

export const SFT_RECORDS = [
  { prompt: "Write add(a, b).", completion: "def add(a, b):\n    return a + b", provenance: { problemExternalId: "1" } },
  { prompt: "Write sub(a, b).", completion: "def sub(a, b):\n    return a - b", provenance: { problemExternalId: "2" } },
];
