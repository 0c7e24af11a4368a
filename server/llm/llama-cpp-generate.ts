// One sampled continuation on a llama.cpp context sequence: our own token loop over `sequence.evaluate`, so stop
// strings, token counts and finish reasons follow the OpenAI/vLLM semantics exactly (node-llama-cpp's LlamaCompletion
// would add its own BOS, context-shift and trimming rules).
import type { LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";

export interface SampleParams {
  temperature: number;
  topP: number;
  seed: number;
  /** Tokens to generate at most (already capped to the room left in the context). */
  maxTokens: number;
  stop: readonly string[];
  includeStopInOutput: boolean;
  signal?: AbortSignal;
}

export interface Sample {
  text: string;
  finishReason: "stop" | "length";
  /** Sampled tokens, including the end-of-generation token or the one that completed a stop string. */
  completionTokens: number;
}

/** The earliest stop string occurrence in `text` (the longest one when two start at the same place). */
export function findStop(text: string, stops: readonly string[]): { index: number; stop: string } | null {
  let best: { index: number; stop: string } | null = null;
  for (const stop of stops) {
    if (stop === "") continue;
    const index = text.indexOf(stop);
    if (index < 0) continue;
    if (!best || index < best.index || (index === best.index && stop.length > best.stop.length)) best = { index, stop };
  }
  return best;
}

function commonPrefixLength(a: readonly Token[], b: readonly Token[]): number {
  const limit = Math.min(a.length, b.length);
  let i = 0;
  while (i < limit && a[i] === b[i]) i += 1;
  return i;
}

/**
 * Puts `promptTokens` in the sequence, reusing the longest prefix already there (the previous sample or request: a
 * child's prompt extends its parent's), and returns what is left to evaluate. At least the last prompt token is
 * re-evaluated, since sampling needs its logits.
 */
async function rewindTo(sequence: LlamaContextSequence, promptTokens: readonly Token[]): Promise<Token[]> {
  const keep = Math.min(commonPrefixLength(sequence.contextTokens, promptTokens), promptTokens.length - 1);
  if (sequence.nextTokenIndex > keep) {
    await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
  }
  return promptTokens.slice(keep);
}

export async function sampleContinuation(
  model: LlamaModel,
  sequence: LlamaContextSequence,
  promptTokens: readonly Token[],
  params: SampleParams,
): Promise<Sample> {
  const input = await rewindTo(sequence, promptTokens);
  const generated: Token[] = [];
  let completionTokens = 0;
  const checkStops = params.stop.some((stop) => stop !== "");
  const evaluation = sequence.evaluate(input, {
    temperature: params.temperature,
    topP: params.topP,
    topK: 0, // node-llama-cpp defaults to 40; OpenAI/vLLM sample from the whole vocabulary
    minP: 0,
    seed: params.seed,
    yieldEogToken: true, // counted as a completion token, like vLLM counts EOS
  });
  for await (const token of evaluation) {
    params.signal?.throwIfAborted();
    completionTokens += 1;
    if (model.isEogToken(token)) {
      return { text: model.detokenize(generated, false, promptTokens), finishReason: "stop", completionTokens };
    }
    generated.push(token);
    if (checkStops) {
      // The whole continuation is detokenized each time: a multi-byte character or a stop string may span tokens.
      const text = model.detokenize(generated, false, promptTokens);
      const hit = findStop(text, params.stop);
      if (hit) {
        const end = params.includeStopInOutput ? hit.index + hit.stop.length : hit.index;
        return { text: text.slice(0, end), finishReason: "stop", completionTokens };
      }
    }
    if (completionTokens >= params.maxTokens) break;
  }
  const finishReason = completionTokens >= params.maxTokens ? "length" : "stop";
  return { text: model.detokenize(generated, false, promptTokens), finishReason, completionTokens };
}
