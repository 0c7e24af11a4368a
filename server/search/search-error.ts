import { AppError } from "../errors.ts";

/** The search cannot go on: a policy that proposes nothing, a persisted tree that does not hold together. */
export class SearchError extends AppError {}
