// Validates a form's value with the same zod schema the server uses. Each issue keeps zod's structured path; the
// by-field map keys the first message per field by that path joined with "." for FormField's `error`.
import type { z } from "zod";

export type FieldErrors = Record<string, string>;
export interface FieldIssue {
  path: readonly PropertyKey[];
  message: string;
}

export function fieldIssues(schema: z.ZodType, value: unknown): FieldIssue[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
}

export function fieldErrors(schema: z.ZodType, value: unknown): FieldErrors {
  return byField(fieldIssues(schema, value));
}

export function byField(issues: readonly FieldIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) errors[issue.path.join(".")] ??= issue.message;
  return errors;
}

/** The zod issues a tRPC error carries (server/api/trpc.ts), their first `skip` path parts (e.g. ["configs", 0]) dropped. */
export function serverIssues(data: unknown, skip = 0): FieldIssue[] {
  const { zodIssues, field } = (data ?? {}) as { zodIssues?: FieldIssue[] | null; field?: FieldIssue | null };
  // zod issues come from the router's input parse; `field` from a service's ValidationError on one config field.
  if (zodIssues?.length) return zodIssues.map((issue) => ({ path: issue.path.slice(skip), message: issue.message }));
  return field ? [field] : [];
}
