// Validates a form's value with the same zod schema the server uses, and keys the messages by field path
// ("search.rollouts", "llm.baseUrls.1"), the first message per field, for FormField's `error`.
import type { z } from "zod";

export type FieldErrors = Record<string, string>;

export function fieldErrors(schema: z.ZodType, value: unknown): FieldErrors {
  const result = schema.safeParse(value);
  if (result.success) return {};
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) errors[issue.path.join(".")] ??= issue.message;
  return errors;
}
