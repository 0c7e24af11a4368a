// TCG-DPO data, as the paper builds it: prompt = the TCG prompt as sent (instruction + problem + code part + test
// request); chosen = the valid generated cases, written exactly as the prompt asks; rejected = the same inputs with
// their outputs shuffled so that no case keeps its own output. Records use TRL's DPO fields {prompt, chosen,
// rejected} plus provenance in `metadata`.
//
// The shuffle is a seeded derangement over *output values*, not positions: two cases with the same expected output
// (e.g. both `== True`) swapped would still be correct, so a case may only receive an output that differs from its
// own. That is possible exactly when no output is shared by more than half the cases; otherwise the surplus cases of
// the most common output are left out of the pair (chosen and rejected alike, counted in
// metadata.droppedForDerangement), and a problem left with fewer than two cases, or with a single distinct output,
// gives no record. Outputs are compared as text (whitespace outside strings ignored for asserts, the sandbox's
// stdout comparison for stdin/stdout), so `1` and `1.0` count as different outputs.
import type { Db } from "../db/index.ts";
import { normaliseStdout } from "../sandbox/index.ts";
import { createRandom, deriveSeed, type Random } from "../lib/index.ts";
import { renderAssert, splitAssert, squeezeCode } from "./assert-case.ts";
import { renderAssertCase, renderStdioCase } from "./tcg-prompt.ts";

export interface TcgDpoCase {
  kind: "ASSERT" | "STDIO" | "CALL";
  input: string;
  expected: string | null;
}

export interface TcgDpoSource {
  runId: string;
  problemId: string;
  externalId?: string;
  dataset?: string;
  /** TcgProblem.prompt. */
  prompt: string;
  /** The run's VALID generated cases of this problem, in ordinal order. */
  validCases: readonly TcgDpoCase[];
}

export interface TcgDpoRecord {
  prompt: string;
  chosen: string;
  rejected: string;
  metadata: {
    source: "tcg";
    runId: string;
    problemId: string;
    externalId: string | null;
    dataset: string | null;
    /** Cases in the pair. */
    cases: number;
    /** Valid cases left out because their output was shared by more than half of the cases. */
    droppedForDerangement: number;
    seed: number;
    /** rejected case i carries the output of chosen case permutation[i]. */
    permutation: number[];
  };
}

export type TcgDpoResult = { record: TcgDpoRecord; skipped: null } | { record: null; skipped: string };

interface SplitCase {
  input: string;
  output: string;
  outputKey: string;
  render: (input: string, output: string) => string;
}

export function buildTcgDpoRecord(source: TcgDpoSource, seed: number): TcgDpoResult {
  const cases = source.validCases.map(splitCase).filter((c): c is SplitCase => c !== null);
  const random = createRandom(seed);
  const plan = planDerangement(cases.map((c) => c.outputKey), random);
  if (plan === null) return { record: null, skipped: cases.length < 2 ? "fewer than two valid cases" : "every valid case has the same output: nothing to shuffle" };
  const kept = plan.kept.map((i) => cases[i]!);
  const chosen = kept.map((c) => c.render(c.input, c.output)).join("\n");
  const rejected = kept.map((c, i) => c.render(c.input, kept[plan.permutation[i]!]!.output)).join("\n");
  return {
    skipped: null,
    record: {
      prompt: source.prompt,
      chosen,
      rejected,
      metadata: {
        source: "tcg",
        runId: source.runId,
        problemId: source.problemId,
        externalId: source.externalId ?? null,
        dataset: source.dataset ?? null,
        cases: kept.length,
        droppedForDerangement: cases.length - kept.length,
        seed,
        permutation: plan.permutation,
      },
    },
  };
}

function splitCase(test: TcgDpoCase): SplitCase | null {
  if (test.kind === "STDIO") {
    const output = test.expected ?? "";
    return { input: test.input, output, outputKey: normaliseStdout(output).join("\n"), render: renderStdioCase };
  }
  if (test.kind !== "ASSERT") return null;
  const split = splitAssert(test.input, null);
  if (!split.ok) return null;
  return {
    input: split.parts.call,
    output: split.parts.expected,
    outputKey: squeezeCode(split.parts.expected),
    render: (call, expected) => renderAssertCase(renderAssert({ call, expected })),
  };
}

/**
 * Which cases to keep (indices into `keys`, in their original order) and a permutation of the kept positions with
 * keys[kept[permutation[i]]] ≠ keys[kept[i]] for every i; null when fewer than two cases remain.
 * Method: drop the surplus of the largest group, lay the groups out contiguously (seeded order), and map each
 * position to the one `m` further on (m = size of the largest group): a contiguous group of size ≤ m ≤ n/2 never
 * maps into itself.
 */
export function planDerangement(keys: readonly string[], random: Random): { kept: number[]; permutation: number[] } | null {
  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => groups.set(key, [...(groups.get(key) ?? []), i]));
  const ordered = shuffle([...groups.values()].map((g) => shuffle(g, random)), random);
  const largest = ordered.reduce((a, b) => (b.length > a.length ? b : a), [] as number[]);
  const surplus = Math.max(0, 2 * largest.length - keys.length);
  largest.splice(largest.length - surplus, surplus);
  const layout = ordered.flat();
  const n = layout.length;
  if (n < 2) return null;
  const m = largest.length;
  const target = new Map<number, number>(layout.map((index, pos) => [index, layout[(pos + m) % n]!]));
  const kept = [...layout].sort((a, b) => a - b);
  const positionOf = new Map(kept.map((index, pos) => [index, pos]));
  return { kept, permutation: kept.map((index) => positionOf.get(target.get(index)!)!) };
}

function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export interface StreamTcgDpoOptions {
  /** Problems read per query. */
  pageSize?: number;
  /** Base seed; each problem's shuffle uses deriveSeed(seed, its ordinal). */
  seed?: number;
  /** Told about each problem that gives no record, and why. */
  onSkip?: (problemId: string, reason: string) => void;
}

/** The run's TCG-DPO records, one per problem with at least two derangeable valid cases, reading the DB in pages. */
export async function* streamTcgDpoRecords(prisma: Db, runId: string, options: StreamTcgDpoOptions = {}): AsyncGenerator<TcgDpoRecord> {
  const pageSize = options.pageSize ?? 100;
  const run = await prisma.tcgRun.findUnique({ where: { id: runId }, select: { dataset: { select: { name: true } } } });
  if (!run) return;
  let cursor: string | undefined;
  for (;;) {
    const page = await prisma.tcgProblem.findMany({
      where: { runId },
      orderBy: { id: "asc" },
      take: pageSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: {
        id: true,
        prompt: true,
        problemId: true,
        problem: {
          select: {
            externalId: true,
            ordinal: true,
            testCases: { where: { tcgRunId: runId, validation: "VALID" }, orderBy: { ordinal: "asc" }, select: { kind: true, input: true, expected: true } },
          },
        },
      },
    });
    for (const row of page) {
      const seed = deriveSeed(options.seed ?? 0, row.problem.ordinal);
      const built = buildTcgDpoRecord(
        { runId, problemId: row.problemId, externalId: row.problem.externalId, dataset: run.dataset.name, prompt: row.prompt, validCases: row.problem.testCases },
        seed,
      );
      if (built.record) yield built.record;
      else options.onSkip?.(row.problemId, built.skipped);
    }
    if (page.length < pageSize) return;
    cursor = page[page.length - 1]!.id;
  }
}
