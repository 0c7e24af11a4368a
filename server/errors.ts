// Typed errors thrown by services. The tRPC error middleware (server/api/trpc.ts) and the CLI map them to
// status codes / exit codes in one place; nothing matches on message text.

export class AppError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input. `where` names the place: "file.jsonl:12 field test_list[1]", "config.search.rollouts", a parameter. */
export class ValidationError extends AppError {
  constructor(
    message: string,
    readonly where?: string,
    options?: ErrorOptions,
  ) {
    super(where ? `${where}: ${message}` : message, options);
  }
}

export class NotFoundError extends AppError {}

/** The request is valid but conflicts with current state (e.g. changing a problem that experiments used). */
export class ConflictError extends AppError {}
