// The inspector's two test tables. Search-visible = dataset-visible plus generated tests (both may feed the search
// reward); hidden = the dataset's judging tests. Keeping them apart makes a leak or an overfit answer obvious.
import type { TestExecutionView, TestTally } from "./types";

export interface ExecutionGroup {
  key: "visible" | "hidden";
  title: string;
  description: string;
  executions: TestExecutionView[];
  tally: TestTally;
}

export function groupExecutions(executions: readonly TestExecutionView[]): ExecutionGroup[] {
  const visible = executions.filter((e) => e.origin !== "dataset-hidden");
  const hidden = executions.filter((e) => e.origin === "dataset-hidden");
  const groups: ExecutionGroup[] = [];
  if (visible.length > 0) {
    groups.push({ key: "visible", title: "Search-visible tests", description: "used for the search reward", executions: visible, tally: tallyOf(visible) });
  }
  if (hidden.length > 0) {
    groups.push({ key: "hidden", title: "Hidden tests", description: "judged after the search, never shown to the model", executions: hidden, tally: tallyOf(hidden) });
  }
  return groups;
}

export function tallyOf(executions: readonly TestExecutionView[]): TestTally {
  return { passed: executions.filter((e) => e.status === "pass").length, total: executions.length };
}
