// Typed errors thrown by services, and the one mapping from them to error codes: the tRPC middleware
// (server/api/trpc.ts) and every route handler (server/http/error-response.ts) use errorCode / HTTP_STATUS; the CLI
// maps them to exit codes. Nothing matches on message text.

export class AppError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A config field's structured path, as zod reports it: ["llm", "baseUrls", 1]. */
export type FieldPath = ReadonlyArray<string | number>;

/**
 * Bad input. `where` names the place: "file.jsonl:12 field test_list[1]", "config.search.rollouts", a parameter.
 * `path` (when the place is a config field) is that field's structured path, so a form can show the message under it.
 */
export class ValidationError extends AppError {
  /** The message without the place. */
  readonly reason: string;
  readonly path?: FieldPath;

  constructor(
    message: string,
    readonly where?: string,
    options?: ErrorOptions & { path?: FieldPath },
  ) {
    super(where ? `${where}: ${message}` : message, options);
    this.reason = message;
    this.path = options?.path;
  }
}

export class NotFoundError extends AppError {}

/** The request is valid but conflicts with current state (e.g. changing a problem that experiments used). */
export class ConflictError extends AppError {}

/** A server we depend on (an LLM endpoint, a Ray cluster) failed or answered wrongly: the caller sees a 502, not a 500. */
export class UpstreamError extends AppError {}

/** The error codes (tRPC's names) a domain error maps to. */
export type ErrorCode = "BAD_REQUEST" | "NOT_FOUND" | "CONFLICT" | "BAD_GATEWAY" | "INTERNAL_SERVER_ERROR";

export const HTTP_STATUS: Record<ErrorCode, number> = { BAD_REQUEST: 400, NOT_FOUND: 404, CONFLICT: 409, BAD_GATEWAY: 502, INTERNAL_SERVER_ERROR: 500 };

export function errorCode(error: AppError): ErrorCode {
  if (error instanceof ValidationError) return "BAD_REQUEST";
  if (error instanceof NotFoundError) return "NOT_FOUND";
  if (error instanceof ConflictError) return "CONFLICT";
  if (error instanceof UpstreamError) return "BAD_GATEWAY";
  return "INTERNAL_SERVER_ERROR";
}
