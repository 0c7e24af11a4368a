// A reasoning mode bundles a versioned template, a step framing and a step parser.
import { renderQuestion, type SearchVisibleProblem } from "./problem.ts";
import { parseCotStep, parsePseudocodeStep, parseVanillaStep, type ParsedStep } from "./parse-step.ts";
import type { Prompt } from "./prompt.ts";
import {
  DELIMITED_STEP_FORMAT,
  SINGLE_ANSWER_FORMAT,
  extendPrompt,
  openStep,
  type Step,
  type StepFormat,
} from "./step-format.ts";
import { fillTemplate } from "./templates/fill-template.ts";
import type { PromptTemplate } from "./templates/prompt-template.ts";
import { pseudocodeV1 } from "./templates/pseudocode.v1.ts";
import { vanillaV1 } from "./templates/vanilla.v1.ts";
import { vanillaV2 } from "./templates/vanilla.v2.ts";
import type { ReasoningModeName } from "../contracts/index.ts";

export type { ReasoningModeName };

export interface ReasoningMode {
  name: ReasoningModeName;
  template: PromptTemplate;
  stepFormat: StepFormat;
  /** The prompt of the root: the problem, no steps yet. */
  buildRootPrompt(problem: SearchVisibleProblem): Prompt;
  /** The request prompt for step k below the path whose prompt is `prompt`. */
  openStep(prompt: Prompt, stepNumber: number): Prompt;
  /** The path's prompt extended by one accepted step. */
  extendPrompt(prompt: Prompt, step: Step): Prompt;
  parseStep(text: string, stepNumber: number): ParsedStep;
}

function rootPrompt(template: PromptTemplate, problem: SearchVisibleProblem): Prompt {
  return {
    templateId: template.id,
    system: template.system,
    user: fillTemplate(template.user, { question: renderQuestion(problem) }),
    assistant: "",
  };
}

function defineMode(
  name: ReasoningModeName,
  template: PromptTemplate,
  stepFormat: StepFormat,
  parseStep: (text: string, stepNumber: number) => ParsedStep,
): ReasoningMode {
  return {
    name,
    template,
    stepFormat,
    buildRootPrompt: (problem) => rootPrompt(template, problem),
    openStep: (prompt, stepNumber) => openStep(prompt, stepNumber, stepFormat),
    extendPrompt: (prompt, step) => extendPrompt(prompt, step, stepFormat),
    parseStep,
  };
}

/** Figure 4: Action 1 structure in pseudocode, Action 2 refine it, Action 3 python code (terminal). */
export const pseudocodeMode = defineMode("pseudocode", pseudocodeV1, DELIMITED_STEP_FORMAT, parsePseudocodeStep);

/** The paper's CoT baseline: natural-language steps under the same search and framing, ending in a python block. */
export const vanillaMode = defineMode("vanilla", vanillaV2, DELIMITED_STEP_FORMAT, (text) => parseCotStep(text));

/** The sampling baseline: the code written directly in one reply, always terminal; n independent replies, no tree. */
export const samplingMode = defineMode("sampling", vanillaV1, SINGLE_ANSWER_FORMAT, (text) => parseVanillaStep(text));

const MODES: Record<ReasoningModeName, ReasoningMode> = { vanilla: vanillaMode, pseudocode: pseudocodeMode, sampling: samplingMode };

export function getReasoningMode(name: ReasoningModeName): ReasoningMode {
  return MODES[name];
}
