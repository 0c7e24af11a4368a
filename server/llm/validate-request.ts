// Checks shared by every LlmClient backend, so a bad request fails the same way whichever backend serves it.
import { ValidationError } from "../errors.ts";
import type { StepRequest } from "./llm-client.ts";

export function requireInteger(value: number | undefined, min: number, where: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min)) {
    throw new ValidationError(`must be an integer ≥ ${min}, got ${value}`, where);
  }
}

export function validateStepRequest(request: StepRequest): void {
  requireInteger(request.n, 1, "llm request n");
  requireInteger(request.maxTokens, 1, "llm request maxTokens");
  requireInteger(request.logprobs, 0, "llm request logprobs");
  requireInteger(request.seed, 0, "llm request seed");
  if (request.temperature !== undefined && !(request.temperature >= 0)) {
    throw new ValidationError(`must be ≥ 0, got ${request.temperature}`, "llm request temperature");
  }
  if (request.topP !== undefined && !(request.topP > 0 && request.topP <= 1)) {
    throw new ValidationError(`must be in (0, 1], got ${request.topP}`, "llm request topP");
  }
  if (request.prompt.kind === "chat" && request.prompt.messages.length === 0) {
    throw new ValidationError("needs at least one message", "llm request prompt");
  }
}
