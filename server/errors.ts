// Typed errors thrown by services. The tRPC error middleware (server/api/trpc.ts) and the CLI map them to
// status codes / exit codes in one place; nothing matches on message text.

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
