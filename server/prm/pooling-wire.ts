// vLLM's pooling API as the served PRM uses it. Shape followed: vLLM 0.12+ (vllm/entrypoints/pooling/pooling/protocol.py):
//   POST /pooling {model, input: string | string[], task: "token_classify"}                        (text: raw strings)
//   POST /pooling {model, messages: [...], task, add_generation_prompt, continue_final_message}    (chat: ONE
//     conversation per request, rendered with the PRM's own chat template, as Qwen2.5-Math-PRM was trained: system,
//     user = the problem, assistant = the steps each followed by the step tag)
//   → {id, object: "list", created, model, data: [{index, object: "pooling", data: number[][] | number[]}], usage}
// For token_classify each data item holds one row of class probabilities per pooled token: every token under ALL
// pooling, only the step-tag tokens under STEP pooling (Qwen2.5-Math-PRM's default). Our input ends with the step tag,
// so under either pooling the LAST row is the tag after the step being scored.
import { z } from "zod";

export function buildPoolingBody(model: string, inputs: readonly string[]) {
  return { model, input: inputs, task: "token_classify" };
}

export interface PoolingMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/**
 * A chat pooling request. continue_final_message: the template leaves the assistant turn open, so the last step's
 * tag is the last token (its score is the same either way: later tokens do not change a causal model's earlier
 * positions) and the last pooled row is that tag under STEP and ALL pooling alike.
 */
export function buildPoolingChatBody(model: string, messages: readonly PoolingMessage[]) {
  return { model, task: "token_classify", messages, add_generation_prompt: false, continue_final_message: true };
}

/** Qwen2.5-Math-PRM's input: system prompt, the problem as the user turn, the steps joined by (and ending with) the tag. */
export function poolingMessages(problem: string, steps: readonly string[], stepTag: string, systemPrompt: string): PoolingMessage[] {
  return [
    { role: "system", content: systemPrompt },
    { role: "user", content: problem.trim() },
    { role: "assistant", content: steps.map((step) => `${step.trim()}${stepTag}`).join("") },
  ];
}

/** The path as a text-input PRM reads it: the problem, then each step followed by the step tag. */
export function poolingInput(problem: string, steps: readonly string[], stepTag: string): string {
  return `${problem.trim()}\n\n${steps.map((step) => `${step.trim()}${stepTag}`).join("\n")}`;
}

const poolingResponseSchema = z.object({
  data: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      data: z.union([z.array(z.array(z.number())), z.array(z.number())]),
    }),
  ),
  // vLLM's UsageInfo: a pooling request spends prompt tokens only. Optional: a server that omits it costs "unknown",
  // counted as 0 tokens (the request itself is still counted); a missing or null usage never fails the scores.
  usage: z.object({ prompt_tokens: z.number().int().nonnegative().nullish() }).nullish(),
});

export type PoolingRows = Map<number, number[][] | number[]>;

export interface PoolingReply {
  rows: PoolingRows;
  /** The prompt tokens the server reports for the whole request (0 when it reports none). */
  promptTokens: number;
}

export function parsePoolingResponse(json: unknown): ({ ok: true } & PoolingReply) | { ok: false; issue: string } {
  const parsed = poolingResponseSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, issue: first ? `${first.path.join(".") || "(body)"}: ${first.message}` : "unexpected shape" };
  }
  return { ok: true, rows: new Map(parsed.data.data.map((item) => [item.index, item.data])), promptTokens: parsed.data.usage?.prompt_tokens ?? 0 };
}

/** The good-class probability at the last pooled token; throws with what is wrong when it is not there. */
export function stepTagScore(data: number[][] | number[] | undefined, goodIndex: number): number {
  if (data === undefined) throw new Error("the pooling response has no entry for this input");
  const last = data.length === 0 ? undefined : data[data.length - 1];
  const row = typeof last === "number" ? (data as number[]) : last;
  if (!row) throw new Error("the pooling response has no rows for this input (is the step tag in the model's vocabulary?)");
  const score = row[goodIndex];
  if (score === undefined) throw new Error(`the pooling output has ${row.length} classes; goodIndex ${goodIndex} is out of range`);
  if (!(score >= 0 && score <= 1)) {
    throw new Error(`the pooling output ${score} at goodIndex ${goodIndex} is not a probability (serve the PRM with its softmax activation)`);
  }
  return score;
}
