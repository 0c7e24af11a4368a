// A reasoning mode bundles a versioned template, a step framing and a step parser.
import { renderQuestion, type SearchVisibleProblem } from "./problem.ts";
import { parsePseudocodeStep, parseVanillaStep, type ParsedStep } from "./parse-step.ts";
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

export const REASONING_MODE_NAMES = ["vanilla", "pseudocode"] as const;
export type ReasoningModeName = (typeof REASONING_MODE_NAMES)[number];

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

/** Write the code directly: one step, always terminal. */
export const vanillaMode = defineMode("vanilla", vanillaV1, SINGLE_ANSWER_FORMAT, (text) => parseVanillaStep(text));

export function getReasoningMode(name: ReasoningModeName): ReasoningMode {
  return name === "pseudocode" ? pseudocodeMode : vanillaMode;
}
