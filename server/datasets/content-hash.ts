// The hash that makes re-imports idempotent: sha256 over the normalised problem, tests included, with keys in a
// fixed order. The ordinal (the record's position in the file) is left out on purpose: moving a problem within the
// file is not a change to the problem, and must not look like one to the "used by a search tree" guard.
import { createHash } from "node:crypto";
import type { NormalizedProblem } from "./types.ts";

/** Bump when the normalisation rules change, so existing problems are re-imported with the new rules. */
const HASH_VERSION = 1;

export function problemContentHash(problem: NormalizedProblem): string {
  const canonical = [
    HASH_VERSION,
    problem.externalId,
    problem.kind,
    problem.title ?? null,
    problem.statement,
    problem.entryPoint ?? null,
    problem.signature ?? null,
    problem.referenceSolution ?? null,
    problem.testSetupCode,
    problem.split ?? null,
    problem.tests.map((test) => [test.origin, test.kind, test.input, test.expected ?? null, test.atol ?? null]),
  ];
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}
