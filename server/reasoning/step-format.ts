// How steps are framed in the assistant text. We follow the O1-CODER reference code exactly: each step is
//   <Step_Begin>\n### Step k:<text><Step_End>\n\n
// and a request for step k ends with the opener "<Step_Begin>\n### Step k:" and stops at "<Step_End>". Keeping the
// reference framing means data we export trains models that also run in the reference code, and the explicit end tag
// is a stop string no model writes by accident (a bare "### Step" could occur inside an explanation).
// Unlike the reference, step text is kept raw (no strip()), so the prompt of a child extends the request that
// produced it byte for byte; and a request never ends in whitespace, which some chat templates would trim.
import { appendAssistant, type Prompt } from "./prompt.ts";

export const STEP_BEGIN = "<Step_Begin>";
export const STEP_END = "<Step_End>";

export interface StepFormat {
  /** Written before the model's text for step k (1-based). */
  open(stepNumber: number): string;
  /** Written after the model's text once the step is accepted. */
  close: string;
  /** Stop strings for the request. */
  stop: readonly string[];
  /**
   * Markers at which a reply's step ends, beyond the stop strings: a reply that opens another step (`<Step_Begin>`)
   * before closing its own holds several steps; the node keeps the first and the rest is dropped, as after a stop.
   */
  boundaries: readonly string[];
}

export const DELIMITED_STEP_FORMAT: StepFormat = {
  open: (stepNumber) => `${STEP_BEGIN}\n### Step ${stepNumber}:`,
  close: `${STEP_END}\n\n`,
  stop: [STEP_END],
  boundaries: [STEP_END, STEP_BEGIN],
};

/** Vanilla mode: the whole answer is one step, written as a plain assistant reply. */
export const SINGLE_ANSWER_FORMAT: StepFormat = { open: () => "", close: "", stop: [], boundaries: [] };

export interface Step {
  /** 1-based position on the path (= depth of the node holding it). */
  stepNumber: number;
  text: string;
}

/** The prompt that asks for step k: the path's prompt plus the step opener. */
export function openStep(prompt: Prompt, stepNumber: number, format: StepFormat = DELIMITED_STEP_FORMAT): Prompt {
  return appendAssistant(prompt, format.open(stepNumber));
}

/** The prompt of the path extended by `step`: exactly the parent's prompt + opener + the step's text + closer. */
export function extendPrompt(parentPrompt: Prompt, step: Step, format: StepFormat = DELIMITED_STEP_FORMAT): Prompt {
  return appendAssistant(parentPrompt, `${format.open(step.stepNumber)}${step.text}${format.close}`);
}

/**
 * Cuts generated text at the first of the markers (stop strings, step boundaries). Servers already stop there, but one that ignores `stop` (or echoes
 * it) must not leave a delimiter inside a step, where it would break the framing of every later prompt.
 */
export function cutAtStop(text: string, stop: readonly string[]): string {
  let end = text.length;
  for (const marker of stop) {
    const at = text.indexOf(marker);
    if (at >= 0 && at < end) end = at;
  }
  return text.slice(0, end);
}
