// Agreement between a run's valid generated cases and the hidden tests, on programs the search actually wrote.
// Candidates: the distinct terminal codes stored in search trees (any experiment) of the run's problems, most recent
// first, at most `perProblem` per problem, for problems that have both valid generated cases from this run and
// judgeable hidden tests. Each candidate is run twice in the sandbox: on the hidden tests and on the valid
// generated cases; "passes" means passes every one. See TCG_DEFINITIONS.agreement.
import type { Db } from "../db/index.ts";
import { isJudgeable, judgeWithHiddenTests, type StoredTest } from "../judging/index.ts";
import type { Sandbox } from "../sandbox/index.ts";

export interface AgreementReport {
  /** Share of candidates whose generated-test verdict equals their hidden-test verdict; null when there are none. */
  agreement: number | null;
  /** Why agreement is null. */
  reason: string | null;
  problems: number;
  candidates: number;
  /** Candidates failing a hidden test. */
  wrong: number;
  /** Wrong candidates that also fail a valid generated case. */
  caught: number;
  /** Candidates passing every hidden test. */
  correct: number;
  /** Correct candidates that fail a valid generated case (a generated case stricter than the hidden tests). */
  falselyRejected: number;
}

export function emptyAgreement(reason: string): AgreementReport {
  return { agreement: null, reason, problems: 0, candidates: 0, wrong: 0, caught: 0, correct: 0, falselyRejected: 0 };
}

export async function computeAgreement(prisma: Db, sandbox: Sandbox, runId: string, perProblem: number): Promise<AgreementReport> {
  if (perProblem === 0) return emptyAgreement("not computed (agreementCandidates = 0)");
  const rows = await prisma.tcgProblem.findMany({
    where: { runId },
    select: { problem: { select: { id: true, testSetupCode: true, entryPoint: true, testCases: { where: { OR: [{ origin: "DATASET_HIDDEN" }, { tcgRunId: runId, validation: "VALID" }] }, orderBy: { ordinal: "asc" } } } } },
  });
  const report = emptyAgreement("");
  for (const { problem } of rows) {
    const hidden = problem.testCases.filter((t) => t.origin === "DATASET_HIDDEN" && isJudgeable(t));
    const generated: StoredTest[] = problem.testCases.filter((t) => t.origin === "GENERATED");
    if (hidden.length === 0 || generated.length === 0) continue;
    const codes = await candidateCodes(prisma, problem.id, perProblem);
    if (codes.length === 0) continue;
    report.problems++;
    const program = { setupCode: problem.testSetupCode, entryPoint: problem.entryPoint };
    for (const code of codes) {
      // judgeWithHiddenTests is "passes every test given"; here it also judges on the generated cases.
      const passesHidden = (await judgeWithHiddenTests(sandbox, program, hidden, code)).passes === true;
      const passesGenerated = (await judgeWithHiddenTests(sandbox, program, generated, code)).passes === true;
      report.candidates++;
      if (passesHidden) {
        report.correct++;
        if (!passesGenerated) report.falselyRejected++;
      } else {
        report.wrong++;
        if (!passesGenerated) report.caught++;
      }
    }
  }
  if (report.candidates === 0) {
    return emptyAgreement("no candidate programs: no search tree over these problems has terminal code yet (or no problem has both valid generated cases and hidden tests)");
  }
  const agreeing = report.caught + (report.correct - report.falselyRejected);
  return { ...report, agreement: agreeing / report.candidates, reason: null };
}

async function candidateCodes(prisma: Db, problemId: string, limit: number): Promise<string[]> {
  const nodes = await prisma.treeNode.findMany({
    where: { tree: { problemId }, isTerminal: true, code: { not: null } },
    select: { code: true },
    orderBy: { createdAt: "desc" },
    distinct: ["code"],
    take: limit,
  });
  return nodes.map((n) => n.code!);
}
