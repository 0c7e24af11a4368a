// vLLM's pooling API as the served PRM uses it. Shape followed: vLLM 0.12+ (vllm/entrypoints/pooling/pooling/protocol.py):
//   POST /pooling {model, input: string | string[], task: "token_classify"}
//   → {id, object: "list", created, model, data: [{index, object: "pooling", data: number[][] | number[]}], usage}
// For token_classify each data item holds one row of class probabilities per pooled token: every token under ALL
// pooling, only the step-tag tokens under STEP pooling (Qwen2.5-Math-PRM's default). Our input ends with the step tag,
// so under either pooling the LAST row is the tag after the step being scored.
import { z } from "zod";

export function buildPoolingBody(model: string, inputs: readonly string[]) {
  return { model, input: inputs, task: "token_classify" };
}

/** The path as the PRM reads it: the problem, then each step followed by the step tag. */
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
});

export type PoolingRows = Map<number, number[][] | number[]>;

export function parsePoolingResponse(json: unknown): { ok: true; rows: PoolingRows } | { ok: false; issue: string } {
  const parsed = poolingResponseSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, issue: first ? `${first.path.join(".") || "(body)"}: ${first.message}` : "unexpected shape" };
  }
  return { ok: true, rows: new Map(parsed.data.data.map((item) => [item.index, item.data])) };
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
