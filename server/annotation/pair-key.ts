// The unordered sibling pair as one string, "<smaller node id>|<larger node id>" (plain code-unit order, the same as
// SQL's COLLATE "C"): the key StepPreference is unique on, so a pair judged as (a, b) or (b, a) is the same pair.
import { ValidationError } from "../errors.ts";

export function pairKeyOf(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** The two node ids of a pair key, smaller first. */
export function parsePairKey(pairKey: string, where = "pairKey"): [string, string] {
  const parts = pairKey.split("|");
  const [first, second] = parts;
  if (parts.length !== 2 || !first || !second) throw new ValidationError(`'${pairKey}' is not "<node id>|<node id>"`, where);
  if (pairKeyOf(first, second) !== pairKey) throw new ValidationError(`'${pairKey}' must list the smaller node id first`, where);
  return [first, second];
}

/**
 * Which sibling is shown as A: decided by a hash of the pair key, so the side does not always favour the sibling the
 * search generated first (position bias) yet stays the same every time the pair is shown.
 */
export function displayOrder(pairKey: string): [string, string] {
  const [first, second] = parsePairKey(pairKey);
  let hash = 0x811c9dc5;
  for (let i = 0; i < pairKey.length; i += 1) hash = Math.imul(hash ^ pairKey.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % 2 === 0 ? [first, second] : [second, first];
}
