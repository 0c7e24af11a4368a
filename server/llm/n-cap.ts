// Servers that serve fewer than `n` choices per request: llama-server's limit is its slot count (-np). Some builds
// return fewer choices than asked, newer ones refuse with a 400 naming the bound. Either way the client asks again
// for the rest, so a search gets the n siblings it asked for from any server.
import type { StepChoice } from "./llm-client.ts";

// llama-server: "Field 'n': Value must be between 1 <= value <= 4, but got 8" (the field is named by its alias).
const N_BOUND = /Field '(?:n|n_cmpl)': Value must be between \d+ <= value <= (\d+)/;

/** The most choices per request the server says it serves, read from its refusal; null for any other error. */
export function nLimitFromRefusal(serverMessage: string | null): number | null {
  const match = serverMessage ? N_BOUND.exec(serverMessage) : null;
  const limit = match ? Number(match[1]) : NaN;
  return Number.isInteger(limit) && limit >= 1 ? limit : null;
}

/**
 * The seed of a follow-up request for choices `offset..`: the request's seed moved by the choices already received,
 * as llama-server itself seeds choice k of one request with seed + k, so a split request neither repeats its first
 * part's samples nor depends on where the split fell on a server that seeds that way.
 */
export function followUpSeed(seed: number | undefined, offset: number): number | undefined {
  return seed === undefined ? undefined : (seed + offset) % 2 ** 32;
}

/** Choices from several requests as one list, numbered 0..n-1 in order (servers may number each part from 0). */
export function numberChoices(parts: ReadonlyArray<readonly StepChoice[]>): StepChoice[] {
  return parts.flat().map((choice, index) => ({ ...choice, index }));
}
