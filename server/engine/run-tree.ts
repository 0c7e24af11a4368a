// Searches one problem of an experiment: builds the tree's edges (LLM policy over search-visible tests, sandbox
// evaluator, persistence), runs or resumes the search, then judges every sampled terminal on the hidden tests.
import type { Db, Prisma } from "../db/index.ts";
import type { LlmClient } from "../llm/index.ts";
import { createPrm, prmStepScorer, rolloutPrmScores, sampleStepLabels, type LabelSamplingTally } from "../prm/index.ts";
import { createLlmStepPolicy, getReasoningMode } from "../reasoning/index.ts";
import type { Sandbox } from "../sandbox/index.ts";
import { selectFinalAnswer, resumeSearch, runSearch, nodeValue, type SearchNode, type SearchObserver } from "../search/index.ts";
import { outcomeFromTree, type TreeMetrics } from "../evaluation/index.ts";
import { deriveSeed } from "../lib/index.ts";
import { searchParamsForMode, type ExperimentConfig } from "../contracts/index.ts";
import { createTreeJudge, judgingTests, type CodeEvaluation, type CodeVerdict, type JudgingTests, type ProgramContext, type TreeJudge } from "../judging/index.ts";
import { assertClaimTx } from "./tree-claim.ts";
import { searchVisibleTests, showInPrompt } from "./search-tests.ts";
import { createTreeRecorder, loadTreeProblem, loadTreeState, nodeDbId, writePrmScores, writeTreeFinished, type NodeExecution, type NodeTopLevel, type TreeProblem, type TreeRecorder, type TreeRef } from "./tree-store.ts";

export interface TreeJob {
  experimentId: string;
  treeId: string;
  config: ExperimentConfig;
  /** The worker's claim on the tree (tree-claim.ts); every write checks it. */
  claimToken?: string;
  /**
   * This is the tree's first claim ever: nothing of it is stored yet (every write of a tree happens under a claim),
   * so the search starts without asking the database for nodes.
   */
  firstClaim?: boolean;
}

export interface TreeEdges {
  sandbox: Sandbox;
  llm: LlmClient;
  signal: AbortSignal;
  now: () => number;
  /** Called once the tree is loaded, right before its search starts (the worker's start-up gate opens here). */
  onSearchStarting?: () => void;
  /**
   * Given by a worker that releases the claim once the tree is done: the finishing write then releases it too,
   * adding the LLM retries this counts (tree-job.ts skips its own release).
   */
  llmRetries?: () => number;
}

/** Rollouts finishing faster than this are persisted (and shown live) together; see tree-store.ts. */
export const PROGRESS_FLUSH_MS = 250;

export type TreeRunResult = { status: "done"; metrics: TreeMetrics } | { status: "cancelled" };

export async function runTree(prisma: Db, job: TreeJob, edges: TreeEdges): Promise<TreeRunResult> {
  const started = edges.now();
  const tree = await loadTreeProblem(prisma, job.treeId);
  const { problem } = tree;
  const program: ProgramContext = { setupCode: problem.testSetupCode, entryPoint: problem.entryPoint, limits: job.config.sandbox };
  const visibleTests = searchVisibleTests(problem.testCases, job.config);
  const judging = judgingTests(problem.testCases);

  const llm = byProgress(edges.llm);
  const policy = createLlmStepPolicy({
    llm,
    mode: getReasoningMode(job.config.mode),
    problem: {
      statement: problem.statement,
      entryPoint: problem.entryPoint,
      signature: problem.signature,
      visibleTests: visibleTests.map(showInPrompt),
    },
    api: job.config.llm.api,
    sampling: job.config.sampling,
  });
  // A claimed tree's stored rolloutsDone is what its claim just loaded: the writes are guarded by it (tree-store.ts).
  const ref: TreeRef = {
    experimentId: job.experimentId,
    treeId: job.treeId,
    problemId: problem.id,
    claimToken: job.claimToken,
    ...(job.claimToken ? { storedRolloutsDone: tree.rolloutsDone } : {}),
  };
  const recorder = createTreeRecorder(prisma, ref, { now: edges.now, minFlushIntervalMs: PROGRESS_FLUSH_MS });
  // The PRM reads the statement and the path (not the visible tests, which only the policy's prompt shows).
  const prm = createPrm(job.config.prm, { llm, api: job.config.llm.api });
  const prmEdge = prm ? prmStepScorer(prm, problem.statement) : null;
  // The search's evaluator and the final judge (judging/tree-judge.ts: one run serves both only when the judging tests
  // are the search's own).
  const judge = createTreeJudge(edges.sandbox, program, visibleTests, judging);
  try {
    return await searchAndFinish(prisma, job, edges, { tree, ref, recorder, policy, prmEdge, judge, judging, started });
  } finally {
    // A tree that ends without judging its terminals (cancelled, failed) leaves its early judging runs: not to run.
    judge.abandon();
  }
}

/** What runTree builds for a tree before its search: its problem, its store, the policy, the PRM and the judge. */
interface TreeRun {
  tree: TreeProblem;
  ref: TreeRef;
  recorder: TreeRecorder;
  policy: ReturnType<typeof createLlmStepPolicy>;
  prmEdge: ReturnType<typeof prmStepScorer> | null;
  judge: TreeJudge;
  judging: JudgingTests;
  /** edges.now() when runTree started (the tree's wallMs). */
  started: number;
}

/** Runs or resumes the search, then (unless cancelled) scores, judges and stores the finished tree. */
async function searchAndFinish(prisma: Db, job: TreeJob, edges: TreeEdges, run: TreeRun): Promise<TreeRunResult> {
  const { tree, ref, recorder, policy, prmEdge, judge, judging, started } = run;
  const { problem } = tree;
  const searchEdges = {
    policy,
    evaluate: judge.evaluate,
    observer: judgingAsMade(recorder, judge),
    signal: edges.signal,
    scoreSteps: prmEdge?.scoreSteps,
  };
  const searchConfig = {
    ...searchParamsForMode(job.config.mode, job.config.search),
    guide: job.config.prm.guide,
    // The sampling baseline's replies are independent draws: each is its own terminal, twins included.
    mergeIdenticalSiblings: job.config.mode !== "sampling",
    seed: deriveSeed(job.config.seed, problem.ordinal),
  };
  const saved = job.firstClaim && tree.rolloutsDone === 0 ? { nodes: [], rolloutsDone: 0 } : await loadTreeState(prisma, job.treeId, tree.rolloutsDone);
  edges.onSearchStarting?.();
  const result =
    saved.nodes.length > 0 ? await resumeSearch(saved, searchConfig, searchEdges) : await runSearch(searchConfig, searchEdges);
  await recorder.flush();
  if (result.status === "cancelled") {
    await prisma.$transaction(async (tx) => {
      await checkClaim(tx, job);
      await tx.searchTree.update({ where: { id: job.treeId }, data: { status: "CANCELLED" } });
    });
    return { status: "cancelled" };
  }
  let labelSampling: LabelSamplingTally | null = null;
  if (job.config.prm.mode === "rollout") {
    const sampled =
      job.config.prm.labels === "sampled"
        ? await sampleStepLabels(result.nodes, {
            policy,
            evaluate: searchEdges.evaluate,
            samplesPerStep: job.config.prm.samplesPerStep,
            maxDepth: searchConfig.maxDepth,
            seed: searchConfig.seed,
            signal: edges.signal,
          })
        : null;
    labelSampling = sampled?.tally ?? null;
    await storeRolloutScores(prisma, job, result.nodes, sampled?.labels ?? rolloutPrmScores(result.nodes));
  }
  const { verdicts, executions, topLevel } = await judgeTerminals(job.treeId, judge, result.nodes);
  const prmTally = prmEdge?.tally() ?? null;
  const metrics = {
    ...treeMetrics(problem.id, result.nodes, verdicts, judging, edges.now() - started, job.treeId),
    prm: prmTally,
    prmPromptTokens: prmTally?.usage?.promptTokens ?? 0,
    prmCompletionTokens: prmTally?.usage?.completionTokens ?? 0,
    labelSampling,
  };
  const release = edges.llmRetries && job.claimToken ? { llmRetries: edges.llmRetries() } : undefined;
  await writeTreeFinished(prisma, { ...ref, storedRolloutsDone: recorder.storedRolloutsDone() }, { finishedAt: new Date(edges.now()), finalNodeId: metrics.finalNodeId, metrics, executions, topLevel, release });
  return { status: "done", metrics };
}

/**
 * The tree's LLM requests, each with the number the tree made before it as its priority (llm/semaphore.ts): while more
 * trees want the LLM than the process has permits, the trees that have done least go first. An experiment's trees so
 * progress and end together; served in arrival order, the trees claimed last would end alone, their requests one
 * after another while the server idles (the tail of `o1c bench engine`'s saturation run).
 */
function byProgress(llm: LlmClient): LlmClient {
  let made = 0;
  return { complete: (request) => llm.complete({ ...request, priority: made++ }) };
}

/** The recorder, starting each new terminal's judging as the search makes it (judging/tree-judge.ts: judgeSoon). */
function judgingAsMade(recorder: SearchObserver<CodeEvaluation>, judge: TreeJudge): SearchObserver<CodeEvaluation> {
  return {
    ...recorder,
    onNodeCreated(node, evaluation) {
      if (node.isTerminal && node.code !== null) judge.judgeSoon(node.code);
      return recorder.onNodeCreated?.(node, evaluation);
    },
  };
}

async function checkClaim(tx: Prisma.TransactionClient, job: TreeJob) {
  if (job.claimToken) await assertClaimTx(tx, job.treeId, job.claimToken);
}

/** Rollout-mode PRM scores (visit-weighted or sampled labels), written once the tree is complete; the in-memory nodes get them too. */
async function storeRolloutScores(prisma: Db, job: TreeJob, nodes: SearchNode[], scores: ReadonlyMap<string, number | null>) {
  await prisma.$transaction(async (tx) => {
    await checkClaim(tx, job);
    await writePrmScores(tx, job.treeId, scores);
  });
  for (const node of nodes) node.prmScore = scores.get(node.id) ?? null;
}

/**
 * Every terminal with code, judged on the benchmark's tests (judging/judging.ts). Identical code is judged once
 * (siblings often agree; judging/tree-judge.ts says when the search's run of it serves), mostly already while the
 * search went on (judgingAsMade; a resumed tree's stored terminals are judged here); its executions are stored
 * for each node that holds it (by finishTree, with the verdict; executions of visible tests the
 * search already stored are kept as they are). Keyed by the search's node id.
 */
async function judgeTerminals(
  treeId: string,
  judge: TreeJudge,
  nodes: readonly SearchNode[],
): Promise<{ verdicts: Map<string, CodeVerdict>; executions: NodeExecution[]; topLevel: NodeTopLevel[] }> {
  const byCode = new Map<string, SearchNode[]>();
  for (const node of nodes) {
    if (node.isTerminal && node.code !== null) byCode.set(node.code, [...(byCode.get(node.code) ?? []), node]);
  }
  const verdicts = new Map<string, CodeVerdict>();
  const executions: NodeExecution[] = [];
  const topLevel: NodeTopLevel[] = [];
  const judged = await Promise.all([...byCode.keys()].map((code) => judge.judge(code)));
  for (const [i, holders] of [...byCode.values()].entries()) {
    const verdict = judged[i]!;
    for (const node of holders) {
      verdicts.set(node.id, verdict);
      executions.push(...verdict.executions.map((e) => ({ nodeId: nodeDbId(treeId, node.id), ...e })));
      if (verdict.topLevel) topLevel.push({ nodeId: nodeDbId(treeId, node.id), ...verdict.topLevel });
    }
  }
  return { verdicts, executions, topLevel };
}

function treeMetrics(
  problemId: string,
  nodes: readonly SearchNode[],
  verdicts: ReadonlyMap<string, CodeVerdict>,
  judging: JudgingTests,
  wallMs: number,
  treeId: string,
): TreeMetrics {
  const outcome = outcomeFromTree(problemId, nodes, new Map([...verdicts].map(([id, v]) => [id, v.base === true])));
  const finalAnswer = selectFinalAnswer(nodes);
  const finalVerdict = finalAnswer ? verdicts.get(finalAnswer.id) : undefined;
  return {
    ...outcome,
    // The named extra verdicts of the same final answer (null: the problem has no such tests; no final answer fails).
    challengePasses: judging.challenge.length > 0 ? (finalVerdict?.challenge ?? false) : null,
    plusPasses: judging.plus.length > 0 ? (finalVerdict?.plus ?? false) : null,
    terminalPasses: [...outcome.terminalPasses],
    judged: judging.judged,
    finalNodeId: finalAnswer ? nodeDbId(treeId, finalAnswer.id) : null,
    bestValue: finalAnswer ? (nodeValue(finalAnswer) ?? finalAnswer.reward) : null,
    terminals: outcome.terminalPasses.length,
    terminalsPassing: outcome.terminalPasses.filter(Boolean).length,
    nodes: nodes.length,
    wallMs,
  };
}
