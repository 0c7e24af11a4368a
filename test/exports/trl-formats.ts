// What TRL's trainers read, checked field by field. The field names and types are TRL's documented ones:
// - Dataset formats and types (standard vs conversational; prompt-completion, preference, stepwise supervision):
//   https://huggingface.co/docs/trl/dataset_formats
// - SFTTrainer ("prompt"/"completion", or "messages"): https://huggingface.co/docs/trl/sft_trainer
// - PRMTrainer (stepwise supervision: "prompt" str, "completions" list[str], "labels" list[bool], equal lengths; TRL
//   documents this type in the standard format only): https://huggingface.co/docs/trl/prm_trainer
// Every record may carry one more column, `provenance`, which the trainers do not read.
import { expect } from "vitest";

export type Style = "standard" | "conversational";

const ROLES = new Set(["system", "user", "assistant"]);

function isMessages(value: unknown): value is { role: string; content: string }[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((m) => typeof m === "object" && m !== null && Object.keys(m).sort().join(",") === "content,role" && ROLES.has(m.role) && typeof m.content === "string")
  );
}

function styleOf(value: unknown, field: string): Style {
  if (typeof value === "string") return "standard";
  expect(isMessages(value), `${field} must be a string or a list of {role, content} messages: ${JSON.stringify(value)}`).toBe(true);
  return "conversational";
}

function expectColumns(record: Record<string, unknown>, columns: string[]) {
  expect(Object.keys(record).sort()).toEqual([...columns, "provenance"].sort());
  expect(typeof record.provenance).toBe("object");
}

function expectAssistantOnly(value: unknown) {
  if (Array.isArray(value)) for (const m of value as { role: string }[]) expect(m.role).toBe("assistant");
}

/** Prompt-completion (SFT): prompt and completion both strings, or both message lists (completion: assistant turns). */
export function expectPromptCompletion(record: Record<string, unknown>, style: Style) {
  expectColumns(record, ["prompt", "completion"]);
  expect(styleOf(record.prompt, "prompt")).toBe(style);
  expect(styleOf(record.completion, "completion")).toBe(style);
  expectAssistantOnly(record.completion);
}

/** Preference (DPO, PRM pairwise): prompt, chosen, rejected, all strings or all message lists. */
export function expectPreference(record: Record<string, unknown>, style: Style) {
  expectColumns(record, ["prompt", "chosen", "rejected"]);
  for (const field of ["prompt", "chosen", "rejected"]) expect(styleOf(record[field], field)).toBe(style);
  expectAssistantOnly(record.chosen);
  expectAssistantOnly(record.rejected);
  expect(record.chosen).not.toEqual(record.rejected);
}

/** Stepwise supervision (PRM): prompt str, completions list[str], labels list[bool] (hard) or list[float] (soft), equal lengths. */
export function expectStepwise(record: Record<string, unknown>, labels: "hard" | "soft") {
  expectColumns(record, ["prompt", "completions", "labels"]);
  expect(typeof record.prompt).toBe("string");
  const completions = record.completions as unknown[];
  const values = record.labels as unknown[];
  expect(Array.isArray(completions) && completions.length > 0).toBe(true);
  expect(completions.every((c) => typeof c === "string")).toBe(true);
  expect(values).toHaveLength(completions.length);
  if (labels === "hard") expect(values.every((l) => typeof l === "boolean")).toBe(true);
  else expect(values.every((l) => typeof l === "number" && l >= 0 && l <= 1)).toBe(true);
}

/** Same provenance keys on every record: `datasets` infers one schema per JSONL file. */
export function expectUniformProvenance(records: readonly Record<string, unknown>[]) {
  const shapes = new Set(records.map((r) => Object.keys(r.provenance as object).sort().join(",")));
  expect(shapes.size).toBeLessThanOrEqual(1);
}
