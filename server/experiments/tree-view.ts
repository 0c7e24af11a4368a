// Read models for the dashboard: an experiment's summary and per-problem table, a tree as the explorer draws it,
// and one node in full for the inspector.
import type { Db } from "../db/index.ts";
import { NotFoundError } from "../errors.ts";
import { experimentConfigSchema, parseExperimentConfig, searchParamsForMode } from "../contracts/index.ts";
import { nodePrmView } from "./node-prm-view.ts";
import type { ExperimentMetrics, TreeMetrics } from "../evaluation/index.ts";

export type { PassCount, TreeNodeView } from "../contracts/index.ts";

const ORIGIN_VALUE = { DATASET_VISIBLE: "dataset-visible", DATASET_HIDDEN: "dataset-hidden", GENERATED: "generated" } as const;

export async function getTreeView(prisma: Db, treeId: string) {
  const tree = await prisma.searchTree.findUnique({
    where: { id: treeId },
    include: { problem: { select: { id: true, externalId: true, statement: true, ordinal: true } }, experiment: { select: { id: true, name: true, status: true, config: true } } },
  });
  if (!tree) throw new NotFoundError(`no tree ${treeId}`);
  const config = parseExperimentConfig(tree.experiment.config, `experiment ${tree.experiment.id} config`);
  return {
    treeId,
    finalNodeId: tree.finalNodeId,
    status: tree.status,
    rolloutsDone: tree.rolloutsDone,
    rollouts: searchParamsForMode(config.mode, config.search).rollouts,
    /** What the nodes' prmScore means (PRM_MODE_DEFINITIONS, server/definitions). */
    prmMode: config.prm.mode,
    error: tree.error,
    problem: tree.problem,
    experiment: { id: tree.experiment.id, name: tree.experiment.name, status: tree.experiment.status },
    /** The nodes as TreeColumns JSON (server/definitions/tree-columns.ts): `decodeTreeColumns` gives TreeNodeView[]. */
    columns: await treeColumnsJson(prisma, treeId),
  };
}

/**
 * The tree's nodes as TreeColumns JSON text, built by PostgreSQL in one query: Node never holds a row per node, and
 * the text goes to the browser as it is. Pass counts per node from one grouped scan of its executions (hidden =
 * dataset-hidden tests; visible = the rest). One sort feeds every column's aggregate (instead of one sort per
 * column), so all columns are in the same row order; decodeTreeColumns checks that this order is by seq (when seq is
left out, the query checked it).
 * The text is as small as it can be without losing anything, because at 100,000 nodes its size was most of the
 * page's load (7.6 MB as json_agg wrote it): numbers joined without spaces (float8's text is its shortest exact
 * form, the same json_agg writes), columns that are all null sent as one null, seq left out when it is the row index,
 * and engine ids ("<treeId>:<seq>") left out altogether.
 */
async function treeColumnsJson(prisma: Db, treeId: string): Promise<string> {
  const rows = await prisma.$queryRaw<{ columns: string }[]>`
    WITH n AS (
      SELECT "id", "parentId", "seq", "depth", "actionKind", "visits", "valueSum", "isTerminal", "reward", "prmScore",
             (row_number() OVER (ORDER BY "seq") - 1)::int AS i -- seq is unique per tree
      FROM "TreeNode" WHERE "treeId" = ${treeId}
    ), counts AS (
      SELECT e."nodeId",
             count(*) FILTER (WHERE t."origin" <> 'dataset-hidden' AND e."status" = 'pass')::int AS vp,
             count(*) FILTER (WHERE t."origin" <> 'dataset-hidden')::int AS vt,
             count(*) FILTER (WHERE t."origin" = 'dataset-hidden' AND e."status" = 'pass')::int AS hp,
             count(*) FILTER (WHERE t."origin" = 'dataset-hidden')::int AS ht
      FROM "Execution" e JOIN n ON n."id" = e."nodeId" JOIN "TestCase" t ON t."id" = e."testCaseId"
      GROUP BY e."nodeId"
    ), kinds AS (
      -- Grouped, not DISTINCT inside the aggregate (which sorts 100,000 strings, slow on PGlite): a handful of kinds.
      SELECT coalesce((SELECT array_agg(g.kind) FROM (SELECT "actionKind" AS kind FROM n GROUP BY 1) g), '{}') AS k,
             -- Engine ids are "<treeId>:<search id>": sent without that prefix when every id has it (a quarter of the bytes).
             CASE WHEN coalesce(bool_and(starts_with("id", ${treeId} || ':')), false) THEN ${treeId} || ':' ELSE '' END AS prefix
      FROM n
    ), ordered AS (
      SELECT n.*, substr(n."id", length(kinds.prefix) + 1) AS short_id, coalesce(p.i, -1) AS pi, array_position(kinds.k, n."actionKind") - 1 AS ki,
             c.vp, c.vt, c.hp, c.ht
      FROM n CROSS JOIN kinds LEFT JOIN n p ON p."id" = n."parentId" LEFT JOIN counts c ON c."nodeId" = n."id"
      ORDER BY n.i
    ), cols AS (
      SELECT count(*)::int AS count,
             -- null: every id is the prefix and the seq (decodeTreeColumns rebuilds it)
             CASE WHEN coalesce(bool_and(short_id = "seq"::text), true) AND (SELECT prefix FROM kinds) <> '' THEN 'null' ELSE coalesce(json_agg(short_id)::text, '[]') END AS id,
             '[' || coalesce(string_agg(pi::text, ','), '') || ']' AS parent,
             -- seq is left out only when it is the row index AND the aggregates saw the rows in that order (every
             -- aggregate here reads the same input in the same order): otherwise decodeTreeColumns checks the order.
             CASE WHEN coalesce(bool_and("seq" = i), true) AND coalesce(array_agg(i), '{}') = array(SELECT generate_series(0, count(i)::int - 1))
                  THEN 'null' ELSE '[' || string_agg("seq"::text, ',') || ']' END AS seq,
             '[' || coalesce(string_agg("depth"::text, ','), '') || ']' AS depth,
             '[' || coalesce(string_agg(ki::text, ','), '') || ']' AS kind,
             '[' || coalesce(string_agg("visits"::text, ','), '') || ']' AS visits,
             '[' || coalesce(string_agg("valueSum"::text, ','), '') || ']' AS value_sum,
             '[' || coalesce(string_agg("isTerminal"::int::text, ','), '') || ']' AS terminal,
             -- Nullable columns: one null when no entry has a value.
             CASE WHEN count("reward") = 0 THEN 'null' ELSE '[' || string_agg(coalesce("reward"::text, 'null'), ',') || ']' END AS reward,
             CASE WHEN count("prmScore") = 0 THEN 'null' ELSE '[' || string_agg(coalesce("prmScore"::text, 'null'), ',') || ']' END AS prm,
             CASE WHEN count(vt) = 0 THEN 'null' ELSE '[' || string_agg(coalesce(vp::text, 'null'), ',') || ']' END AS vp,
             CASE WHEN count(vt) = 0 THEN 'null' ELSE '[' || string_agg(coalesce(vt::text, 'null'), ',') || ']' END AS vt,
             CASE WHEN count(ht) = 0 THEN 'null' ELSE '[' || string_agg(coalesce(hp::text, 'null'), ',') || ']' END AS hp,
             CASE WHEN count(ht) = 0 THEN 'null' ELSE '[' || string_agg(coalesce(ht::text, 'null'), ',') || ']' END AS ht
      FROM ordered
    )
    SELECT '{"count":' || count || ',"idPrefix":' || to_json((SELECT prefix FROM kinds))::text || ',"id":' || id || ',"parent":' || parent ||
           ',"seq":' || seq || ',"depth":' || depth || ',"kind":' || kind || ',"kinds":' || (SELECT to_json(k)::text FROM kinds) ||
           ',"visits":' || visits || ',"valueSum":' || value_sum || ',"terminal":' || terminal || ',"reward":' || reward || ',"prm":' || prm ||
           ',"visiblePassed":' || vp || ',"visibleTotal":' || vt || ',"hiddenPassed":' || hp || ',"hiddenTotal":' || ht || '}' AS columns
    FROM cols`;
  return rows[0]!.columns;
}

export async function getNodeDetail(prisma: Db, nodeId: string) {
  const node = await prisma.treeNode.findUnique({ where: { id: nodeId } });
  if (!node) throw new NotFoundError(`no node ${nodeId}`);
  const path = await prisma.$queryRaw<{ depth: number; stepText: string; actionKind: string }[]>`
    WITH RECURSIVE chain AS (
      SELECT "id", "parentId", "depth", "stepText", "actionKind" FROM "TreeNode" WHERE "id" = ${nodeId}
      UNION ALL
      SELECT p."id", p."parentId", p."depth", p."stepText", p."actionKind" FROM "TreeNode" p JOIN chain c ON p."id" = c."parentId"
    )
    SELECT "depth", "stepText", "actionKind" FROM chain ORDER BY "depth"`;
  const executions = await prisma.execution.findMany({
    where: { nodeId },
    include: { testCase: { select: { origin: true, kind: true, input: true, expected: true, ordinal: true } } },
  });
  executions.sort((a, b) => originRank(a.testCase.origin) - originRank(b.testCase.origin) || a.testCase.ordinal - b.testCase.ordinal);
  const visible = executions.filter((e) => e.testCase.origin !== "DATASET_HIDDEN");
  const hidden = executions.filter((e) => e.testCase.origin === "DATASET_HIDDEN");
  return {
    id: node.id,
    parentId: node.parentId,
    seq: node.seq,
    depth: node.depth,
    stepIndex: node.stepIndex,
    actionKind: node.actionKind,
    stepText: node.stepText,
    code: node.code,
    /** What the code printed outside the tests (top level, setup code), as the sandbox kept it (head and tail). */
    topLevelOutput: node.topLevelStdout !== null || node.topLevelStderr !== null ? { stdout: node.topLevelStdout, stderr: node.topLevelStderr } : null,
    visits: node.visits,
    valueSum: node.valueSum,
    prior: node.prior,
    prmScore: node.prmScore,
    isTerminal: node.isTerminal,
    reward: node.reward,
    copies: node.copies,
    promptTokens: node.promptTokens,
    completionTokens: node.completionTokens,
    visible: visible.length ? { passed: visible.filter((e) => e.status === "PASS").length, total: visible.length } : null,
    hidden: hidden.length ? { passed: hidden.filter((e) => e.status === "PASS").length, total: hidden.length } : null,
    pathText: path
      .filter((p) => p.depth > 0)
      .map((p) => `--- step ${p.depth} (${p.actionKind}) ---\n${p.stepText.trim()}`)
      .join("\n\n"),
    prm: await nodePrmView(prisma, node),
    executions: executions.map((e) => ({
      testCaseId: e.testCaseId,
      origin: ORIGIN_VALUE[e.testCase.origin],
      kind: e.testCase.kind.toLowerCase() as "assert" | "stdio" | "call",
      input: e.testCase.input,
      expected: e.testCase.expected,
      status: e.status.toLowerCase().replace("_", "-") as "pass" | "fail" | "error" | "timeout" | "memory" | "output-limit" | "crash",
      errorType: e.errorType,
      errorMessage: e.errorMessage,
      stdout: e.stdout,
      stderr: e.stderr,
      durationMs: e.durationMs,
    })),
  };
}

function originRank(origin: string) {
  return origin === "DATASET_VISIBLE" ? 0 : origin === "GENERATED" ? 1 : 2;
}

export const EXPERIMENT_STATUSES = ["QUEUED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"] as const;

/** A stored config's LLM base URLs; a list must not fail on one old or damaged row, so it is read leniently. */
function llmEndpoints(config: unknown): string[] {
  const parsed = experimentConfigSchema.safeParse(config);
  if (!parsed.success) return [];
  const llm = parsed.data.llm;
  return llm.baseUrls ?? (llm.baseUrl ? [llm.baseUrl] : llm.gguf ? [`gguf:${llm.gguf}`] : []);
}

export async function listExperiments(prisma: Db, filter: { status?: (typeof EXPERIMENT_STATUSES)[number]; datasetId?: string }) {
  const experiments = await prisma.experiment.findMany({
    where: { status: filter.status, datasetId: filter.datasetId },
    orderBy: { createdAt: "desc" },
    include: { dataset: { select: { name: true } } },
    take: 200,
  });
  const progress = await prisma.searchTree.groupBy({
    by: ["experimentId", "status"],
    where: { experimentId: { in: experiments.map((e) => e.id) } },
    _count: { _all: true },
  });
  return experiments.map((e) => {
    const rows = progress.filter((p) => p.experimentId === e.id);
    const total = rows.reduce((s, r) => s + r._count._all, 0);
    const finished = rows.filter((r) => r.status === "DONE" || r.status === "FAILED").reduce((s, r) => s + r._count._all, 0);
    return {
      id: e.id,
      name: e.name,
      dataset: e.dataset.name,
      datasetId: e.datasetId,
      mode: e.mode,
      model: e.model,
      /** The LLM servers it searched with (the landing page's "endpoints last used"); [] for an unreadable config. */
      endpoints: llmEndpoints(e.config),
      status: e.status,
      problemsDone: finished,
      problemsTotal: total,
      metrics: e.metrics as unknown as ExperimentMetrics | null,
      createdAt: e.createdAt,
      startedAt: e.startedAt,
      finishedAt: e.finishedAt,
    };
  });
}

export async function getExperimentDetail(prisma: Db, experimentId: string) {
  const experiment = await prisma.experiment.findUnique({ where: { id: experimentId }, include: { dataset: { select: { name: true } } } });
  if (!experiment) throw new NotFoundError(`no experiment ${experimentId}`);
  const trees = await prisma.searchTree.findMany({
    where: { experimentId },
    include: { problem: { select: { externalId: true, ordinal: true, statement: true } } },
    orderBy: { problem: { ordinal: "asc" } },
  });
  return {
    id: experiment.id,
    name: experiment.name,
    dataset: experiment.dataset.name,
    status: experiment.status,
    mode: experiment.mode,
    model: experiment.model,
    llmBaseUrl: experiment.llmBaseUrl,
    config: parseExperimentConfig(experiment.config),
    metrics: experiment.metrics as unknown as ExperimentMetrics | null,
    error: experiment.error,
    eventSeq: experiment.eventSeq,
    createdAt: experiment.createdAt,
    startedAt: experiment.startedAt,
    finishedAt: experiment.finishedAt,
    trees: trees.map((t) => {
      const m = t.metrics as unknown as TreeMetrics | null;
      return {
        id: t.id,
        status: t.status,
        problemExternalId: t.problem.externalId,
        problemOrdinal: t.problem.ordinal,
        statement: t.problem.statement,
        rolloutsDone: t.rolloutsDone,
        finalAnswerPasses: m ? m.finalAnswerPasses : null,
        judged: m ? m.judged : null,
        bestValue: m ? m.bestValue : null,
        terminals: m ? m.terminals : null,
        asprShare: m && m.terminals > 0 ? m.terminalsPassing / m.terminals : null,
        tokens: t.promptTokens + t.completionTokens,
        llmCalls: t.llmCalls,
        wallMs: m ? m.wallMs : t.startedAt && t.finishedAt ? t.finishedAt.getTime() - t.startedAt.getTime() : null,
        error: t.error,
        /** LLM requests retried for this problem (timeouts, 5xx, resets, malformed bodies), over all attempts. */
        llmRetries: t.llmRetries,
        /** Times a worker claimed this tree: more than 1 means it was resumed (crash, restart, LLM outage). */
        attempts: t.attempts,
      };
    }),
  };
}
