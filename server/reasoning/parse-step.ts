// Reading a generated step: which action it takes, the Python code it carries, whether the path ends with it.
import type { ActionKind } from "./action-kind.ts";

export interface ParsedStep {
  actionKind: ActionKind;
  text: string;
  code: string | null;
  isTerminal: boolean;
}

const PYTHON_FENCE = /```[ \t]*(?:python3?|py)\b[^\n]*\n/gi;
const ANY_FENCE = /```[^\n]*\n/g;

function lastFenceEnd(text: string, fence: RegExp): number | null {
  let end: number | null = null;
  for (const match of text.matchAll(fence)) end = match.index + match[0].length;
  return end;
}

function codeFrom(text: string, start: number): string | null {
  const close = text.indexOf("```", start);
  // An unclosed block (the step hit max_tokens) still yields the code written so far; it will likely fail the tests.
  const code = text.slice(start, close < 0 ? text.length : close).trimEnd();
  return code.trim() === "" ? null : code;
}

/** The last ```python block (also ```py / ```python3), trailing whitespace removed; null if none or empty. */
export function extractPythonCode(text: string): string | null {
  const start = lastFenceEnd(text, PYTHON_FENCE);
  return start === null ? null : codeFrom(text, start);
}

/** Vanilla answers sometimes use an untagged fence; accept the last fenced block of any kind as a fallback. */
export function extractAnyFencedCode(text: string): string | null {
  const python = extractPythonCode(text);
  if (python !== null) return python;
  const start = lastFenceEnd(text, ANY_FENCE);
  return start === null ? null : codeFrom(text, start);
}

/**
 * The reference's terminal test: the step opens a python code block. Any fence extractPythonCode reads counts
 * (```python, ```py, ```python3), so a step whose code would be evaluated always ends its path.
 */
export function hasPythonBlock(text: string): boolean {
  return lastFenceEnd(text, PYTHON_FENCE) !== null;
}

const ACTION_LABEL = /Action\s*([123])\b/i;
const ACTION_BY_NUMBER: Record<string, ActionKind> = { "1": "structure", "2": "refine", "3": "code" };

/**
 * A step with a python block is a code step (Action 3), whatever it calls itself: its code is what gets evaluated.
 * Otherwise the first "Action k" label decides (the step's title comes first; later mentions are explanation).
 * Unlabelled steps: the first one defines the structure, later ones refine it.
 */
export function detectActionKind(text: string, stepNumber: number): ActionKind {
  if (hasPythonBlock(text)) return "code";
  const label = ACTION_LABEL.exec(text)?.[1];
  const labelled = label === undefined ? undefined : ACTION_BY_NUMBER[label];
  return labelled ?? (stepNumber <= 1 ? "structure" : "refine");
}

export function parsePseudocodeStep(text: string, stepNumber: number): ParsedStep {
  return {
    actionKind: detectActionKind(text, stepNumber),
    text,
    code: extractPythonCode(text),
    isTerminal: hasPythonBlock(text),
  };
}

/** Vanilla (CoT) steps: natural-language reasoning until a step opens a python block, which ends the path. */
export function parseCotStep(text: string): ParsedStep {
  const terminal = hasPythonBlock(text);
  return { actionKind: terminal ? "code" : "reason", text, code: extractPythonCode(text), isTerminal: terminal };
}

/** A one-shot reply (sampling mode) is one step: the answer. It ends the path whether or not it holds code. */
export function parseVanillaStep(text: string): ParsedStep {
  return { actionKind: "vanilla", text, code: extractAnyFencedCode(text), isTerminal: true };
}
