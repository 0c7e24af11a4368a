// Reading an experiment for export, one tree at a time: the experiment's context once, then for each tree its nodes,
// its problem's search-visible tests (to rebuild the exact prompts the policy saw) and, when asked, which terminals
// pass the hidden tests. Only one tree's nodes are ever held, so memory stays flat however many problems there are.
import type { Db } from "../db/index.ts";
import type { StepNodeFields } from "../search/index.ts";
import { NotFoundError } from "../errors.ts";
import { promptForPath, type Prompt, getReasoningMode, type ReasoningMode } from "../reasoning/index.ts";
import { parseExperimentConfig, type ExperimentConfig } from "../contracts/index.ts";
import { searchVisibleTests, showInPrompt } from "../engine/index.ts";
import type { ExportStyle } from "./export-options.ts";
import { promptAndCompletions, type TextOrMessages } from "./record-text.ts";

export interface ExportExperiment {
  id: string;
  name: string;
  datasetName: string;
  model: string;
  mode: string;
  lineageId: string | null;
  iteration: number | null;
  config: ExperimentConfig;
}

export type ExportNode = StepNodeFields;

export interface ExportTree {
  id: string;
  problem: { id: string; externalId: string; ordinal: number };
  finalNodeId: string | null;
  nodes: ExportNode[];
  byId: Map<string, ExportNode>;
  children: Map<string, ExportNode[]>;
  mode: ReasoningMode;
  /** The problem's prompt before any step: what the search's root request was built on. */
  rootPrompt: Prompt;
  /** Terminal id → passes every hidden test; only filled when the reader was asked for it. */
  hiddenPasses: Map<string, boolean>;
}

export async function loadExportExperiment(prisma: Db, experimentId: string): Promise<ExportExperiment> {
  const experiment = await prisma.experiment.findUnique({ where: { id: experimentId }, include: { dataset: { select: { name: true } } } });
  if (!experiment) throw new NotFoundError(`no experiment ${experimentId}`);
  return {
    id: experiment.id,
    name: experiment.name,
    datasetName: experiment.dataset.name,
    model: experiment.model,
    mode: experiment.mode,
    lineageId: experiment.lineageId,
    iteration: experiment.iteration,
    config: parseExperimentConfig(experiment.config, `experiment ${experiment.id} config`),
  };
}

const TREE_PAGE = 50;

/**
 * The experiment's trees in problem order, each loaded only when the consumer asks for the next one. `done` restricts
 * to finished searches (labels, values and hidden verdicts are final only then).
 */
export async function* readExportTrees(
  prisma: Db,
  experiment: ExportExperiment,
  options: { onlyDone: boolean; hidden: boolean },
): AsyncGenerator<ExportTree> {
  for (let skip = 0; ; skip += TREE_PAGE) {
    const page = await prisma.searchTree.findMany({
      where: { experimentId: experiment.id, ...(options.onlyDone ? { status: "DONE" } : {}) },
      orderBy: [{ problem: { ordinal: "asc" } }, { id: "asc" }],
      select: { id: true },
      skip,
      take: TREE_PAGE,
    });
    for (const { id } of page) {
      const tree = await loadExportTree(prisma, experiment, id, options.hidden);
      if (tree) yield tree;
    }
    if (page.length < TREE_PAGE) return;
  }
}

export async function loadExportTree(prisma: Db, experiment: ExportExperiment, treeId: string, hidden: boolean): Promise<ExportTree | null> {
  const tree = await prisma.searchTree.findUnique({
    where: { id: treeId },
    select: {
      id: true,
      finalNodeId: true,
      // The same test order as the search used (server/runs/run-tree.ts), so the rebuilt prompt is byte-identical.
      problem: { include: { testCases: { orderBy: [{ origin: "asc" }, { ordinal: "asc" }] } } },
    },
  });
  if (!tree) return null;
  const nodes = await prisma.treeNode.findMany({
    where: { treeId },
    orderBy: { seq: "asc" },
    select: { id: true, parentId: true, depth: true, seq: true, actionKind: true, stepText: true, code: true, visits: true, valueSum: true, prmScore: true, isTerminal: true, reward: true },
  });
  const { problem } = tree;
  const mode = getReasoningMode(experiment.config.mode);
  const rootPrompt = mode.buildRootPrompt({
    statement: problem.statement,
    entryPoint: problem.entryPoint,
    signature: problem.signature,
    visibleTests: searchVisibleTests(problem.testCases, experiment.config).map(showInPrompt),
  });
  const children = new Map<string, ExportNode[]>();
  for (const node of nodes) {
    if (node.parentId === null) continue;
    const siblings = children.get(node.parentId);
    if (siblings) siblings.push(node);
    else children.set(node.parentId, [node]);
  }
  return {
    id: tree.id,
    problem: { id: problem.id, externalId: problem.externalId, ordinal: problem.ordinal },
    finalNodeId: tree.finalNodeId,
    nodes,
    byId: new Map(nodes.map((n) => [n.id, n])),
    children,
    mode,
    rootPrompt,
    hiddenPasses: hidden ? await hiddenVerdicts(prisma, treeId) : new Map(),
  };
}

/**
 * A terminal's standard verdict (server/runs/judging.ts): it ran at least one hidden base test and passed every base
 * test of the dataset it ran, visible ones included; challenge and plus tests do not decide it.
 */
async function hiddenVerdicts(prisma: Db, treeId: string): Promise<Map<string, boolean>> {
  const rows = await prisma.$queryRaw<{ nodeId: string; passed: bigint; total: bigint; hidden: bigint }[]>`
    SELECT e."nodeId", count(*) FILTER (WHERE e."status" = 'pass') AS passed, count(*) AS total,
           count(*) FILTER (WHERE t."origin" = 'dataset-hidden') AS hidden
    FROM "Execution" e
    JOIN "TreeNode" n ON n."id" = e."nodeId"
    JOIN "TestCase" t ON t."id" = e."testCaseId"
    WHERE n."treeId" = ${treeId} AND t."origin" <> 'generated' AND t."suite" = 'base'
    GROUP BY e."nodeId"`;
  return new Map(rows.map((r) => [r.nodeId, r.hidden > 0n && r.passed === r.total]));
}

/** Root first, the node last. */
export function pathTo(tree: ExportTree, node: ExportNode): ExportNode[] {
  const path: ExportNode[] = [];
  for (let at: ExportNode | undefined = node; at; at = at.parentId === null ? undefined : tree.byId.get(at.parentId)) path.push(at);
  return path.reverse();
}

/** The steps of a path (the root holds no step). */
export function stepsOf(path: readonly ExportNode[]): ExportNode[] {
  return path.filter((n) => n.parentId !== null);
}

/** The prompt after the given steps, i.e. the state of the search at the end of that path. */
export function promptAfter(tree: ExportTree, steps: readonly ExportNode[]): Prompt {
  return promptForPath(tree.mode, tree.rootPrompt, steps.map((s) => s.stepText));
}

/** The exact request prompt that produced `node` and its siblings: its parent's path plus the opener of its step. */
export function requestPromptFor(tree: ExportTree, node: ExportNode): Prompt {
  const parentSteps = stepsOf(pathTo(tree, node)).slice(0, -1);
  return tree.mode.openStep(promptAfter(tree, parentSteps), parentSteps.length + 1);
}

/**
 * The text the model produced for a step, including the stop string that ended it (the server cuts it off, but the
 * model generated it): a policy trained on these records learns to close its steps where the search expects.
 */
export function generatedStepText(tree: ExportTree, node: ExportNode): string {
  return node.stepText + (tree.mode.stepFormat.stop[0] ?? "");
}

/**
 * Two sibling steps as a preference pair: the request prompt that produced both, and each step as the model wrote it
 * (step DPO and pairwise PRM records share this shape).
 */
export function siblingStepPair(tree: ExportTree, chosen: ExportNode, rejected: ExportNode, style: ExportStyle): { prompt: TextOrMessages; chosen: TextOrMessages; rejected: TextOrMessages } {
  const { prompt, completions } = promptAndCompletions(requestPromptFor(tree, chosen), [generatedStepText(tree, chosen), generatedStepText(tree, rejected)], style);
  return { prompt, chosen: completions[0]!, rejected: completions[1]! };
}

/** A step's value for comparing siblings: Q/N once visited; an unvisited terminal's own reward; otherwise unknown. */
export function comparableValue(node: ExportNode): number | null {
  if (node.visits > 0) return node.valueSum / node.visits;
  return node.isTerminal ? (node.reward ?? 0) : null;
}
