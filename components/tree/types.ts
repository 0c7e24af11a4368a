// The explorer's data contract. The tRPC tree queries and the live SSE feed produce exactly these shapes; live updates
// append nodes and patch `{ id, visits, valueSum }`, and the parent hands the explorer a new `TreeView` each time.

export interface TestTally {
  passed: number;
  total: number;
}

export interface TreeNodeView {
  id: string;
  parentId: string | null;
  seq: number;
  depth: number;
  /** "root" | "structure" | "refine" | "code" | "vanilla" | … */
  actionKind: string;
  /** N: how many rollouts passed through this node. */
  visits: number;
  /** Q: the sum of rewards backpropagated through this node; value = Q/N (null when N = 0). */
  valueSum: number;
  isTerminal: boolean;
  /** Terminal reward from the search-visible tests. */
  reward: number | null;
  prmScore: number | null;
  /** A terminal's results on the search-visible tests. */
  visible: TestTally | null;
  /** A terminal's results on the hidden tests, judged after the search (null until judged). */
  hidden: TestTally | null;
}

export interface TreeView {
  treeId: string;
  finalNodeId: string | null;
  nodes: TreeNodeView[];
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
  prior: number | null;
  stepIndex: number;
  promptTokens: number;
  completionTokens: number;
  /** The steps from the root to this node, as readable text. */
  pathText: string;
  executions: TestExecutionView[];
}
