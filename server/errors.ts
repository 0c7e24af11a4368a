// Typed errors thrown by services, and the one mapping from them to error codes: the tRPC middleware
// (server/api/trpc.ts) and every route handler (server/http/error-response.ts) use errorCode / HTTP_STATUS; the CLI
// maps them to exit codes. Nothing matches on message text.

// `o1c serve` loads this file through tsx, and Next's bundle has its own copy: a runner or reward service the serve
// command made throws the one copy's classes into route code that tests with the other's. Class identity alone then
// says a ValidationError is not one (a 500 instead of its 400). The kinds below, under a Symbol.for key (the same
// symbol in every copy), let `instanceof` recognise the base kinds across copies. Names are not used: the bundle
// minifies them.
const KINDS = Symbol.for("o1c.AppError.kinds");

export class AppError extends Error {
  static readonly kind: string = "AppError";

  /** instanceof across copies of this module, for the classes that declare their own `kind` (those of this file). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const kinds = (value as { [KINDS]?: unknown } | null)?.[KINDS];
    return Object.hasOwn(this, "kind") && Array.isArray(kinds) && kinds.includes(this.kind);
  }

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    Object.defineProperty(this, KINDS, { value: kindsOf(new.target) });
  }
}

/** The declared kinds of a class and its ancestors up to AppError. */
function kindsOf(target: object): string[] {
  const kinds: string[] = [];
  for (let c: object | null = target; c && c !== Error; c = Object.getPrototypeOf(c) as object | null) {
    if (Object.hasOwn(c, "kind")) kinds.push((c as typeof AppError).kind);
  }
  return kinds;
}

/** A config field's structured path, as zod reports it: ["llm", "baseUrls", 1]. */
export type FieldPath = ReadonlyArray<string | number>;

/**
 * Bad input. `where` names the place: "file.jsonl:12 field test_list[1]", "config.search.rollouts", a parameter.
 * `path` (when the place is a config field) is that field's structured path, so a form can show the message under it.
 */
export class ValidationError extends AppError {
  static override readonly kind: string = "ValidationError";
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

export class NotFoundError extends AppError {
  static override readonly kind: string = "NotFoundError";
}

/** The request is valid but conflicts with current state (e.g. changing a problem that experiments used). */
export class ConflictError extends AppError {
  static override readonly kind: string = "ConflictError";
}

/** A server we depend on (an LLM endpoint, a Ray cluster) failed or answered wrongly: the caller sees a 502, not a 500. */
export class UpstreamError extends AppError {
  static override readonly kind: string = "UpstreamError";
}

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
