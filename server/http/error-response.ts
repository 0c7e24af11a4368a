// A route handler's answer to a domain error: the status from the one mapping in server/errors.ts, the message and,
// for bad input, the place. Anything that is not a domain error is rethrown (Next answers 500 and logs it).
import { AppError, HTTP_STATUS, ValidationError, errorCode } from "../errors.ts";

export function errorResponse(error: unknown): Response {
  if (!(error instanceof AppError)) throw error;
  const where = error instanceof ValidationError ? { where: error.where ?? null } : {};
  return Response.json({ error: error.message, ...where }, { status: HTTP_STATUS[errorCode(error)] });
}
