// The explorer's data contract. The tRPC tree queries and the live SSE feed produce exactly these shapes; live updates
// append nodes and patch `{ id, visits, valueSum }`, and the parent hands the explorer a new `TreeView` each time.

// The node shape is defined once, by the server's read model that produces it (as the router returns it).
export type { TestTally, TreeNodeView } from "../router-types";
import type { NodePrmView, TreeNodeView } from "../router-types";
import type { PrmMode } from "@/server/definitions";

export interface TreeView {
  treeId: string;
  finalNodeId: string | null;
  nodes: TreeNodeView[];
  /** What the nodes' PRM scores mean; absent for callers that do not know (treated as "none"). */
  prmMode?: PrmMode;
}

export type TestOrigin = "dataset-visible" | "dataset-hidden" | "generated";
export type TestKind = "assert" | "stdio" | "call";
export type ExecutionStatus = "pass" | "fail" | "error" | "timeout" | "memory" | "output-limit" | "crash";

export interface TestExecutionView {
  testCaseId: string;
  origin: TestOrigin;
  kind: TestKind;
  input: string;
  expected: string | null;
  status: ExecutionStatus;
  errorType: string | null;
  errorMessage: string | null;
  stdout: string | null;
  stderr: string | null;
  durationMs: number;
}

export interface NodeDetail extends TreeNodeView {
  stepText: string;
  code: string | null;
  /** What the code printed outside the tests (top level, setup code); null when it printed nothing or never ran. */
  topLevelOutput: { stdout: string | null; stderr: string | null } | null;
  prior: number | null;
  stepIndex: number;
  /** How many of the request's samples wrote exactly this step (identical samples are one node); absent on old data. */
  copies?: number;
  promptTokens: number;
  completionTokens: number;
  /** The steps from the root to this node, as readable text. */
  pathText: string;
  /** PRM score and its mode, rollout labels, and ϕ for a terminal (server/runs/node-prm-view.ts). */
  prm?: NodePrmView;
  executions: TestExecutionView[];
}
