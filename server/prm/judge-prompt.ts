// The judge's prompt, after the seed's reference PRM format: the step is followed by a ` Rating` tag and the model's
// next token is read as "+" (good step) or "-" (bad step). The earlier steps are shown as context, unrated.
import type { StepPrompt } from "../llm/index.ts";

export const JUDGE_INSTRUCTIONS =
  "You review one step of a solution to a programming problem. After the step comes the word Rating; continue it with " +
  "+ if the step is correct and moves towards a solution that passes the tests, or - if it is wrong or useless.";
/** Marks where the rated step starts; the scripted test server finds the step by it too. */
export const JUDGE_STEP_HEADER = "Step to rate:";
export const RATING_TAG = " Rating";

function context(problem: string, steps: readonly string[]): string {
  const previous = steps.slice(0, -1).map((s, i) => `Step ${i + 1}:\n${s.trim()}`);
  return [`Problem:\n${problem.trim()}`, previous.length > 0 ? `Previous steps:\n${previous.join("\n\n")}` : null].filter(Boolean).join("\n\n");
}

/**
 * chat: the instructions as the system message, problem and earlier steps as the user's, and an assistant message
 * holding the step and the tag, which the server continues (one token). completions: the same text as one prompt.
 */
export function buildJudgePrompt(problem: string, steps: readonly string[], api: "chat" | "completions"): StepPrompt {
  const last = steps[steps.length - 1]?.trim() ?? "";
  const rated = `${JUDGE_STEP_HEADER}\n${last}${RATING_TAG}`;
  if (api === "completions") return { kind: "text", text: `${JUDGE_INSTRUCTIONS}\n\n${context(problem, steps)}\n\n${rated}` };
  return {
    kind: "chat",
    messages: [
      { role: "system", content: JUDGE_INSTRUCTIONS },
      { role: "user", content: context(problem, steps) },
      { role: "assistant", content: rated },
    ],
  };
}

function logSumExp(values: readonly number[]): number {
  const max = Math.max(...values);
  return max + Math.log(values.reduce((sum, v) => sum + Math.exp(v - max), 0));
}

/**
 * P(+) = e^lp(+) / (e^lp(+) + e^lp(−)) from the alternatives at the first generated position. Tokenizers spell the
 * signs with or without a leading space (" +", "+"); all spellings of a sign are summed. A sign missing from the top
 * alternatives has probability ~0; with both missing there is no rating.
 */
export function plusProbability(alternatives: ReadonlyArray<{ token: string; logprob: number }>): number {
  const plus = alternatives.filter((a) => a.token.trim() === "+").map((a) => a.logprob);
  const minus = alternatives.filter((a) => a.token.trim() === "-" || a.token.trim() === "−").map((a) => a.logprob);
  if (plus.length === 0 && minus.length === 0) {
    throw new Error(`neither "+" nor "-" is among the judge's top tokens (${alternatives.map((a) => JSON.stringify(a.token)).join(", ") || "none"})`);
  }
  if (minus.length === 0) return 1;
  if (plus.length === 0) return 0;
  const lpPlus = logSumExp(plus);
  const lpMinus = logSumExp(minus);
  return 1 / (1 + Math.exp(lpMinus - lpPlus));
}
