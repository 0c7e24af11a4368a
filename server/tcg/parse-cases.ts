// Reads test cases out of a TCG completion without ever throwing: every candidate is either a parsed case or a
// dropped one with the reason. A candidate is an `assert` statement (function problems; anywhere in the text, fenced
// or not, continued over lines while a bracket or string is open) or a fenced block holding `# input:` (stdin/stdout
// problems; or any ```case block). A completion with no candidate at all counts as one dropped case, so a model that
// ignores the format shows up in the counts instead of vanishing.
import { bracketDepth, hasOpenString, renderAssert, splitAssert } from "./assert-case.ts";
import type { TcgFormat } from "./tcg-prompt.ts";

export type GeneratedCase =
  | { format: "assert"; call: string; expected: string; /** `assert <call> == <expected>`, as stored. */ text: string }
  | { format: "stdio"; input: string; output: string; /** The block as written. */ text: string };

export interface DroppedCase {
  text: string;
  reason: string;
  kind: "malformed" | "duplicate";
}

export interface ParseResult {
  /** Candidates found: parsed + malformed. */
  generated: number;
  cases: GeneratedCase[];
  /** Malformed candidates, each with its reason (duplicates are added later by dedupe). */
  dropped: DroppedCase[];
}

export interface ParseOptions {
  format: TcgFormat;
  entryPoint: string | null;
  /** "length" means the completion hit max_tokens: its last candidate may be cut short. */
  finishReason?: string | null;
}

/** Beyond this a case is more likely runaway output than a test. */
export const MAX_CASE_CHARS = 10_000;

const FENCE = /^\s*```\s*([\w+-]*)\s*$/;
const INPUT_MARKER = /^\s*#\s*input\s*:?\s*(.*)$/i;
const OUTPUT_MARKER = /^\s*#\s*output\s*:?\s*(.*)$/i;

type Candidate = { ok: true; case: GeneratedCase; raw: string; endLine: number } | { ok: false; raw: string; reason: string; endLine: number };

export function parseCases(completion: string, options: ParseOptions): ParseResult {
  const lines = completion.replace(/\r\n?/g, "\n").split("\n");
  const candidates = options.format === "assert" ? assertCandidates(lines, options.entryPoint) : stdioCandidates(lines, options.finishReason ?? null);
  markCutOff(candidates, lines, options.finishReason ?? null);
  const result: ParseResult = { generated: candidates.length, cases: [], dropped: [] };
  for (const candidate of candidates) {
    if (!candidate.ok) result.dropped.push({ text: candidate.raw, reason: candidate.reason, kind: "malformed" });
    else if (candidate.raw.length > MAX_CASE_CHARS) result.dropped.push({ text: excerpt(candidate.raw), reason: `longer than ${MAX_CASE_CHARS} characters`, kind: "malformed" });
    else result.cases.push(candidate.case);
  }
  if (candidates.length === 0 && completion.trim() !== "") {
    result.generated = 1;
    result.dropped.push({ text: excerpt(completion.trim()), reason: noCaseReason(options.format), kind: "malformed" });
  }
  return result;
}

function noCaseReason(format: TcgFormat): string {
  return format === "assert" ? "no `assert` statement in the completion" : "no ```case block with `# input:` in the completion";
}

/** With finish reason "length", a candidate that ends at the end of the text may be incomplete: drop it. */
function markCutOff(candidates: Candidate[], lines: string[], finishReason: string | null): void {
  if (finishReason !== "length" || candidates.length === 0) return;
  const lastContent = lines.findLastIndex((line) => line.trim() !== "");
  // A closing fence after the case means the case itself was finished.
  if (FENCE.test(lines[lastContent] ?? "") && candidates[candidates.length - 1]!.endLine < lastContent) return;
  const last = candidates[candidates.length - 1]!;
  if (last.ok && last.endLine >= lastContent) {
    candidates[candidates.length - 1] = { ok: false, raw: last.raw, reason: "cut off: the completion reached max_tokens inside this case", endLine: last.endLine };
  }
}

function assertCandidates(lines: string[], entryPoint: string | null): Candidate[] {
  const found: Candidate[] = [];
  let block: { info: string; body: string[]; asserts: number; start: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      if (block === null) block = { info: fence[1]!.toLowerCase(), body: [], asserts: 0, start: i };
      else {
        const emptyCase = blockWithoutAssert(block, i);
        if (emptyCase) found.push(emptyCase);
        block = null;
      }
      continue;
    }
    if (/^\s*assert(?=[\s(])/.test(line)) {
      const end = assertEnd(lines, i);
      const raw = lines.slice(i, end.line + 1).map((l) => l.trim()).join("\n");
      if (block) block.asserts++;
      if (!end.closed) found.push({ ok: false, raw, reason: "an open bracket or string never closes (the case looks cut off)", endLine: end.line });
      else {
        const split = splitAssert(raw, entryPoint);
        found.push(split.ok ? { ok: true, case: { format: "assert", ...split.parts, text: renderAssert(split.parts) }, raw, endLine: end.line } : { ok: false, raw, reason: split.reason, endLine: end.line });
      }
      i = end.line;
      continue;
    }
    block?.body.push(line);
  }
  if (block) {
    const emptyCase = blockWithoutAssert(block, lines.length - 1);
    if (emptyCase) found.push(emptyCase);
  }
  return found;
}

/** A ```case block is a candidate even without an assert in it; other blocks (e.g. the code again) are not. */
function blockWithoutAssert(block: { info: string; body: string[]; asserts: number }, endLine: number): Candidate | null {
  if (block.info !== "case" || block.asserts > 0) return null;
  const content = block.body.filter((line) => line.trim() !== "" && !line.trim().startsWith("#"));
  if (content.length === 0) return { ok: false, raw: block.body.join("\n").trim(), reason: "an empty ```case block", endLine };
  return { ok: false, raw: block.body.join("\n").trim(), reason: "a ```case block without an `assert` line", endLine };
}

/** The last line of the assert starting at `start`: it continues while a bracket or string is open, up to a fence. */
function assertEnd(lines: string[], start: number): { line: number; closed: boolean } {
  let text = lines[start]!;
  let line = start;
  while (bracketDepth(text) > 0 || hasOpenString(text)) {
    const next = lines[line + 1];
    if (next === undefined || FENCE.test(next)) return { line, closed: false };
    line++;
    text += `\n${next}`;
  }
  return { line, closed: bracketDepth(text) === 0 };
}

function stdioCandidates(lines: string[], finishReason: string | null): Candidate[] {
  const found: Candidate[] = [];
  let i = 0;
  while (i < lines.length) {
    const fence = FENCE.exec(lines[i]!);
    if (!fence) {
      i++;
      continue;
    }
    const info = fence[1]!.toLowerCase();
    let end = i + 1;
    while (end < lines.length && !FENCE.test(lines[end]!)) end++;
    const body = lines.slice(i + 1, end);
    const closed = end < lines.length;
    if (info === "case" || body.some((line) => INPUT_MARKER.test(line))) {
      const raw = body.join("\n");
      if (!closed && finishReason === "length") found.push({ ok: false, raw, reason: "cut off: the completion reached max_tokens inside this case", endLine: end });
      else found.push(stdioCase(body, raw, end - 1));
    }
    i = end + 1;
  }
  return found;
}

function stdioCase(body: string[], raw: string, endLine: number): Candidate {
  const inputAt = body.findIndex((line) => INPUT_MARKER.test(line));
  const outputAt = body.findIndex((line) => OUTPUT_MARKER.test(line));
  if (inputAt < 0 && outputAt < 0) return { ok: false, raw, reason: "neither `# input:` nor `# output:` in the ```case block", endLine };
  if (inputAt < 0) return { ok: false, raw, reason: "no `# input:` line", endLine };
  if (outputAt < 0) return { ok: false, raw, reason: "no `# output:` line", endLine };
  if (outputAt < inputAt) return { ok: false, raw, reason: "`# output:` comes before `# input:`", endLine };
  const input = section(INPUT_MARKER.exec(body[inputAt]!)![1]!, body.slice(inputAt + 1, outputAt));
  const output = section(OUTPUT_MARKER.exec(body[outputAt]!)![1]!, body.slice(outputAt + 1));
  if (output.trim() === "" && input.trim() === "") return { ok: false, raw, reason: "both the input and the output are empty", endLine };
  return { ok: true, case: { format: "stdio", input, output, text: raw }, raw, endLine };
}

/** Text after the marker on its line (`# input: 3 4`) plus the lines below it; stored with one trailing newline. */
function section(inline: string, below: string[]): string {
  const rows = inline.trim() === "" ? below : [inline.trim(), ...below];
  while (rows.length > 0 && rows[0]!.trim() === "") rows.shift();
  while (rows.length > 0 && rows[rows.length - 1]!.trim() === "") rows.pop();
  return rows.length === 0 ? "" : `${rows.join("\n")}\n`;
}

function excerpt(text: string): string {
  return text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text;
}
